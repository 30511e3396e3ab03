import { IMAGENET_CLASSES, loadModel, preprocessImageFile, readLabelsFile, type ModelChoice } from '@mobilemamba/models';
import { selectBackend } from '../backends.js';
import { CommandError } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Reporter } from '../reporter.js';
import { topK, type Prediction } from '../top-k.js';

export interface ClassifyOptions {
  images: string[];
  weights: string;
  model: ModelChoice;
  backend?: string;
  top: number;
  json: boolean;
  labels?: string;
  batchSize: number;
  /** Input resolution; default the model's native one. */
  size?: number;
  entry?: 'net' | 'net_E';
}

/** One image's result, as `--json` prints it. */
export interface ImageResult {
  file: string;
  backend: string;
  top: Prediction[];
}

/**
 * Classifies images with the authors' evaluation transform at the model's
 * native resolution, in batches, and prints the top-k classes per image.
 */
export async function classifyCommand(options: ClassifyOptions, reporter: Reporter): Promise<ImageResult[]> {
  const started = performance.now();
  const backend = await selectBackend(options.backend, reporter.warn);
  const model = await loadModel(options.weights, {
    model: options.model,
    backend,
    ...(options.entry ? { entry: options.entry } : {}),
    ...(options.size ? { imgSize: options.size } : {}),
  });

  try {
    const labels = await resolveLabels(options.labels, model.numClasses);
    const size = model.imgSize;
    const results: ImageResult[] = [];
    const progress = createProgress(options.images.length, 'images');
    let inferenceMs = 0;

    for (let first = 0; first < options.images.length; first += options.batchSize) {
      const files = options.images.slice(first, first + options.batchSize);
      const batch = new Float32Array(files.length * 3 * size * size);
      for (const [index, file] of files.entries()) {
        const { input } = await preprocessImageFile(file, size);
        batch.set(input, index * input.length);
      }

      const inferenceStart = performance.now();
      const logits = await model.predict(batch, [files.length, 3, size, size]);
      inferenceMs += performance.now() - inferenceStart;

      files.forEach((file, index) => {
        const row = logits.subarray(index * model.numClasses, (index + 1) * model.numClasses);
        results.push({ file, backend: backend.name, top: topK(row, options.top, labels) });
      });
      progress.update(results.length);
    }
    progress.stop();

    const totalSeconds = (performance.now() - started) / 1000;
    if (options.json) {
      reporter.info(JSON.stringify(results, null, 2));
    } else {
      printResults(results, reporter);
      reporter.info(
        `backend ${backend.name}: ${results.length} image${results.length === 1 ? '' : 's'} in ${totalSeconds.toFixed(2)} s ` +
          `(inference ${(inferenceMs / 1000).toFixed(2)} s, model ${describeModel(model.description.variant)} at ${size} x ${size})`,
      );
    }
    return results;
  } finally {
    model.dispose();
  }
}

async function resolveLabels(path: string | undefined, numClasses: number): Promise<readonly string[]> {
  if (path) {
    const labels = await readLabelsFile(path);
    if (labels.length !== numClasses) {
      throw new CommandError(`labels file '${path}' has ${labels.length} labels but the model has ${numClasses} classes`);
    }
    return labels;
  }
  if (numClasses === IMAGENET_CLASSES.length) return IMAGENET_CLASSES;
  return Array.from({ length: numClasses }, (_, index) => `class ${index}`);
}

function printResults(results: readonly ImageResult[], reporter: Reporter): void {
  for (const result of results) {
    reporter.info(result.file);
    result.top.forEach((prediction, rank) => {
      const percent = `${(prediction.probability * 100).toFixed(2)}%`.padStart(7);
      reporter.info(`  ${rank + 1}. ${percent}  ${prediction.label}  (class ${prediction.index}, logit ${prediction.logit.toFixed(4)})`);
    });
  }
}

function describeModel(variant: string | null): string {
  return variant ? variant.toUpperCase() : 'custom';
}

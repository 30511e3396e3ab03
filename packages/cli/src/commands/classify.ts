import { IMAGENET_CLASSES, loadModel, preprocessImageFile, readLabelsFile, topK, type ModelChoice, type Prediction } from '@mobilemamba/models';
import { describeBackendChoice, selectBackend } from '../backends.js';
import { CommandError } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Reporter } from '../reporter.js';

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
  const backend = await selectBackend(options.backend, reporter.debug);
  const model = await loadModel(options.weights, {
    model: options.model,
    backend,
    ...(options.entry ? { entry: options.entry } : {}),
    ...(options.size ? { imgSize: options.size } : {}),
  });

  try {
    if (model.description.imgSizeSource === 'default') {
      // A model trained at another size gives confident nonsense at 224, so warn before the results.
      reporter.warn(`mobilemamba: warning: ${options.weights} records no input size, so the images are resized to ${model.imgSize} x ${model.imgSize}; pass --size if the model was trained at another size`);
    }
    const labels = await resolveLabels(options.labels, model.numClasses);
    const size = model.imgSize;
    const results: ImageResult[] = [];
    const failures: { file: string; error: unknown }[] = [];
    const progress = createProgress(options.images.length, 'images');
    // Without a progress bar (output piped or one image), each batch prints as soon as it is done.
    const printEachBatch = !options.json && !progress.active;
    let inferenceMs = 0;

    for (let first = 0; first < options.images.length; first += options.batchSize) {
      const files: string[] = [];
      const inputs: Float32Array[] = [];
      for (const file of options.images.slice(first, first + options.batchSize)) {
        try {
          inputs.push((await preprocessImageFile(file, size)).input);
          files.push(file);
        } catch (error) {
          // One unreadable image should not cost the results of the others.
          failures.push({ file, error });
          if (options.images.length > 1) reporter.warn(`mobilemamba: skipped ${file}: ${(error as Error).message}`);
        }
      }
      if (files.length === 0) continue;

      const batch = new Float32Array(files.length * 3 * size * size);
      inputs.forEach((input, index) => batch.set(input, index * input.length));
      const inferenceStart = performance.now();
      const logits = await model.predict(batch, [files.length, 3, size, size]);
      inferenceMs += performance.now() - inferenceStart;

      const batchResults = files.map((file, index) => {
        const row = logits.subarray(index * model.numClasses, (index + 1) * model.numClasses);
        return { file, backend: backend.name, top: topK(row, options.top, labels) };
      });
      results.push(...batchResults);
      if (printEachBatch) printResults(batchResults, reporter);
      progress.update(results.length + failures.length);
    }
    progress.stop();

    if (failures.length === options.images.length && failures.length === 1) throw failures[0].error;
    const totalSeconds = (performance.now() - started) / 1000;
    if (options.json) {
      reporter.info(JSON.stringify(results, null, 2));
    } else {
      if (!printEachBatch) printResults(results, reporter);
      reporter.info(
        `backend ${describeBackendChoice(backend, options.backend, reporter.debug !== undefined)}: ${results.length} image${results.length === 1 ? '' : 's'} in ${totalSeconds.toFixed(2)} s ` +
          `(inference ${(inferenceMs / 1000).toFixed(2)} s, model ${describeModel(model.description.variant)} at ${size} x ${size})`,
      );
    }
    if (failures.length > 0) {
      throw new CommandError(`${failures.length} of ${options.images.length} images could not be classified (listed above)`);
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
    const rankWidth = String(result.top.length).length;
    result.top.forEach((prediction, rank) => {
      const percent = `${(prediction.probability * 100).toFixed(2)}%`.padStart(7);
      // Without a labels file the label is already "class N", so the index is not repeated.
      const index = prediction.label === `class ${prediction.index}` ? '' : `class ${prediction.index}, `;
      reporter.info(`  ${String(rank + 1).padStart(rankWidth)}. ${percent}  ${prediction.label}  (${index}logit ${prediction.logit.toFixed(4)})`);
    });
  }
}

function describeModel(variant: string | null): string {
  return variant ? variant.toUpperCase() : 'custom';
}

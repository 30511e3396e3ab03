import type { Backend } from '@mobilemamba/core';
import { IMAGENET_CLASSES, MobileMamba, evalTransform, loadModel, topK, type Prediction, type RgbImage } from '@mobilemamba/models';
import { createBackend, destroyQuietly, type BackendName } from './backends.js';

/** A checkpoint and how to run it. */
export interface ModelSource {
  /** File name shown in the page and in errors. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Input size in pixels; undefined lets the checkpoint decide (its variant, its metadata, or 224). */
  readonly imgSize?: number;
  /** Class names in index order; undefined gives the ImageNet names for 1000 classes and "class N" otherwise. */
  readonly labels?: readonly string[];
}

/** One classification and its cost. */
export interface Classification {
  readonly top: readonly Prediction[];
  readonly logits: Float32Array;
  /** Milliseconds of the evaluation transform (resize, crop, normalisation). */
  readonly preprocessMs: number;
  /** Milliseconds of MobileMamba.predict: upload, forward pass and download of the logits. */
  readonly inferenceMs: number;
  /** True for the first run after the model was loaded, which may also compile shaders or pack weights. */
  readonly firstRun: boolean;
  /** The backend's live storage after the run, which is the model's weights when nothing leaked. */
  readonly memory: { readonly bytes: number; readonly allocations: number };
}

/** A loaded model on an initialised backend. */
interface Loaded {
  readonly backend: Backend;
  readonly model: MobileMamba;
  readonly source: ModelSource;
  readonly labels: readonly string[];
}

/**
 * Holds the page's one backend and one model. Each change builds the new
 * backend or model first and frees the old one only when that succeeded,
 * so a failed change leaves the page working as before.
 */
export class Session {
  private loaded: Loaded | null = null;
  private runs = 0;

  get backendName(): BackendName | null {
    return (this.loaded?.backend.name as BackendName | undefined) ?? null;
  }

  get model(): MobileMamba | null {
    return this.loaded?.model ?? null;
  }

  get source(): ModelSource | null {
    return this.loaded?.source ?? null;
  }

  /** Switches to backend `name`, loading the current model (or `source`) on it. */
  async useBackend(name: BackendName, source: ModelSource | null = this.source): Promise<void> {
    if (source === null) throw new Error('no model to load; choose a checkpoint first');

    const backend = createBackend(name);
    let loaded: Loaded;
    try {
      await backend.init();
      loaded = await loadOn(backend, source);
    } catch (error) {
      await destroyQuietly(backend);
      throw error;
    }
    await this.replace(loaded);
  }

  /** Loads `source` on the current backend, replacing the current model. */
  async useModel(source: ModelSource): Promise<void> {
    const previous = this.loaded;
    if (!previous) throw new Error('no backend is running; choose one first');

    const loaded = await loadOn(previous.backend, source);
    previous.model.dispose();
    this.loaded = loaded;
    this.runs = 0;
  }

  /** Preprocesses `image` at the model's input size, runs the model and ranks the classes. */
  async classify(image: RgbImage, k = 5): Promise<Classification> {
    if (!this.loaded) throw new Error('no model is loaded; choose a backend or load a checkpoint first');
    const { backend, model, labels } = this.loaded;

    const preprocessStart = performance.now();
    const input = evalTransform(image, model.imgSize);
    const inferenceStart = performance.now();
    const logits = await model.predict(input, [1, 3, model.imgSize, model.imgSize]);
    const end = performance.now();

    const firstRun = this.runs === 0;
    this.runs++;
    const { bytes, allocations } = backend.memory();
    return {
      top: topK(logits, k, labels),
      logits,
      preprocessMs: inferenceStart - preprocessStart,
      inferenceMs: end - inferenceStart,
      firstRun,
      memory: { bytes, allocations },
    };
  }

  /** Frees the model and destroys the backend. */
  async dispose(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = null;
    if (!loaded) return;
    loaded.model.dispose();
    await destroyQuietly(loaded.backend);
  }

  private async replace(loaded: Loaded): Promise<void> {
    await this.dispose();
    this.loaded = loaded;
    this.runs = 0;
  }
}

/** Loads a checkpoint on an initialised backend and resolves its labels. */
async function loadOn(backend: Backend, source: ModelSource): Promise<Loaded> {
  const model = await loadModel(source.bytes, { backend, ...(source.imgSize !== undefined ? { imgSize: source.imgSize } : {}) });
  try {
    return { backend, model, source, labels: resolveLabels(source, model.numClasses) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

function resolveLabels(source: ModelSource, numClasses: number): readonly string[] {
  if (source.labels) {
    if (source.labels.length !== numClasses) {
      throw new Error(`the labels file has ${source.labels.length} labels but the model has ${numClasses} classes`);
    }
    return source.labels;
  }
  if (numClasses === IMAGENET_CLASSES.length) return IMAGENET_CLASSES;
  return Array.from({ length: numClasses }, (_, index) => `class ${index}`);
}

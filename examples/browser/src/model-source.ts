import { MAX_IMAGE_SIZE, parseLabels } from '@mobilemamba/models';
import { MNIST_INPUT_SIZE, MNIST_LABELS_TEXT, MNIST_MODEL_NAME, fetchMnistCheckpoint } from './bundled.js';
import type { ModelSource } from './session.js';

let mnistBytes: Promise<Uint8Array> | null = null;

/** Returns the bundled MNIST model; its checkpoint is fetched once and kept for later switches. */
export async function mnistSource(): Promise<ModelSource> {
  mnistBytes ??= fetchMnistCheckpoint().catch((error: unknown) => {
    mnistBytes = null;
    throw error;
  });
  return {
    name: MNIST_MODEL_NAME,
    bytes: await mnistBytes,
    imgSize: MNIST_INPUT_SIZE,
    labels: parseLabels(MNIST_LABELS_TEXT, 'labels.txt'),
  };
}

/**
 * Reads the checkpoint form: the checkpoint file, the optional labels file
 * and the optional input size. The checkpoint itself is checked when it is
 * loaded.
 */
export async function sourceFromFiles(checkpoint: File | undefined, labelsFile: File | undefined, inputSize: string): Promise<ModelSource> {
  if (!checkpoint) throw new Error('no checkpoint file chosen; pick a .pth or .safetensors file');

  const imgSize = parseInputSize(inputSize);
  const labels = labelsFile ? parseLabels(await labelsFile.text(), labelsFile.name) : undefined;
  const bytes = new Uint8Array(await checkpoint.arrayBuffer());
  return { name: checkpoint.name, bytes, ...(imgSize !== undefined ? { imgSize } : {}), ...(labels ? { labels } : {}) };
}

/** Parses the input size field: empty means the checkpoint decides, else an integer from 1 to MAX_IMAGE_SIZE. */
function parseInputSize(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;

  const size = Number(trimmed);
  if (!Number.isInteger(size) || size < 1 || size > MAX_IMAGE_SIZE) {
    throw new Error(`invalid input size '${trimmed}': expected a whole number of pixels from 1 to ${MAX_IMAGE_SIZE}, or an empty field`);
  }
  return size;
}

import { MAX_IMAGE_SIZE, parseLabels } from '@mobilemamba/models';
import { MNIST_INPUT_SIZE, MNIST_LABELS_TEXT, MNIST_MODEL_NAME, fetchMnistCheckpoint } from './bundled.js';
import type { ModelSource } from './session.js';

/** Largest labels file the page reads (16 MiB), the limit the models package's readLabelsFile applies in Node. */
const MAX_LABELS_FILE_BYTES = 16 * 2 ** 20;

/** Largest checkpoint file the page reads (2 GiB less one byte), the limit the models package applies to checkpoint files in Node. */
const MAX_CHECKPOINT_FILE_BYTES = 2 ** 31 - 1;

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
  checkFileSize(checkpoint, MAX_CHECKPOINT_FILE_BYTES, 'checkpoint', '2 GiB');
  if (labelsFile) checkFileSize(labelsFile, MAX_LABELS_FILE_BYTES, 'labels file', '16 MiB');

  // The size check comes first, because Blob.text() in Chromium 156 returned '' for a 600 MiB file instead of failing.
  const labels = labelsFile ? parseLabels(await labelsFile.text(), labelsFile.name) : undefined;
  const bytes = new Uint8Array(await checkpoint.arrayBuffer());
  return { name: checkpoint.name, bytes, ...(imgSize !== undefined ? { imgSize } : {}), ...(labels ? { labels } : {}) };
}

/**
 * Parses the input size field: empty means the checkpoint decides, else
 * decimal digits for an integer from 1 to MAX_IMAGE_SIZE. Forms such as
 * '1e3', '0x40' or '64.0', which Number() accepts, are rejected.
 */
function parseInputSize(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;

  const size = /^[0-9]+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(size >= 1 && size <= MAX_IMAGE_SIZE)) {
    throw new Error(`invalid input size '${trimmed}': expected a whole number of pixels from 1 to ${MAX_IMAGE_SIZE}, or an empty field for the checkpoint's own size`);
  }
  return size;
}

function checkFileSize(file: File, maxBytes: number, kind: string, limit: string): void {
  if (file.size > maxBytes) {
    throw new Error(`the ${kind} '${file.name}' has ${file.size} bytes, more than the limit of ${maxBytes} bytes (${limit})`);
  }
}

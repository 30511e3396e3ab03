// The MNIST example's files are imported from examples/mnist, so Vite copies
// them into the build (or inlines the small PNGs as data: URLs) and the
// repository keeps one copy of each.
import labelsText from '../../mnist/labels.txt?raw';
import modelUrl from '../../mnist/mnist_tiny.pth?url';

/** A bundled MNIST test digit. */
export interface BundledDigit {
  /** File name in examples/mnist, `<index>_<label>.png`. */
  readonly file: string;
  /** The true digit, from the file name. */
  readonly label: number;
  readonly url: string;
}

/**
 * Input size of the bundled model. It was trained on 64 x 64 inputs, and
 * its .pth file does not record the size, so the page passes it.
 */
export const MNIST_INPUT_SIZE = 64;

/** Name shown for the bundled model. */
export const MNIST_MODEL_NAME = 'mnist_tiny.pth';

const digitUrls = import.meta.glob<string>('../../mnist/*.png', { eager: true, query: '?url', import: 'default' });

/** The bundled digits, in file name order. */
export const BUNDLED_DIGITS: readonly BundledDigit[] = Object.entries(digitUrls)
  .map(([path, url]) => {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return { file, label: Number(/_(\d)\.png$/.exec(file)?.[1] ?? Number.NaN), url };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

/** The class names of the bundled model, the digits 0 to 9. */
export const MNIST_LABELS_TEXT: string = labelsText;

/** Fetches the bundled model's checkpoint. */
export async function fetchMnistCheckpoint(): Promise<Uint8Array> {
  return fetchBytes(modelUrl, MNIST_MODEL_NAME);
}

/** Fetches a URL as bytes, with an error that names the file when the request fails. */
export async function fetchBytes(url: string, name: string): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${name} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!response.ok) throw new Error(`could not fetch ${name}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

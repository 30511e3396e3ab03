import { decodeImage, type DecodeImageOptions } from './decode.js';
import { validatePositiveInteger, type RgbImage } from './image.js';
import { evalTransformSteps, type EvalTransformSteps } from './transform.js';

/** preprocessImageFile's result: the decoded image and every transform step. */
export interface PreprocessedImage extends EvalTransformSteps {
  /** The file's pixels as 8-bit RGB, before any resize. */
  readonly image: RgbImage;
}

/**
 * Decodes a PNG or JPEG file (a path or its bytes) and runs the evaluation
 * transform at input size `size`. Node only, because decoding needs sharp.
 * The result's `input` is float32 [3, size, size].
 */
export async function preprocessImageFile(
  input: string | Uint8Array,
  size: number,
  options: DecodeImageOptions = {},
): Promise<PreprocessedImage> {
  validatePositiveInteger('preprocessImageFile', 'size', size);
  const image = await decodeImage(input, options);
  return { image, ...evalTransformSteps(image, size) };
}

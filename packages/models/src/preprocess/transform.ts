import { InvalidArgumentError } from '@mobilemamba/core';
import { centerCrop, centerCropOffsets, type CropOffsets } from './crop.js';
import { validatePositiveInteger, validateRgbImage, type RgbImage } from './image.js';
import { normalizeToChw } from './normalize.js';
import { resizeBicubic } from './resize.js';

/**
 * Share of the resized image that the centre crop keeps: the shorter side is
 * resized to int(size / 0.875), so 219 for size 192 and 73 for size 64.
 */
export const EVAL_CROP_FRACTION = 0.875;

/** Height and width of an image. */
export interface ImageSize {
  readonly height: number;
  readonly width: number;
}

/** The evaluation transform's output with its intermediate steps. */
export interface EvalTransformSteps {
  /** The normalised crop, float32 [3, size, size], channel first. */
  readonly input: Float32Array;
  /** The image after the bicubic resize, before the crop. */
  readonly resized: RgbImage;
  /** Corner of the crop inside `resized`. */
  readonly crop: CropOffsets;
}

/**
 * Returns the size torchvision 0.14's Resize(int(size / 0.875)) gives an
 * image: the shorter side becomes int(size / 0.875), and the longer side
 * that times long / short, truncated (451 x 300 at size 192 gives 329 x 219).
 */
export function evalResizeSize(height: number, width: number, size: number): ImageSize {
  validatePositiveInteger('evalResizeSize', 'height', height);
  validatePositiveInteger('evalResizeSize', 'width', width);
  validatePositiveInteger('evalResizeSize', 'size', size);

  const shortSide = Math.trunc(size / EVAL_CROP_FRACTION);
  const resized = width <= height
    ? { height: Math.trunc((shortSide * height) / width), width: shortSide }
    : { height: shortSide, width: Math.trunc((shortSide * width) / height) };

  // An extreme aspect ratio would need gigabytes for the resized image; reject it before allocating.
  if (resized.height * resized.width > MAX_RESIZED_PIXELS) {
    throw new InvalidArgumentError(
      'evalResizeSize',
      'size',
      size,
      `resizing a ${height} x ${width} image gives ${resized.height} x ${resized.width} pixels, more than the limit of ${MAX_RESIZED_PIXELS}; crop the image to a less extreme aspect ratio or use a smaller size`,
    );
  }
  return resized;
}

/** Largest intermediate image the resize may produce: 64 megapixels, 192 MiB of RGB. */
export const MAX_RESIZED_PIXELS = 64 * 2 ** 20;

/**
 * Runs the MobileMamba authors' evaluation transform (torchvision 0.14 Resize
 * with Pillow's bicubic filter, CenterCrop, ToTensor, Normalize with the
 * ImageNet statistics) on a decoded RGB image, and returns the intermediate
 * steps as well as the input tensor.
 */
export function evalTransformSteps(image: RgbImage, size: number): EvalTransformSteps {
  validateRgbImage('evalTransform', 'image', image);
  validatePositiveInteger('evalTransform', 'size', size);

  const target = evalResizeSize(image.height, image.width, size);
  const resized = resizeBicubic(image, target.height, target.width);

  const crop = centerCropOffsets(resized.height, resized.width, size);
  const cropped = centerCrop(resized, size);

  return { input: normalizeToChw(cropped), resized, crop };
}

/**
 * Preprocesses a decoded RGB image for a MobileMamba classifier at input size
 * `size` (192 for T2), exactly as the authors' evaluation transform does.
 * Returns float32 [3, size, size]. Add a batch axis for the model.
 */
export function evalTransform(image: RgbImage, size: number): Float32Array {
  return evalTransformSteps(image, size).input;
}

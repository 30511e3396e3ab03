import { InvalidArgumentError } from '@mobilemamba/core';
import { validatePositiveInteger, validateRgbImage, type RgbImage } from './image.js';

/**
 * Rounds to the nearest integer with halves going to the even neighbour, as
 * Python 3's round() does for floats: 13.5 gives 14 but 68.5 gives 68.
 * JavaScript's Math.round sends every half up instead.
 */
export function roundHalfEven(value: number): number {
  if (!Number.isFinite(value)) return value;

  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Top-left corner of a centred crop. */
export interface CropOffsets {
  readonly top: number;
  readonly left: number;
}

/**
 * Returns the corner of torchvision's CenterCrop (0.14): top =
 * round((height - size) / 2) and left = round((width - size) / 2), rounded
 * half to even.
 */
export function centerCropOffsets(height: number, width: number, size: number): CropOffsets {
  validatePositiveInteger('centerCropOffsets', 'height', height);
  validatePositiveInteger('centerCropOffsets', 'width', width);
  validatePositiveInteger('centerCropOffsets', 'size', size);
  if (size > height || size > width) {
    throw new InvalidArgumentError(
      'centerCropOffsets',
      'size',
      size,
      `the crop is larger than the ${height} x ${width} image; torchvision would pad, which this function does not`,
    );
  }

  return { top: roundHalfEven((height - size) / 2), left: roundHalfEven((width - size) / 2) };
}

/** Copies the centred size x size square out of an RGB image, at the corner centerCropOffsets returns. */
export function centerCrop(image: RgbImage, size: number): RgbImage {
  validateRgbImage('centerCrop', 'image', image);
  const { top, left } = centerCropOffsets(image.height, image.width, size);

  const rowLength = size * 3;
  const out = new Uint8Array(size * rowLength);
  for (let y = 0; y < size; y++) {
    const from = ((top + y) * image.width + left) * 3;
    out.set(image.data.subarray(from, from + rowLength), y * rowLength);
  }

  return { data: out, height: size, width: size };
}

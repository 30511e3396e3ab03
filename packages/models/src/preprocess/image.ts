import { InvalidArgumentError } from '@mobilemamba/core';

/** An 8-bit RGB image, rows top to bottom, pixels interleaved (height, width, channel). */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
}

/** Throws InvalidArgumentError unless `value` is a positive safe integer. */
export function validatePositiveInteger(op: string, argument: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(op, argument, value, 'expected a positive integer');
  }
}

/**
 * Throws InvalidArgumentError unless `image` has positive integer sizes and
 * a Uint8Array of exactly height * width * 3 bytes.
 */
export function validateRgbImage(op: string, argument: string, image: RgbImage): void {
  if (image === null || typeof image !== 'object') {
    throw new InvalidArgumentError(op, argument, image, 'expected an object { data, height, width }');
  }
  validatePositiveInteger(op, `${argument}.height`, image.height);
  validatePositiveInteger(op, `${argument}.width`, image.width);

  if (!(image.data instanceof Uint8Array)) {
    throw new InvalidArgumentError(op, `${argument}.data`, image.data, 'expected a Uint8Array of RGB bytes');
  }
  const expected = image.height * image.width * 3;
  if (image.data.length !== expected) {
    throw new InvalidArgumentError(
      op,
      `${argument}.data`,
      image.data,
      `expected ${expected} bytes (height ${image.height} x width ${image.width} x 3 channels), got ${image.data.length}`,
    );
  }
}

import { InvalidArgumentError } from '@mobilemamba/core';
import { validateRgbImage, type RgbImage } from './image.js';

/** Per-channel mean of ImageNet-1k training images (R, G, B), on the 0..1 scale. */
export const IMAGENET_MEAN: readonly [number, number, number] = [0.485, 0.456, 0.406];

/** Per-channel standard deviation of ImageNet-1k training images (R, G, B), on the 0..1 scale. */
export const IMAGENET_STD: readonly [number, number, number] = [0.229, 0.224, 0.225];

/**
 * Converts an RGB image to a float32 tensor [3, height, width] (channel
 * first), each value (pixel / 255 - mean) / std.
 *
 * The arithmetic follows torchvision 0.14's ToTensor then Normalize: divide
 * by 255, subtract the mean and divide by the standard deviation, every step
 * rounded to float32, with mean and std themselves rounded to float32 first.
 * Rounding a double result of +, - or / on float32 operands to float32
 * gives the float32 result exactly, so the output matches PyTorch's bits.
 */
export function normalizeToChw(
  image: RgbImage,
  mean: readonly number[] = IMAGENET_MEAN,
  std: readonly number[] = IMAGENET_STD,
): Float32Array {
  validateRgbImage('normalizeToChw', 'image', image);
  if (mean.length !== 3 || !mean.every(Number.isFinite)) {
    throw new InvalidArgumentError('normalizeToChw', 'mean', mean, 'expected three finite numbers (R, G, B)');
  }
  if (std.length !== 3 || !std.every((value) => Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError('normalizeToChw', 'std', std, 'expected three finite positive numbers (R, G, B)');
  }
  const table = buildLookupTable(mean, std);

  const planeSize = image.height * image.width;
  const out = new Float32Array(3 * planeSize);
  const source = image.data;
  for (let i = 0, p = 0; i < planeSize; i++, p += 3) {
    out[i] = table[source[p]];
    out[planeSize + i] = table[256 + source[p + 1]];
    out[2 * planeSize + i] = table[512 + source[p + 2]];
  }

  return out;
}

/** Builds the float32 output of every channel and 8-bit value, stored at index c * 256 + v. */
function buildLookupTable(mean: readonly number[], std: readonly number[]): Float32Array {
  const table = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    const channelMean = Math.fround(mean[c]);
    const channelStd = Math.fround(std[c]);
    for (let v = 0; v < 256; v++) {
      const scaled = Math.fround(v / 255);
      table[c * 256 + v] = Math.fround(scaled - channelMean) / channelStd;
    }
  }
  return table;
}

import type { HaarAttributes, InverseHaarAttributes, KernelTensor } from '@mobilemamba/core';
import { valuesOf } from './data.js';

/**
 * Computes the one-level 2-D Haar transform of each channel, as PyTorch's
 * reference does with a stride-2 2x2 depthwise filter bank. With
 * s = attributes.tap and the 2x2 input block [a, b; c, d] at rows 2i, 2i+1
 * and columns 2j, 2j+1, the four filters (row by row) and subbands are:
 *
 *   k = 0 (LL) [s,  s;  s,  s]   s (a + b + c + d)
 *   k = 1      [s,  s; -s, -s]   s (a + b - c - d)
 *   k = 2      [s, -s;  s, -s]   s (a - b + c - d)
 *   k = 3      [s, -s; -s,  s]   s (a - b - c + d)
 *
 * Subband k of input channel c is output channel 4c + k. An odd height or
 * width reads zeros past the bottom or right edge (zero padding).
 */
export function dwt2d(x: KernelTensor, attributes: HaarAttributes): Float32Array {
  const values = valuesOf(x);
  const s = attributes.tap;
  const [batch, channels, height, width] = x.shape;
  const [halfHeight, halfWidth] = [Math.ceil(height / 2), Math.ceil(width / 2)];
  const subbandSize = halfHeight * halfWidth;
  const out = new Float32Array(batch * channels * 4 * subbandSize);

  for (let plane = 0; plane < batch * channels; plane++) {
    const inputOffset = plane * height * width;
    const outputOffset = plane * 4 * subbandSize;
    // Reads x[row, column] of this plane, or the zero padding past the edge.
    const at = (row: number, column: number): number =>
      row < height && column < width ? values[inputOffset + row * width + column] : 0;

    for (let i = 0; i < halfHeight; i++) {
      for (let j = 0; j < halfWidth; j++) {
        const [a, b] = [at(2 * i, 2 * j), at(2 * i, 2 * j + 1)];
        const [c, d] = [at(2 * i + 1, 2 * j), at(2 * i + 1, 2 * j + 1)];
        const position = outputOffset + i * halfWidth + j;
        out[position] = s * (a + b + c + d);
        out[position + subbandSize] = s * (a + b - c - d);
        out[position + 2 * subbandSize] = s * (a - b + c - d);
        out[position + 3 * subbandSize] = s * (a - b - c + d);
      }
    }
  }
  return out;
}

/**
 * Computes the Haar synthesis, PyTorch's stride-2 transposed convolution
 * with the same four filters: each subband value spreads its filter over a
 * 2x2 output block. With subbands (LL, H1, H2, H3) = x[4c .. 4c+3] at (i, j):
 *
 *   y[2i,   2j]   = s (LL + H1 + H2 + H3)    y[2i,   2j+1] = s (LL + H1 - H2 - H3)
 *   y[2i+1, 2j]   = s (LL - H1 + H2 - H3)    y[2i+1, 2j+1] = s (LL - H1 - H2 + H3)
 *
 * The 2h x 2w result is cropped at the bottom and right to outHeight x
 * outWidth, which undoes the zero padding of an odd-sized analysis.
 */
export function idwt2d(x: KernelTensor, attributes: InverseHaarAttributes): Float32Array {
  const values = valuesOf(x);
  const s = attributes.tap;
  const { outHeight, outWidth } = attributes;
  const [batch, subbands, halfHeight, halfWidth] = x.shape;
  const planes = batch * (subbands / 4);
  const subbandSize = halfHeight * halfWidth;
  const out = new Float32Array(planes * outHeight * outWidth);

  for (let plane = 0; plane < planes; plane++) {
    const inputOffset = plane * 4 * subbandSize;
    const outputOffset = plane * outHeight * outWidth;
    // Writes y[row, column] of this plane unless the crop removes it.
    const put = (row: number, column: number, value: number): void => {
      if (row < outHeight && column < outWidth) out[outputOffset + row * outWidth + column] = value;
    };

    for (let i = 0; i < halfHeight; i++) {
      for (let j = 0; j < halfWidth; j++) {
        const position = inputOffset + i * halfWidth + j;
        const low = values[position];
        const rows = values[position + subbandSize];
        const columns = values[position + 2 * subbandSize];
        const diagonal = values[position + 3 * subbandSize];
        put(2 * i, 2 * j, s * (low + rows + columns + diagonal));
        put(2 * i, 2 * j + 1, s * (low + rows - columns - diagonal));
        put(2 * i + 1, 2 * j, s * (low - rows + columns - diagonal));
        put(2 * i + 1, 2 * j + 1, s * (low - rows - columns + diagonal));
      }
    }
  }
  return out;
}

import { MobileMambaError } from '@mobilemamba/core';
import type { HostTensor } from '../checkpoint/types.js';

/** Signs of the four 2x2 Haar filters, row by row, in subband order. */
export const HAAR_SIGNS: readonly (readonly number[])[] = [
  [1, 1, 1, 1],
  [1, 1, -1, -1],
  [1, -1, 1, -1],
  [1, -1, -1, 1],
];

/**
 * Checks that a stored [4C, 1, 2, 2] filter bank is the Haar (db1) bank the
 * kernels implement and returns its tap magnitude (0.49999997 in the
 * reference's float32 filters). Other wavelets raise a clear error.
 */
export function readHaarTap(filters: HostTensor, key: string): number {
  const { data, shape } = filters;
  const valid = shape.length === 4 && shape[0] % 4 === 0 && shape[1] === 1 && shape[2] === 2 && shape[3] === 2;
  if (!valid) throw new MobileMambaError(`${key}: expected a [4C, 1, 2, 2] Haar filter bank, got [${shape.join(', ')}]`);

  const tap = Math.abs(data[0]);
  for (let filter = 0; filter < shape[0]; filter++) {
    const signs = HAAR_SIGNS[filter % 4];
    for (let i = 0; i < 4; i++) {
      if (data[4 * filter + i] !== signs[i] * tap) {
        throw new MobileMambaError(
          `${key}: filter ${filter} is not the Haar (db1) filter with tap ${tap}; only Haar wavelets are supported`,
        );
      }
    }
  }
  return tap;
}

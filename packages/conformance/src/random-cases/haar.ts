import { dwt2d, idwt2d } from '@mobilemamba/core';
import { normalTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

function dwtCase(name: string, shape: number[]): RandomCase {
  return {
    id: `random/haar/dwt2d-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape) }),
    compute: (t) => ({ out: dwt2d(t.x) }),
  };
}

function idwtCase(name: string, shape: number[], outHeight: number, outWidth: number): RandomCase {
  return {
    id: `random/haar/idwt2d-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape) }),
    compute: (t) => ({ out: idwt2d(t.x, outHeight, outWidth) }),
  };
}

/** Analysis then synthesis cropped back, as the wavelet branch runs it on odd sizes. */
function roundTripCase(name: string, shape: number[]): RandomCase {
  const [, , height, width] = shape;
  return {
    id: `random/haar/round-trip-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape) }),
    compute: (t) => {
      const bands = dwt2d(t.x);
      return { bands, out: idwt2d(bands, height, width) };
    },
  };
}

export const haarRandomCases: readonly RandomCase[] = [
  dwtCase('odd-size', [2, 3, 5, 7]),
  dwtCase('1x1', [1, 2, 1, 1]),
  dwtCase('even-size', [1, 4, 6, 8]),
  idwtCase('uncropped', [2, 8, 3, 4], 6, 8),
  idwtCase('cropped', [2, 12, 3, 4], 5, 7),
  idwtCase('cropped-to-1x1', [1, 4, 1, 1], 1, 1),
  roundTripCase('odd-size', [2, 3, 5, 7]),
  roundTripCase('odd-height', [1, 5, 3, 4]),
];

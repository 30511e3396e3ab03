import { concat, flip, slice, split, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make, pseudoRandom } from './helpers.js';

describe('layout kernels', () => {
  for (const axis of [0, 1, 2, -1]) {
    it(`flips twice to the identity along axis ${axis}`, () => {
      const x = pseudoRandom(2 * 3 * 5, 21);
      const out = tidy(() => flip(flip(make(x, [2, 3, 5]), axis), axis));

      expect(Array.from(out.dataSync())).toEqual(Array.from(x));
      out.dispose();
    });
  }

  it('reverses the last axis', () => {
    const out = tidy(() => flip(make([1, 2, 3, 4, 5, 6], [2, 3]), 1));

    expect(Array.from(out.dataSync())).toEqual([3, 2, 1, 6, 5, 4]);
    out.dispose();
  });

  it('copies an inner box with slice', () => {
    // x[i, j] = 10 i + j on a 3x4 grid; rows 1..2, columns 1..3.
    const grid = Array.from({ length: 12 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4));
    const out = tidy(() => slice(make(grid, [3, 4]), [1, 1], [2, -1]));

    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.dataSync())).toEqual([11, 12, 13, 21, 22, 23]);
    out.dispose();
  });

  for (const axis of [0, 1, 3]) {
    it(`splits and concatenates back along axis ${axis}`, () => {
      const shape = [2, 5, 3, 4];
      const x = pseudoRandom(2 * 5 * 3 * 4, 22 + axis);
      const sizes = axis === 0 ? [1, 1] : axis === 1 ? [2, 0, 3] : [1, 3];
      const out = tidy(() => concat(split(make(x, shape), sizes, axis), axis));

      expect(out.shape).toEqual(shape);
      expect(Array.from(out.dataSync())).toEqual(Array.from(x));
      out.dispose();
    });
  }
});

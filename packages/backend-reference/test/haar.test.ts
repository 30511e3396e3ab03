import { dwt2d, HAAR_TAP, idwt2d, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make, maxAbsDifference, pseudoRandom } from './helpers.js';

describe('dwt2d and idwt2d', () => {
  it('computes the four subbands of one block', () => {
    const bands = tidy(() => dwt2d(make([1, 2, 3, 4], [1, 1, 2, 2])));
    const s = HAAR_TAP;

    // Block [a, b; c, d] = [1, 2; 3, 4]: LL = s(a+b+c+d), then s(a+b-c-d), s(a-b+c-d), s(a-b-c+d).
    expect(bands.shape).toEqual([1, 4, 1, 1]);
    expect(Array.from(bands.dataSync())).toEqual([10 * s, -4 * s, -2 * s, 0].map(Math.fround));
    bands.dispose();
  });

  it('puts subband k of channel c at channel 4c + k', () => {
    const bands = tidy(() => dwt2d(make([1, 1, 1, 1, 0, 0, 0, 0], [1, 2, 2, 2])));

    expect(Array.from(bands.dataSync())).toEqual([4 * HAAR_TAP, 0, 0, 0, 0, 0, 0, 0].map(Math.fround));
    bands.dispose();
  });

  for (const [height, width] of [[4, 6], [5, 7], [1, 1], [3, 4]]) {
    it(`reconstructs a ${height}x${width} input`, () => {
      const input = pseudoRandom(2 * 3 * height * width, height * 100 + width);
      const output = tidy(() => {
        const bands = dwt2d(make(input, [2, 3, height, width]));
        return idwt2d(bands, height, width);
      });

      // The tap 0.49999997 makes the round trip scale by 4 s^2 = 1 - 1.2e-7.
      expect(output.shape).toEqual([2, 3, height, width]);
      expect(maxAbsDifference(output.dataSync(), input)).toBeLessThan(1e-6);
      output.dispose();
    });
  }

  it('pads odd sizes with zeros at the bottom and right', () => {
    const bands = tidy(() => dwt2d(make([2, 4, 6], [1, 1, 1, 3])));

    // Blocks [2, 4; 0, 0] and [6, 0; 0, 0].
    expect(bands.shape).toEqual([1, 4, 1, 2]);
    const expected = [6, 6, 6, 6, -2, 6, -2, 6].map((v) => Math.fround(v * HAAR_TAP));
    expect(Array.from(bands.dataSync())).toEqual(expected);
    bands.dispose();
  });
});

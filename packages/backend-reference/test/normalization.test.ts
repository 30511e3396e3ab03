import { globalAvgPool, layerNorm, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make } from './helpers.js';

describe('normalization kernels', () => {
  it('normalises over channels at each position', () => {
    // Two channels at two positions: the channel values are (1, 3) at position 0 and (-2, 2) at position 1.
    const out = tidy(() => layerNorm(make([1, -2, 3, 2], [1, 2, 2]), make([1, 2], [2]), make([0, 10], [2]), 1e-12));

    // Each position normalises to (-1, 1), exactly in float32 with eps 1e-12;
    // channel 1 is then scaled by 2 and shifted by 10.
    expect(Array.from(out.dataSync())).toEqual([-1, -1, 12, 12]);
    out.dispose();
  });

  it('returns the bias for a single channel', () => {
    const out = tidy(() => layerNorm(make([5, -7], [2, 1]), make([3], [1]), make([0.25], [1])));

    expect(Array.from(out.dataSync())).toEqual([0.25, 0.25]);
    out.dispose();
  });

  it('averages each plane', () => {
    const out = tidy(() => globalAvgPool(make([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2])));

    expect(out.shape).toEqual([1, 2]);
    expect(Array.from(out.dataSync())).toEqual([2.5, 25]);
    out.dispose();
  });
});

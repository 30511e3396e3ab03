import { selectiveScan, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make } from './helpers.js';

describe('selectiveScan', () => {
  it('follows the recurrence on a two-step sequence', () => {
    // One channel, one state: h1 = d1 B1 u1, h2 = exp(d2 A) h1 + d2 B2 u2, y_t = h_t C_t + D u_t.
    const [u1, u2, d1, d2, a, b1, b2, c1, c2, skip] = [0.5, -1.5, 0.25, 0.75, -0.8, 1.25, -0.5, 2, 0.3, 0.1];
    const out = tidy(() =>
      selectiveScan(make([u1, u2], [1, 1, 2]), make([d1, d2], [1, 1, 2]), make([a], [1, 1]), make([b1, b2], [1, 1, 1, 2]), make([c1, c2], [1, 1, 1, 2]), {
        D: make([skip], [1]),
      }),
    );

    const h1 = d1 * b1 * u1;
    const h2 = Math.exp(d2 * a) * h1 + d2 * b2 * u2;
    const expected = [h1 * c1 + skip * u1, h2 * c2 + skip * u2].map(Math.fround);
    const actual = Array.from(out.dataSync());
    expect(actual[0]).toBeCloseTo(expected[0], 6);
    expect(actual[1]).toBeCloseTo(expected[1], 6);
    out.dispose();
  });

  it('keeps softplus of a 1e4 delta finite', () => {
    const out = tidy(() =>
      selectiveScan(make([1, 1], [1, 1, 2]), make([1e4, 1e4], [1, 1, 2]), make([-0.5], [1, 1]), make([1, 1], [1, 1, 1, 2]), make([1, 1], [1, 1, 1, 2]), {
        deltaSoftplus: true,
      }),
    );

    // softplus(1e4) = 1e4 exactly; exp(-5e3) underflows to 0, so each step's state is 1e4.
    expect(Array.from(out.dataSync())).toEqual([1e4, 1e4]);
    out.dispose();
  });

  it('gives finite output when exp(delta * A) underflows', () => {
    const length = 6;
    const out = tidy(() =>
      selectiveScan(
        make(new Float32Array(length).fill(2), [1, 1, length]),
        make(new Float32Array(length).fill(3), [1, 1, length]),
        make([-1e30], [1, 1]),
        make(new Float32Array(length).fill(1), [1, 1, 1, length]),
        make(new Float32Array(length).fill(1), [1, 1, 1, length]),
      ),
    );

    // exp(3 * -1e30) is 0, so each step's state is only its own input term: h_t = d_t B_t u_t = 6.
    expect(Array.from(out.dataSync())).toEqual(new Array(length).fill(6));
    out.dispose();
  });

  it('gives channel c of group k the B and C of group k', () => {
    // Two groups of one channel. Group 1's B is zero, so channel 1 outputs only D u.
    const out = tidy(() =>
      selectiveScan(make([1, 1], [1, 2, 1]), make([1, 1], [1, 2, 1]), make([-1, -1], [2, 1]), make([1, 0], [1, 2, 1, 1]), make([1, 1], [1, 2, 1, 1]), {
        D: make([0.5, 0.5], [2]),
      }),
    );

    expect(Array.from(out.dataSync())).toEqual([1.5, 0.5]);
    out.dispose();
  });
});

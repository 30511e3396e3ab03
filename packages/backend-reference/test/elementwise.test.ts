import { add, mul, relu, sigmoid, silu, softplus, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make, pseudoRandom } from './helpers.js';

describe('elementwise kernels', () => {
  it('broadcasts a [1, C, 1, 1] operand in add', () => {
    const [batch, channels, positions] = [2, 3, 4];
    const x = pseudoRandom(batch * channels * positions, 11);
    const bias = [10, 20, 30];
    const out = tidy(() => add(make(x, [batch, channels, 2, 2]), make(bias, [1, channels, 1, 1])));

    const actual = out.dataSync();
    for (let i = 0; i < x.length; i++) {
      const channel = Math.floor(i / positions) % channels;
      expect(actual[i]).toBe(Math.fround(x[i] + bias[channel]));
    }
    out.dispose();
  });

  it('broadcasts both operands in mul', () => {
    // [2, 1] times [3]: an outer product.
    const out = tidy(() => mul(make([2, 3], [2, 1]), make([1, 10, 100], [3])));

    expect(out.shape).toEqual([2, 3]);
    expect(Array.from(out.dataSync())).toEqual([2, 20, 200, 3, 30, 300]);
    out.dispose();
  });

  it('broadcasts a rank-0 operand', () => {
    const out = tidy(() => add(make([1, 2, 3], [3]), make([0.5], [])));

    expect(Array.from(out.dataSync())).toEqual([1.5, 2.5, 3.5]);
    out.dispose();
  });

  it('follows PyTorch softplus around its threshold', () => {
    const out = tidy(() => softplus(make([20.5, 1e4, 0, -100], [4])));
    const [above, huge, zero, negative] = out.dataSync();

    expect(above).toBe(20.5);
    expect(huge).toBe(1e4);
    expect(zero).toBe(Math.fround(Math.LN2));
    expect(negative).toBeGreaterThan(0);
    out.dispose();
  });

  it('keeps activations finite at extreme inputs', () => {
    const extremes = [-1e4, -100, 100, 1e4];
    const outputs = tidy(() => [relu, silu, sigmoid].map((activation) => activation(make(extremes, [4]))));

    for (const out of outputs) expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from(outputs[0].dataSync())).toEqual([0, 0, 100, 1e4]);
    const [vanished, tiny, saturated, alsoSaturated] = outputs[2].dataSync();
    expect([vanished, saturated, alsoSaturated]).toEqual([0, 1, 1]);
    // sigmoid(-100) = 3.7e-44 survives as a float32 subnormal.
    expect(tiny).toBeGreaterThan(0);
    outputs.forEach((t) => t.dispose());
  });
});

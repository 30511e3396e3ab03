import { describe, expect, it } from 'vitest';
import { checkOpOutput, ConformanceMismatchError, logitsBound, measureError, opBound } from '../src/index.js';

const host = (values: number[], shape = [values.length]) => ({ shape, values: Float32Array.from(values) });

describe('bounds', () => {
  it('states the per-op bound relative to max |expected|', () => {
    expect(opBound(8192, 1e-4)).toBeCloseTo(0.8192, 12);
  });

  it('never lets the logits bound fall below the absolute floor', () => {
    expect(logitsBound(0.5, 1e-3)).toBe(1e-3);
    expect(logitsBound(4, 1e-3)).toBe(4e-3);
  });

  it('measures the worst error and where it is', () => {
    const figures = measureError([1, 2.5, -4], [1, 2, -4]);

    expect(figures).toEqual({ maxAbsError: 0.5, maxAbsReference: 4, relativeError: 0.125, worstIndex: 1 });
  });

  it('passes an error just inside the bound', () => {
    // Bound 1e-4 * 8192 = 0.8192; all values are exact in float32.
    const figures = checkOpOutput('out', host([8192, 0.5]), host([8192, 0]), 1e-4);

    expect(figures.maxAbsError).toBe(0.5);
  });

  it('fails an error just outside the bound', () => {
    expect(() => checkOpOutput('out', host([8192, 1]), host([8192, 0]), 1e-4)).toThrow(ConformanceMismatchError);
  });

  it('fails NaN and infinite outputs', () => {
    expect(() => checkOpOutput('out', host([NaN, 1]), host([0, 1]), 1e-4)).toThrow(/Infinity/);
    expect(() => checkOpOutput('out', host([Infinity, 1]), host([0, 1]), 1e-4)).toThrow(ConformanceMismatchError);
  });

  it('fails a shape mismatch with equal sizes', () => {
    expect(() => checkOpOutput('out', host([1, 2, 3, 4], [2, 2]), host([1, 2, 3, 4], [4]), 1e-4)).toThrow(/shape \[2, 2\]/);
  });

  it('rejects a non-finite expected value', () => {
    expect(() => checkOpOutput('out', host([NaN]), host([NaN]), 1e-4)).toThrow(/case is invalid/);
  });
});

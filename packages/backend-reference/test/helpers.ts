import { tensor, type Tensor } from '@mobilemamba/core';
import { createReferenceBackend } from '../src/index.js';

export const backend = createReferenceBackend();

/** Creates a tensor on the shared test backend. */
export function make(values: ArrayLike<number>, shape: readonly number[]): Tensor {
  return tensor(values, shape, backend);
}

/** Returns deterministic values in [-1, 1) from a linear congruential generator, so tests need no fixtures. */
export function pseudoRandom(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Returns the largest absolute difference between two arrays of equal length. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

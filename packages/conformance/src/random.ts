import { Random, seedFromString } from '@mobilemamba/core';
import type { HostTensor } from './bounds.js';

// A case's seed comes from its id through seedFromString, so adding a case changes no other.
export { Random, seedFromString };

/** Fills a tensor of `shape` with values from `draw`, rounded to float32. */
export function randomTensor(shape: readonly number[], draw: () => number): HostTensor {
  const values = new Float32Array(shape.reduce((size, dim) => size * dim, 1));
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return { shape, values };
}

/** Returns a tensor of normal values with the given mean and standard deviation. */
export function normalTensor(random: Random, shape: readonly number[], deviation = 1, mean = 0): HostTensor {
  return randomTensor(shape, () => mean + deviation * random.normal());
}

/** Returns a tensor of uniform values in [low, high). */
export function uniformTensor(random: Random, shape: readonly number[], low: number, high: number): HostTensor {
  return randomTensor(shape, () => random.uniform(low, high));
}

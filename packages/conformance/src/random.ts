import type { HostTensor } from './bounds.js';

/**
 * A seeded pseudo-random generator (mulberry32: 32-bit state, period 2^32),
 * so that every run draws the same cases on every platform.
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Returns a uniform value in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  /** Returns a uniform value in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Returns a standard normal value, by the Box-Muller transform. */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return radius * Math.cos(2 * Math.PI * this.next());
  }
}

/** FNV-1a hash of a string: a case's seed comes from its id, so adding a case changes no other. */
export function seedFromString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

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

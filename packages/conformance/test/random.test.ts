import { describe, expect, it } from 'vitest';
import { Random, seedFromString } from '../src/index.js';

describe('Random', () => {
  it('repeats its sequence for a seed', () => {
    const [first, second] = [new Random(42), new Random(42)];

    for (let i = 0; i < 100; i++) expect(first.next()).toBe(second.next());
  });

  it('draws uniform values in [0, 1)', () => {
    const random = new Random(7);
    const draws = Array.from({ length: 10_000 }, () => random.next());

    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.reduce((sum, value) => sum + value, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('draws standard normal values', () => {
    const random = new Random(11);
    const draws = Array.from({ length: 20_000 }, () => random.normal());
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / draws.length;

    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(draws.every(Number.isFinite)).toBe(true);
  });

  it('seeds different ids differently', () => {
    expect(seedFromString('random/conv2d/a')).not.toBe(seedFromString('random/conv2d/b'));
    expect(seedFromString('random/conv2d/a')).toBe(seedFromString('random/conv2d/a'));
  });
});

import { describe, expect, it } from 'vitest';
import { topK } from '../src/index.js';

describe('topK', () => {
  it('ranks by logit with softmax probabilities', () => {
    const ranked = topK([1, 3, 2], 3, ['a', 'b', 'c']);

    expect(ranked.map((entry) => entry.label)).toEqual(['b', 'c', 'a']);
    const denominator = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(ranked[0].probability).toBeCloseTo(Math.exp(3) / denominator, 12);
    expect(ranked[2].logit).toBe(1);
  });

  it('keeps the lower index first on ties', () => {
    expect(topK([5, 7, 7, 5], 4).map((entry) => entry.index)).toEqual([1, 2, 0, 3]);
  });

  it('names classes without a label', () => {
    expect(topK([0, 1], 2, ['zero']).map((entry) => entry.label)).toEqual(['class 1', 'zero']);
  });

  it('does not overflow on large logits', () => {
    const ranked = topK([1000, 999], 2);

    expect(ranked[0].probability).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(ranked[0].probability + ranked[1].probability).toBeCloseTo(1, 12);
  });

  it('returns at most the number of classes', () => {
    expect(topK([0.5, 0.25], 5)).toHaveLength(2);
  });
});

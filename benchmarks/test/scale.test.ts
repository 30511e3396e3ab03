import { describe, expect, it } from 'vitest';
import { chooseScale, formatTick } from '../src/chart/scale.js';

describe('chooseScale', () => {
  it('spans whole decades on a log scale', () => {
    const scale = chooseScale([18, 4400], 400, 100);

    expect(scale.kind).toBe('log');
    expect(scale.domain).toEqual([10, 10000]);
    expect(scale.y(10)).toBe(400);
    expect(scale.y(10000)).toBe(100);
    expect(scale.y(100)).toBeCloseTo(300, 6);
    expect(scale.ticks.filter((tick) => tick.major).map((tick) => tick.value)).toEqual([10, 100, 1000, 10000]);
  });

  it('starts a narrow range at zero', () => {
    const scale = chooseScale([18, 30], 400, 100);

    expect(scale.kind).toBe('linear');
    expect(scale.domain).toEqual([0, 30]);
    expect(scale.y(0)).toBe(400);
    expect(scale.y(15)).toBe(250);
    expect(scale.ticks.map((tick) => tick.value)).toEqual([0, 10, 20, 30]);
  });

  it('clamps values outside the domain', () => {
    const scale = chooseScale([1, 1000], 400, 100);

    expect(scale.y(0.001)).toBe(400);
    expect(scale.y(1e9)).toBe(100);
  });

  it('ignores zero and non-finite values', () => {
    const scale = chooseScale([0, Number.NaN, 2, 3], 400, 100);

    expect(scale.kind).toBe('linear');
    expect(scale.domain[1]).toBeGreaterThanOrEqual(3);
  });
});

describe('formatTick', () => {
  it('shortens thousands', () => {
    expect(formatTick(0.1)).toBe('0.1');
    expect(formatTick(50)).toBe('50');
    expect(formatTick(1000)).toBe('1k');
    expect(formatTick(20000)).toBe('20k');
  });
});

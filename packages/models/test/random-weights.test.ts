import { describe, expect, it } from 'vitest';
import { HAAR_TAP } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { MobileMamba, VARIANTS, expectedShapes, planFromConfig, randomStateDict, type MobileMambaConfig } from '../src/index.js';

const backend = createReferenceBackend();
await backend.init();

const smallConfig: MobileMambaConfig = {
  imgSize: 64,
  embedDims: [32, 48, 64],
  depths: [1, 1, 1],
  globalRatios: [0.8, 0.7, 0.6],
  localRatios: [0.2, 0.2, 0.3],
  kernels: [7, 5, 3],
  ssmRatio: 2,
  numClasses: 10,
  distillation: false,
};

describe('randomStateDict', () => {
  it('has every fused key with its shape', () => {
    const plan = planFromConfig(VARIANTS.t2);
    const stateDict = randomStateDict(plan, 1);
    const expected = expectedShapes(plan, 'fused');
    expect([...stateDict.keys()]).toEqual([...expected.keys()]);
    for (const [key, shape] of expected) {
      const stored = stateDict.get(key)!;
      expect(stored.shape, key).toEqual(shape);
      expect(stored.data.length, key).toBe(shape.reduce((a, b) => a * b, 1));
    }
  });

  it('holds real Haar filter banks', () => {
    const stateDict = randomStateDict(planFromConfig(smallConfig), 3);
    const s = HAAR_TAP;
    expect(s).toBe(Math.fround(Math.fround(Math.SQRT1_2) ** 2));
    const rows = [[s, s, s, s], [s, s, -s, -s], [s, -s, s, -s], [s, -s, -s, s]];
    const banks = [...stateDict.keys()].filter((key) => key.endsWith('wt_filter'));
    expect(banks.length).toBeGreaterThan(0);
    for (const key of banks) {
      const data = Array.from(stateDict.get(key)!.data);
      for (let filter = 0; filter < data.length / 4; filter++) {
        expect(data.slice(4 * filter, 4 * filter + 4), `${key} filter ${filter}`).toEqual(rows[filter % 4]);
      }
    }
  });

  it('repeats for a seed and differs across seeds', () => {
    const plan = planFromConfig(smallConfig);
    const first = randomStateDict(plan, 7).get('blocks1.0.ffn0.m.pw1.weight')!.data;
    const again = randomStateDict(plan, 7).get('blocks1.0.ffn0.m.pw1.weight')!.data;
    const other = randomStateDict(plan, 8).get('blocks1.0.ffn0.m.pw1.weight')!.data;
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(Array.from(other)).not.toEqual(Array.from(first));
  });

  it('scales conv weights by the fan-in', () => {
    const stateDict = randomStateDict(planFromConfig(VARIANTS.t2), 0);
    // blocks3.1.conv3 maps 4 * 272 = 1088 channels to 368, so its deviation is 1/sqrt(1088).
    const weights = stateDict.get('blocks3.1.conv3.weight')!.data;
    const deviation = Math.sqrt(weights.reduce((sum, value) => sum + value * value, 0) / weights.length);
    expect(deviation).toBeGreaterThan(0.9 / Math.sqrt(1088));
    expect(deviation).toBeLessThan(1.1 / Math.sqrt(1088));
  });

  it('builds a model with finite logits', async () => {
    const stateDict = randomStateDict(planFromConfig(smallConfig), 0);
    const model = MobileMamba.fromStateDict(stateDict, { backend, model: smallConfig });
    expect(model.description.form).toBe('fused');
    const input = Float32Array.from({ length: 2 * 3 * 64 * 64 }, (_, i) => Math.sin(i));
    const logits = await model.predict(input, [2, 3, 64, 64]);
    expect(logits).toHaveLength(20);
    expect(logits.every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('rejects a fractional seed', () => {
    expect(() => randomStateDict(planFromConfig(smallConfig), 1.5)).toThrow(/seed.*expected an integer/);
  });
});

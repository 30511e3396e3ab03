import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSafetensors } from '@mobilemamba/core';
import { findFixture, missingFixtureMessage } from '../../conformance/src/fixtures.js';
import { countMacs, parameterCount, planFromConfig, splitChannels, squeezeExciteWidth, VARIANTS } from '../src/index.js';

const t2Weights = findFixture('models/t2.weights.safetensors');

describe('architecture', () => {
  it('splits channels as the reference', () => {
    expect(splitChannels(144, 0.8, 0.2)).toEqual({ global: 112, local: 28, identity: 4 });
    expect(splitChannels(32, 0.8, 0.2)).toEqual({ global: 32, local: 0, identity: 0 });
  });

  it('sizes the squeeze-excite bottleneck as timm without round-up', () => {
    expect([40, 80, 100, 24].map(squeezeExciteWidth)).toEqual([8, 24, 24, 8]);
  });

  it.skipIf(!t2Weights)(`counts T2 parameters as the checkpoint holds them${t2Weights ? '' : ` (${missingFixtureMessage('models/t2.weights.safetensors')})`}`, () => {
    const file = parseSafetensors(readFileSync(t2Weights!));
    let stored = 0;
    for (const [key, tensor] of file.tensors) {
      if (!/running_(mean|var)$|num_batches_tracked$/.test(key)) stored += tensor.shape.reduce((a, b) => a * b, 1);
    }
    expect(parameterCount(planFromConfig(VARIANTS.t2))).toBe(stored);
  });

  it('counts multiply-adds that grow with the input area', () => {
    const plan = planFromConfig(VARIANTS.b1);
    const native = countMacs(plan, 256, 256);
    expect(countMacs(plan, 512, 512)).toBeGreaterThan(3.5 * native);
    expect(countMacs(plan, 512, 512)).toBeLessThan(4.5 * native);
  });
});

import { describe, expect, it } from 'vitest';
import { countMacs, parameterCount, planFromConfig, splitChannels, squeezeExciteWidth, VARIANTS } from '../src/index.js';

describe('architecture', () => {
  it('splits channels as the reference', () => {
    expect(splitChannels(144, 0.8, 0.2)).toEqual({ global: 112, local: 28, identity: 4 });
    expect(splitChannels(32, 0.8, 0.2)).toEqual({ global: 32, local: 0, identity: 0 });
  });

  it('sizes the squeeze-excite bottleneck as timm without round-up', () => {
    expect([40, 80, 100, 24].map(squeezeExciteWidth)).toEqual([8, 24, 24, 8]);
  });

  it('prints figures', () => {
    for (const [name, config] of Object.entries(VARIANTS)) {
      const plan = planFromConfig(config);
      console.log(name, parameterCount(plan), countMacs(plan, config.imgSize, config.imgSize) / 1e6);
    }
  });
});

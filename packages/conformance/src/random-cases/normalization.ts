import { globalAvgPool, layerNorm, linear } from '@mobilemamba/core';
import { normalTensor, uniformTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

function layerNormCase(name: string, shape: number[], mean: number): RandomCase {
  const channels = shape[1];
  return {
    id: `random/normalization/layerNorm-${name}`,
    inputs: (random) => ({
      x: normalTensor(random, shape, 3, mean),
      weight: uniformTensor(random, [channels], 0.5, 1.5),
      bias: normalTensor(random, [channels], 0.5),
    }),
    compute: (t) => ({ out: layerNorm(t.x, t.weight, t.bias) }),
  };
}

function globalAvgPoolCase(name: string, shape: number[]): RandomCase {
  return {
    id: `random/normalization/globalAvgPool-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape, 1, 0.5) }),
    compute: (t) => ({ out: globalAvgPool(t.x) }),
  };
}

function linearCase(name: string, batch: number, inFeatures: number, outFeatures: number, withBias: boolean): RandomCase {
  return {
    id: `random/normalization/linear-${name}`,
    inputs: (random) => ({
      x: normalTensor(random, [batch, inFeatures]),
      weight: normalTensor(random, [outFeatures, inFeatures], 1 / Math.sqrt(inFeatures)),
      ...(withBias ? { bias: normalTensor(random, [outFeatures]) } : {}),
    }),
    compute: (t) => ({ out: linear(t.x, t.weight, t.bias ?? null) }),
  };
}

/** LayerNorm on ranks 2 to 4 (one case with a single channel, one with a mean of 8), pooling and linear. */
export const normalizationRandomCases: readonly RandomCase[] = [
  layerNormCase('rank-4', [2, 5, 3, 4], 0),
  layerNormCase('rank-3-offset-mean', [2, 24, 9], 8),
  layerNormCase('rank-2', [3, 7], 0),
  layerNormCase('single-channel', [2, 1, 3, 3], 0),
  globalAvgPoolCase('odd-size', [2, 3, 5, 7]),
  globalAvgPoolCase('1x1', [1, 4, 1, 1]),
  linearCase('with-bias', 3, 17, 5, true),
  linearCase('without-bias', 1, 8, 10, false),
];

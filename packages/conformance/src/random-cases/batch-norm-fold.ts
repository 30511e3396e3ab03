import { batchNormFold } from '@mobilemamba/core';
import { normalTensor, uniformTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

function foldCase(name: string, weightShape: number[], withBias: boolean, placement: 'after' | 'before', eps: number): RandomCase {
  const features = placement === 'after' ? weightShape[0] : weightShape[1];
  return {
    id: `random/batchNormFold/${name}`,
    inputs: (random) => ({
      weight: normalTensor(random, weightShape, 0.5),
      ...(withBias ? { bias: normalTensor(random, [weightShape[0]]) } : {}),
      gamma: uniformTensor(random, [features], 0.5, 1.5),
      beta: normalTensor(random, [features], 0.5),
      mean: normalTensor(random, [features], 0.5),
      variance: uniformTensor(random, [features], 0.05, 2),
    }),
    compute: (t) => {
      const batchNorm = { weight: t.gamma, bias: t.beta, runningMean: t.mean, runningVar: t.variance, eps };
      const folded = batchNormFold(t.weight, t.bias ?? null, batchNorm, placement);
      return { weight: folded.weight, bias: folded.bias };
    },
  };
}

export const batchNormFoldRandomCases: readonly RandomCase[] = [
  foldCase('after-conv', [6, 4, 3, 3], false, 'after', 1e-5),
  foldCase('after-conv-with-bias', [5, 3, 1, 1], true, 'after', 1e-5),
  foldCase('after-depthwise', [8, 1, 3, 3], false, 'after', 1e-3),
  foldCase('after-linear', [7, 9], true, 'after', 1e-5),
  foldCase('before-linear', [5, 12], true, 'before', 1e-5),
  foldCase('before-linear-without-bias', [3, 7], false, 'before', 1e-5),
];

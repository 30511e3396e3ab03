import { depthwiseConv2d, type DepthwiseConv2dOptions } from '@mobilemamba/core';
import { normalTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

function depthwiseCase(name: string, xShape: number[], kernel: number, withBias: boolean, options: DepthwiseConv2dOptions): RandomCase {
  const channels = xShape[1];
  return {
    id: `random/depthwiseConv2d/${name}`,
    inputs: (random) => ({
      x: normalTensor(random, xShape),
      weight: normalTensor(random, [channels, 1, kernel, kernel], 1 / kernel),
      ...(withBias ? { bias: normalTensor(random, [channels]) } : {}),
    }),
    compute: (t) => ({ out: depthwiseConv2d(t.x, t.weight, t.bias ?? null, options) }),
  };
}

export const depthwiseConv2dRandomCases: readonly RandomCase[] = [
  depthwiseCase('3x3-odd-size', [2, 5, 7, 9], 3, true, { padding: 1 }),
  depthwiseCase('5x5-stride-2', [1, 4, 9, 6], 5, false, { stride: 2, padding: 2 }),
  depthwiseCase('7x7-same-on-1x1', [1, 3, 1, 1], 7, true, { padding: 'same' }),
  depthwiseCase('7x7-stride-2-small-input', [2, 3, 2, 3], 7, false, { stride: 2, padding: 3 }),
  depthwiseCase('3x3-stride-2-on-1x1', [1, 6, 1, 1], 3, true, { stride: 2, padding: 1 }),
  depthwiseCase('5x5-same-wide', [1, 8, 3, 13], 5, false, { padding: 'same' }),
  depthwiseCase('1x1', [2, 4, 3, 5], 1, true, {}),
];

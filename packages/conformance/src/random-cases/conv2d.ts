import { conv2d, type Conv2dOptions } from '@mobilemamba/core';
import { normalTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

/** Returns a grouped conv case. Weights have deviation 1/sqrt(fan-in), so outputs stay near unit scale. */
function conv2dCase(name: string, xShape: number[], weightShape: number[], withBias: boolean, options: Conv2dOptions): RandomCase {
  const [outChannels, groupInChannels, kh, kw] = weightShape;
  return {
    id: `random/conv2d/${name}`,
    inputs: (random) => ({
      x: normalTensor(random, xShape),
      weight: normalTensor(random, weightShape, 1 / Math.sqrt(groupInChannels * kh * kw)),
      ...(withBias ? { bias: normalTensor(random, [outChannels]) } : {}),
    }),
    compute: (t) => ({ out: conv2d(t.x, t.weight, t.bias ?? null, options) }),
  };
}

export const conv2dRandomCases: readonly RandomCase[] = [
  conv2dCase('pointwise-odd-size', [2, 7, 5, 3], [5, 7, 1, 1], true, {}),
  conv2dCase('pointwise-grouped', [1, 8, 4, 4], [6, 4, 1, 1], false, { groups: 2 }),
  conv2dCase('pointwise-1x1-input', [3, 16, 1, 1], [12, 16, 1, 1], true, {}),
  conv2dCase('3x3-on-1x1-input', [2, 4, 1, 1], [6, 4, 3, 3], false, { padding: 1 }),
  conv2dCase('kernel-larger-than-input', [1, 3, 2, 3], [4, 3, 5, 5], true, { padding: 2 }),
  conv2dCase('dense-3x3-stride-2', [1, 3, 33, 31], [8, 3, 3, 3], true, { stride: 2, padding: 1 }),
  conv2dCase('dense-3x3-stride-2-even', [2, 8, 16, 16], [16, 8, 3, 3], false, { stride: 2, padding: 1 }),
  conv2dCase('grouped-stride-2', [2, 6, 9, 7], [9, 2, 3, 3], true, { groups: 3, stride: 2, padding: 1 }),
  conv2dCase('uneven-stride-and-padding', [1, 4, 6, 5], [4, 2, 3, 2], false, { groups: 2, stride: [2, 1], padding: [0, 1, 1, 0] }),
  conv2dCase('same-even-kernel', [1, 3, 5, 6], [2, 3, 4, 4], false, { padding: 'same' }),
  conv2dCase('valid-no-padding', [1, 5, 6, 7], [3, 5, 3, 3], true, { padding: 'valid' }),
];

import { concat, flip, slice } from '@mobilemamba/core';
import { normalTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

function sliceCase(name: string, shape: number[], begin: number[], size: number[]): RandomCase {
  return {
    id: `random/layout/slice-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape) }),
    compute: (t) => ({ out: slice(t.x, begin, size) }),
  };
}

function concatCase(name: string, shapes: number[][], axis: number): RandomCase {
  return {
    id: `random/layout/concat-${name}`,
    inputs: (random) => Object.fromEntries(shapes.map((shape, i) => [`x${i}`, normalTensor(random, shape)])),
    compute: (t) => ({ out: concat(shapes.map((_, i) => t[`x${i}`]), axis) }),
  };
}

function flipCase(name: string, shape: number[], axis: number): RandomCase {
  return {
    id: `random/layout/flip-${name}`,
    inputs: (random) => ({ x: normalTensor(random, shape) }),
    compute: (t) => ({ out: flip(t.x, axis) }),
  };
}

export const layoutRandomCases: readonly RandomCase[] = [
  sliceCase('inner-box', [2, 6, 5, 4], [1, 2, 0, 1], [1, 3, -1, 2]),
  sliceCase('rank-1', [11], [3], [5]),
  sliceCase('channel-split', [2, 9, 3, 3], [0, 4, 0, 0], [-1, 5, -1, -1]),
  concatCase('channels', [[2, 3, 4, 5], [2, 1, 4, 5], [2, 6, 4, 5]], 1),
  concatCase('last-axis', [[2, 3, 2], [2, 3, 7]], -1),
  concatCase('batch', [[1, 2, 3], [2, 2, 3]], 0),
  flipCase('sequence', [2, 8, 9], 2),
  flipCase('channels', [2, 5, 3, 3], 1),
  flipCase('batch', [3, 4], 0),
];

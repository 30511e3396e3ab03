import { add, mul, relu, sigmoid, silu, softplus, type Tensor } from '@mobilemamba/core';
import { normalTensor, uniformTensor } from '../random.js';
import type { RandomCase } from './random-case.js';

/** Broadcasting pairs: equal shapes, a per-channel operand, both operands broadcast, a rank-0 operand. */
const BINARY_SHAPES: readonly [string, number[], number[]][] = [
  ['same-shape', [3, 7], [3, 7]],
  ['channel-operand', [2, 3, 4, 5], [1, 3, 1, 1]],
  ['both-broadcast', [2, 1, 5], [1, 4, 1]],
  ['missing-leading-axes', [4, 1, 6], [5, 1]],
  ['rank-0-operand', [3, 4], []],
];

const UNARY_KERNELS: readonly [string, (x: Tensor) => Tensor][] = [
  ['relu', relu],
  ['silu', silu],
  ['sigmoid', sigmoid],
  ['softplus', softplus],
];

function binaryCases(name: string, op: (a: Tensor, b: Tensor) => Tensor): RandomCase[] {
  return BINARY_SHAPES.map(([shapeName, aShape, bShape]) => ({
    id: `random/elementwise/${name}-${shapeName}`,
    inputs: (random) => ({ a: normalTensor(random, aShape), b: normalTensor(random, bShape) }),
    compute: (t) => ({ out: op(t.a, t.b) }),
  }));
}

/**
 * Returns unary cases over [-100, 100) and over [-25, 25). The wide range
 * crosses softplus's threshold at 20 and makes exp(-x) overflow in float32.
 */
function unaryCases(): RandomCase[] {
  return UNARY_KERNELS.flatMap(([name, op]) =>
    [100, 25].map((range) => ({
      id: `random/elementwise/${name}-range-${range}`,
      inputs: (random) => ({ x: uniformTensor(random, [2, 3, 5, 7], -range, range) }),
      compute: (t) => ({ out: op(t.x) }),
    })),
  );
}

export const elementwiseRandomCases: readonly RandomCase[] = [...binaryCases('add', add), ...binaryCases('mul', mul), ...unaryCases()];

import {
  add,
  batchNormFold,
  conv2d,
  depthwiseConv2d,
  idwt2d,
  InvalidArgumentError,
  layerNorm,
  selectiveScan,
  slice,
} from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { make } from './helpers.js';

/** Runs `call` and returns the InvalidArgumentError it throws. */
function invalidArgument(call: () => unknown): InvalidArgumentError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError, but the call returned');
}

const zeros = (shape: number[]) => make(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);

describe('argument validation in the core front-ends', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['add', () => add(zeros([2, 3]), zeros([4])), 'add', 'b'],
    ['conv2d groups', () => conv2d(zeros([1, 4, 3, 3]), zeros([6, 2, 1, 1]), null, { groups: 3 }), 'conv2d', 'groups'],
    ['conv2d input too small', () => conv2d(zeros([1, 1, 2, 2]), zeros([1, 1, 3, 3])), 'conv2d', 'x'],
    ['depthwise same with stride 2', () => depthwiseConv2d(zeros([1, 2, 4, 4]), zeros([2, 1, 3, 3]), null, { stride: 2, padding: 'same' }), 'depthwiseConv2d', 'padding'],
    ['selectiveScan delta shape', () => selectiveScan(zeros([1, 2, 4]), zeros([1, 2, 3]), zeros([2, 1]), zeros([1, 1, 1, 4]), zeros([1, 1, 1, 4])), 'selectiveScan', 'delta'],
    ['selectiveScan groups', () => selectiveScan(zeros([1, 3, 4]), zeros([1, 3, 4]), zeros([3, 1]), zeros([1, 2, 1, 4]), zeros([1, 2, 1, 4])), 'selectiveScan', 'Bs'],
    ['idwt2d subbands', () => idwt2d(zeros([1, 6, 2, 2])), 'idwt2d', 'x'],
    ['layerNorm weight', () => layerNorm(zeros([1, 3, 2]), zeros([2]), zeros([3])), 'layerNorm', 'weight'],
    ['slice size', () => slice(zeros([2, 3]), [1, 0], [2, 3]), 'slice', 'size[0]'],
    [
      'batchNormFold before on a conv weight',
      () => batchNormFold(zeros([2, 3, 1, 1]), null, { weight: zeros([3]), bias: zeros([3]), runningMean: zeros([3]), runningVar: zeros([3]) }, 'before'),
      'batchNormFold',
      'weight',
    ],
  ];

  for (const [title, call, op, argument] of cases) {
    it(`names op and argument: ${title}`, () => {
      const error = invalidArgument(call);

      expect(error.op).toBe(op);
      expect(error.argument).toBe(argument);
      expect(error.message).toContain(`'${argument}'`);
    });
  }
});

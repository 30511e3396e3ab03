import type { Kernels } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import { batchNormFold } from './batch-norm-fold.js';
import { conv2d } from './conv2d.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { binary, unary } from './elementwise.js';
import { dwt2d, idwt2d } from './haar.js';
import { concat, flip, slice } from './layout.js';
import { globalAvgPool, layerNorm, linear } from './normalization.js';
import { selectiveScan } from './selective-scan.js';

/**
 * Creates every kernel of the Kernels interface. `runtimeFor(op)` returns
 * the live runtime, or throws the reason there is none: not initialised,
 * destroyed, device lost, or an earlier GPU error.
 */
export function createKernels(runtimeFor: (op: string) => GpuRuntime): Kernels {
  return {
    add: (a, b, outShape) => binary(runtimeFor('add'), 'add', a, b, outShape),
    mul: (a, b, outShape) => binary(runtimeFor('mul'), 'mul', a, b, outShape),
    relu: (x) => unary(runtimeFor('relu'), 'relu', x),
    silu: (x) => unary(runtimeFor('silu'), 'silu', x),
    sigmoid: (x) => unary(runtimeFor('sigmoid'), 'sigmoid', x),
    softplus: (x) => unary(runtimeFor('softplus'), 'softplus', x),
    layerNorm: (x, weight, bias, eps) => layerNorm(runtimeFor('layerNorm'), x, weight, bias, eps),
    globalAvgPool: (x) => globalAvgPool(runtimeFor('globalAvgPool'), x),
    linear: (x, weight, bias) => linear(runtimeFor('linear'), x, weight, bias),
    slice: (x, begin, size) => slice(runtimeFor('slice'), x, begin, size),
    concat: (inputs, axis, outShape) => concat(runtimeFor('concat'), inputs, axis, outShape),
    flip: (x, axis) => flip(runtimeFor('flip'), x, axis),
    conv2d: (x, weight, bias, attributes, outShape) => conv2d(runtimeFor('conv2d'), x, weight, bias, attributes, outShape),
    depthwiseConv2d: (x, weight, bias, attributes, outShape) =>
      depthwiseConv2d(runtimeFor('depthwiseConv2d'), x, weight, bias, attributes, outShape),
    selectiveScan: (u, delta, A, Bs, Cs, D, deltaBias, attributes) =>
      selectiveScan(runtimeFor('selectiveScan'), u, delta, A, Bs, Cs, D, deltaBias, attributes),
    dwt2d: (x, attributes) => dwt2d(runtimeFor('dwt2d'), x, attributes),
    idwt2d: (x, attributes) => idwt2d(runtimeFor('idwt2d'), x, attributes),
    batchNormFold: (weight, bias, batchNorm, attributes) => batchNormFold(runtimeFor('batchNormFold'), weight, bias, batchNorm, attributes),
  };
}

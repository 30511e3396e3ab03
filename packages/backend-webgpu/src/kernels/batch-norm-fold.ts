import { sizeOf, type BatchNormFoldAttributes, type BatchNormParameters, type KernelTensor } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { batchNormFoldProgram } from '../shaders/batch-norm-fold.js';
import { flatGrid } from './grid.js';

/** Folds a BatchNorm into a layer's weight and bias on the device, one invocation per output row. */
export function batchNormFold(
  runtime: GpuRuntime,
  weight: KernelTensor,
  bias: KernelTensor | null,
  batchNorm: BatchNormParameters,
  attributes: BatchNormFoldAttributes,
): [GpuStorage, GpuStorage] {
  const op = 'batchNormFold';
  const inputs = [
    runtime.storageOf(weight, op, 'weight'),
    ...(bias === null ? [] : [runtime.storageOf(bias, op, 'bias')]),
    runtime.storageOf(batchNorm.weight, op, 'batchNorm.weight'),
    runtime.storageOf(batchNorm.bias, op, 'batchNorm.bias'),
    runtime.storageOf(batchNorm.runningMean, op, 'batchNorm.runningMean'),
    runtime.storageOf(batchNorm.runningVar, op, 'batchNorm.runningVar'),
  ];
  const rows = weight.shape[0];
  const rowLength = sizeOf(weight.shape.slice(1));
  const foldedWeight = runtime.allocate(rows * rowLength, op);
  const foldedBias = runtime.allocate(rows, op);
  if (rows === 0) return [foldedWeight, foldedBias];

  const grid = flatGrid(runtime, rows);
  const params = new Params().u32(rows, grid.groupsX, rowLength, attributes.placement === 'before' ? 1 : 0).f32(attributes.eps);
  runtime.dispatch(op, batchNormFoldProgram(bias !== null), [...inputs, foldedWeight, foldedBias], params, grid.workgroups);
  return [foldedWeight, foldedBias];
}

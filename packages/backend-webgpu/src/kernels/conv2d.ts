import { sizeOf, type Conv2dAttributes, type KernelTensor, type Shape } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { conv2dProgram } from '../shaders/conv2d.js';
import { flatGrid } from './grid.js';
import { gemm } from './gemm.js';

/**
 * Grouped 2-D convolution. A 1x1 kernel with stride 1 and no padding is a
 * matrix multiply per batch item and group, Y[co, p] = W[co, ci] X[ci, p]
 * over the H*W positions p, and runs on the tiled GEMM; every other case
 * runs the direct shader.
 */
export function conv2d(
  runtime: GpuRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: Conv2dAttributes,
  outShape: Shape,
): GpuStorage {
  const input = runtime.storageOf(x, 'conv2d', 'x');
  const filters = runtime.storageOf(weight, 'conv2d', 'weight');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'conv2d', 'bias');
  const [batch, inChannels, inHeight, inWidth] = x.shape;
  const [outChannels, groupIn, kernelHeight, kernelWidth] = weight.shape;
  const { stride, padding, groups } = attributes;
  const count = sizeOf(outShape);
  const output = runtime.allocate(count, 'conv2d');
  if (count === 0) return output;

  const pointwise = kernelHeight === 1 && kernelWidth === 1 && stride[0] === 1 && stride[1] === 1 && padding.every((side) => side === 0);
  if (pointwise) {
    const positions = inHeight * inWidth;
    const groupOut = outChannels / groups;
    gemm(runtime, 'conv2d', filters, input, offsets, output, {
      m: groupOut,
      n: positions,
      k: groupIn,
      batch,
      groups,
      aStrideM: groupIn,
      aStrideK: 1,
      bStrideK: positions,
      bStrideN: 1,
      cStrideM: positions,
      cStrideN: 1,
      aGroup: groupOut * groupIn,
      bBatch: inChannels * positions,
      bGroup: groupIn * positions,
      cBatch: outChannels * positions,
      cGroup: groupOut * positions,
    });
    return output;
  }

  const [, , outHeight, outWidth] = outShape;
  const grid = flatGrid(runtime, count);
  const params = new Params().u32(
    count, grid.groupsX, inChannels, inHeight,
    inWidth, outChannels, outHeight, outWidth,
    kernelHeight, kernelWidth, stride[0], stride[1],
    padding[0], padding[2], groupIn, outChannels / groups,
  );
  const buffers = offsets === null ? [input, filters, output] : [input, filters, offsets, output];
  runtime.dispatch('conv2d', conv2dProgram(offsets !== null), buffers, params, grid.workgroups);
  return output;
}

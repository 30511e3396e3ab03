import { sizeOf, type DepthwiseConv2dAttributes, type KernelTensor, type Shape } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import {
  DEPTHWISE_TILE,
  MAX_PATCH_FLOATS,
  directDepthwiseProgram,
  patchSize,
  tiledDepthwiseProgram,
  type DepthwiseGeometry,
} from '../shaders/depthwise-conv2d.js';
import { flatGrid } from './grid.js';

/**
 * Depthwise conv, one k x k filter per channel. Runs the tiled shader,
 * which stages each input patch in workgroup memory, unless the patch of
 * a large kernel or stride would not fit MAX_PATCH_FLOATS; then the direct
 * shader.
 */
export function depthwiseConv2d(
  runtime: GpuRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: DepthwiseConv2dAttributes,
  outShape: Shape,
): GpuStorage {
  const input = runtime.storageOf(x, 'depthwiseConv2d', 'x');
  const filters = runtime.storageOf(weight, 'depthwiseConv2d', 'weight');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'depthwiseConv2d', 'bias');
  const [batch, channels, inHeight, inWidth] = x.shape;
  const [, , outHeight, outWidth] = outShape;
  const [kernelHeight, kernelWidth] = [weight.shape[2], weight.shape[3]];
  const { stride, padding } = attributes;
  const count = sizeOf(outShape);
  const output = runtime.allocate(count, 'depthwiseConv2d');
  if (count === 0) return output;

  const buffers = offsets === null ? [input, filters, output] : [input, filters, offsets, output];
  const geometry: DepthwiseGeometry = { kernelHeight, kernelWidth, strideY: stride[0], strideX: stride[1] };
  const [patchHeight, patchWidth] = patchSize(geometry);

  if (patchHeight * patchWidth <= MAX_PATCH_FLOATS) {
    const planes = batch * channels;
    const tilesX = Math.ceil(outWidth / DEPTHWISE_TILE);
    const tiles = tilesX * Math.ceil(outHeight / DEPTHWISE_TILE);
    const planesPerZ = Math.min(planes, runtime.limits.maxComputeWorkgroupsPerDimension);
    const params = new Params().u32(planes, channels, inHeight, inWidth, outHeight, outWidth, padding[0], padding[2], tilesX, planesPerZ);
    const workgroups = [tiles, planesPerZ, Math.ceil(planes / planesPerZ)] as const;
    runtime.dispatch('depthwiseConv2d', tiledDepthwiseProgram(geometry, offsets !== null), buffers, params, workgroups);
    return output;
  }

  const grid = flatGrid(runtime, count);
  const params = new Params().u32(
    count, grid.groupsX, channels, inHeight,
    inWidth, outHeight, outWidth, kernelHeight,
    kernelWidth, stride[0], stride[1], padding[0],
    padding[2],
  );
  runtime.dispatch('depthwiseConv2d', directDepthwiseProgram(offsets !== null), buffers, params, grid.workgroups);
  return output;
}

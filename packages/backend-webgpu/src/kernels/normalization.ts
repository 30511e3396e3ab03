import { sizeOf, type KernelTensor } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { globalAvgPoolProgram, layerNormProgram } from '../shaders/normalization.js';
import { gemm } from './gemm.js';
import { flatGrid } from './grid.js';

/** LayerNorm over axis 1 of [B, C, ...], one invocation per batch item and position. */
export function layerNorm(runtime: GpuRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor, eps: number): GpuStorage {
  const input = runtime.storageOf(x, 'layerNorm', 'x');
  const gamma = runtime.storageOf(weight, 'layerNorm', 'weight');
  const beta = runtime.storageOf(bias, 'layerNorm', 'bias');
  const [batch, channels] = x.shape;
  const positions = sizeOf(x.shape.slice(2));
  const output = runtime.allocate(sizeOf(x.shape), 'layerNorm');
  const count = batch * positions;
  if (count === 0 || channels === 0) return output;

  const grid = flatGrid(runtime, count);
  const params = new Params().u32(count, grid.groupsX, channels, positions).f32(eps);
  runtime.dispatch('layerNorm', layerNormProgram(), [input, gamma, beta, output], params, grid.workgroups);
  return output;
}

/** Mean over H and W, one workgroup per (b, c) plane. */
export function globalAvgPool(runtime: GpuRuntime, x: KernelTensor): GpuStorage {
  const input = runtime.storageOf(x, 'globalAvgPool', 'x');
  const [batch, channels, height, width] = x.shape;
  const planes = batch * channels;
  const output = runtime.allocate(planes, 'globalAvgPool');
  if (planes === 0) return output;

  const grid = flatGrid(runtime, planes, 1);
  const params = new Params().u32(planes, grid.groupsX, height * width);
  runtime.dispatch('globalAvgPool', globalAvgPoolProgram(), [input, output], params, grid.workgroups);
  return output;
}

/**
 * y[b, o] = bias[o] + sum_i x[b, i] * weight[o, i], on the GEMM with
 * M = out features, N = batch and K = in features: A is the weight as
 * stored, B reads x transposed (stride 1 along K), and C is written
 * transposed into [batch, out].
 */
export function linear(runtime: GpuRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null): GpuStorage {
  const input = runtime.storageOf(x, 'linear', 'x');
  const matrix = runtime.storageOf(weight, 'linear', 'weight');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'linear', 'bias');
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const output = runtime.allocate(batch * outFeatures, 'linear');
  if (batch * outFeatures === 0) return output;

  gemm(runtime, 'linear', matrix, input, offsets, output, {
    m: outFeatures,
    n: batch,
    k: inFeatures,
    batch: 1,
    groups: 1,
    aStrideM: inFeatures,
    aStrideK: 1,
    bStrideK: 1,
    bStrideN: inFeatures,
    cStrideM: 1,
    cStrideN: outFeatures,
    aGroup: 0,
    bBatch: 0,
    bGroup: 0,
    cBatch: 0,
    cGroup: 0,
  });
  return output;
}

import { sizeOf, type KernelTensor } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';

/** LayerNorm over axis 1 of [B, C, ...] at every other position; float64 sums (see assembly/normalization.ts). */
export function layerNorm(runtime: CpuRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor, eps: number): CpuStorage {
  const input = runtime.storageOf(x, 'layerNorm');
  const gamma = runtime.storageOf(weight, 'layerNorm');
  const beta = runtime.storageOf(bias, 'layerNorm');
  const [batch, channels] = x.shape;
  const positions = sizeOf(x.shape.slice(2));
  return runtime.output(input.length, (out) => {
    if (out.length > 0) runtime.exports.layer_norm(input.offset, gamma.offset, beta.offset, out.offset, batch, channels, positions, eps);
  });
}

/** Mean over H and W: [B, C, H, W] to [B, C]. */
export function globalAvgPool(runtime: CpuRuntime, x: KernelTensor): CpuStorage {
  const input = runtime.storageOf(x, 'globalAvgPool');
  const [batch, channels, height, width] = x.shape;
  return runtime.output(batch * channels, (out) => {
    if (out.length > 0) runtime.exports.global_avg_pool(input.offset, out.offset, batch * channels, height * width);
  });
}

/** x [B, in] times weight [out, in] transposed, plus bias; one work unit per output value. */
export function linear(runtime: CpuRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null): CpuStorage {
  const input = runtime.storageOf(x, 'linear');
  const matrix = runtime.storageOf(weight, 'linear');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'linear');
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const units = batch * outFeatures;
  return runtime.output(units, (out) => {
    if (out.length > 0) {
      runtime.parallel('linear', [input.offset, matrix.offset, offsets === null ? 0 : offsets.offset, out.offset, inFeatures, outFeatures], units, units * inFeatures);
    }
  });
}

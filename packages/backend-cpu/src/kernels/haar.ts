import type { HaarAttributes, InverseHaarAttributes, KernelTensor } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';

/** Haar analysis, one plane per work unit: [B, C, H, W] to [B, 4C, ceil(H/2), ceil(W/2)]. */
export function dwt2d(runtime: CpuRuntime, x: KernelTensor, attributes: HaarAttributes): CpuStorage {
  const input = runtime.storageOf(x, 'dwt2d');
  const [batch, channels, height, width] = x.shape;
  const planes = batch * channels;
  return runtime.output(planes * 4 * Math.ceil(height / 2) * Math.ceil(width / 2), (out) => {
    if (out.length > 0) runtime.parallel('dwt2d', [input.offset, out.offset, height, width, attributes.tap], planes, out.length);
  });
}

/** Haar synthesis, one plane per work unit: [B, 4C, h, w] to [B, C, outHeight, outWidth]. */
export function idwt2d(runtime: CpuRuntime, x: KernelTensor, attributes: InverseHaarAttributes): CpuStorage {
  const input = runtime.storageOf(x, 'idwt2d');
  const [batch, subbands, halfH, halfW] = x.shape;
  const { outHeight, outWidth, tap } = attributes;
  const planes = batch * (subbands / 4);
  return runtime.output(planes * outHeight * outWidth, (out) => {
    if (out.length > 0) runtime.parallel('idwt2d', [input.offset, out.offset, halfH, halfW, outHeight, outWidth, tap], planes, out.length);
  });
}

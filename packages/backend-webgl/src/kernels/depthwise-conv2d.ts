import type { DepthwiseConv2dAttributes, KernelTensor, Shape } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

interface DepthwiseConstants extends KernelConstants {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideY: number;
  readonly strideX: number;
  readonly top: number;
  readonly left: number;
  readonly hasBias: number;
  readonly channels: number;
}

/**
 * Depthwise cross-correlation at output (b, c, oy, ox), one filter per channel:
 * y = bias[c] + sum_{ky, kx} w[c, 0, ky, kx] * x[b, c, oy*sy - top + ky, ox*sx - left + kx],
 * where taps outside the input read zero and are skipped.
 */
function depthwiseSource(this: KernelThis<DepthwiseConstants>, x: number[], weight: number[], bias: number[]): number {
  const i = this.thread.x;
  const row = floorDivide(i, this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = floorDivide(row, this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  const b = floorDivide(plane, this.constants.channels);
  const c = plane - b * this.constants.channels;
  const top = oy * this.constants.strideY - this.constants.top;
  const left = ox * this.constants.strideX - this.constants.left;
  const firstFilter = c * this.constants.kernelHeight * this.constants.kernelWidth;

  let sum = 0;
  if (this.constants.hasBias > 0) {
    sum = bias[c];
  }
  for (let ky = 0; ky < this.constants.kernelHeight; ky++) {
    const iy = top + ky;
    if (iy >= 0 && iy < this.constants.inHeight) {
      const inputRow = (plane * this.constants.inHeight + iy) * this.constants.inWidth;
      for (let kx = 0; kx < this.constants.kernelWidth; kx++) {
        const ix = left + kx;
        if (ix >= 0 && ix < this.constants.inWidth) {
          sum += weight[firstFilter + ky * this.constants.kernelWidth + kx] * x[inputRow + ix];
        }
      }
    }
  }
  return sum;
}

/** Depthwise conv: x [B, C, H, W], weight [C, 1, kh, kw], bias [C] or null. */
export function depthwiseConv2d(
  runtime: WebGlRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: DepthwiseConv2dAttributes,
  outShape: Shape,
): TextureStorage {
  const [batch, channels, inHeight, inWidth] = x.shape;
  const [, , kernelHeight, kernelWidth] = weight.shape;
  const [, , outHeight, outWidth] = outShape;
  const filters = storageOf(weight);
  const constants: DepthwiseConstants = {
    channels,
    inHeight,
    inWidth,
    outHeight,
    outWidth,
    kernelHeight,
    kernelWidth,
    strideY: attributes.stride[0],
    strideX: attributes.stride[1],
    top: attributes.padding[0],
    left: attributes.padding[2],
    hasBias: bias === null ? 0 : 1,
  };
  return runtime.run({
    name: 'depthwiseConv2d',
    source: KERNEL_SOURCES.depthwiseSource,
    outputSize: batch * channels * outHeight * outWidth,
    constants,
    // Without a bias the kernel never reads its third argument, so any texture serves.
    inputs: [storageOf(x), filters, bias === null ? filters : storageOf(bias)],
  });
}

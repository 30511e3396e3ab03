import type { Conv2dAttributes, KernelTensor, Shape } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

interface ConvConstants extends KernelConstants {
  readonly inChannels: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideY: number;
  readonly strideX: number;
  readonly top: number;
  readonly left: number;
  /** Input and output channels per group. */
  readonly groupIn: number;
  readonly groupOut: number;
  readonly hasBias: number;
}

/**
 * Grouped 2-D cross-correlation (PyTorch's Conv2d) at output (b, co, oy, ox),
 * with co in group g = floor(co / groupOut):
 * y = bias[co] + sum_{ci, ky, kx} w[co, ci, ky, kx] * x[b, g*groupIn + ci, oy*sy - top + ky, ox*sx - left + kx],
 * where taps outside the input read zero and are skipped.
 */
function conv2dSource(this: KernelThis<ConvConstants>, x: number[], weight: number[], bias: number[]): number {
  const i = this.thread.x;
  const row = floorDivide(i, this.constants.outWidth);
  const ox = i - row * this.constants.outWidth;
  const plane = floorDivide(row, this.constants.outHeight);
  const oy = row - plane * this.constants.outHeight;
  const b = floorDivide(plane, this.constants.outChannels);
  const co = plane - b * this.constants.outChannels;
  const group = floorDivide(co, this.constants.groupOut);
  const firstInput = (b * this.constants.inChannels + group * this.constants.groupIn) * this.constants.inHeight;
  const top = oy * this.constants.strideY - this.constants.top;
  const left = ox * this.constants.strideX - this.constants.left;

  let sum = 0;
  if (this.constants.hasBias > 0) {
    sum = bias[co];
  }
  for (let ci = 0; ci < this.constants.groupIn; ci++) {
    for (let ky = 0; ky < this.constants.kernelHeight; ky++) {
      const iy = top + ky;
      if (iy >= 0 && iy < this.constants.inHeight) {
        const inputRow = (firstInput + ci * this.constants.inHeight + iy) * this.constants.inWidth;
        const filterRow = ((co * this.constants.groupIn + ci) * this.constants.kernelHeight + ky) * this.constants.kernelWidth;
        for (let kx = 0; kx < this.constants.kernelWidth; kx++) {
          const ix = left + kx;
          if (ix >= 0 && ix < this.constants.inWidth) {
            sum += weight[filterRow + kx] * x[inputRow + ix];
          }
        }
      }
    }
  }
  return sum;
}

interface PointwiseConstants extends KernelConstants {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly positions: number;
  readonly groupIn: number;
  readonly groupOut: number;
  readonly hasBias: number;
}

/**
 * Computes a 1x1, stride-1, unpadded conv as a matrix multiply per batch
 * item and group, one dot product per output value:
 * Y[co, p] = bias[co] + sum_ci W[co, ci] * X[g*groupIn + ci, p] over the H*W positions p.
 */
function pointwiseSource(this: KernelThis<PointwiseConstants>, x: number[], weight: number[], bias: number[]): number {
  const i = this.thread.x;
  const plane = floorDivide(i, this.constants.positions);
  const p = i - plane * this.constants.positions;
  const b = floorDivide(plane, this.constants.outChannels);
  const co = plane - b * this.constants.outChannels;
  const group = floorDivide(co, this.constants.groupOut);
  const firstInput = (b * this.constants.inChannels + group * this.constants.groupIn) * this.constants.positions + p;
  const firstWeight = co * this.constants.groupIn;

  let sum = 0;
  if (this.constants.hasBias > 0) {
    sum = bias[co];
  }
  for (let ci = 0; ci < this.constants.groupIn; ci++) {
    sum += weight[firstWeight + ci] * x[firstInput + ci * this.constants.positions];
  }
  return sum;
}

/**
 * Grouped 2-D convolution: x [B, Cin, H, W], weight [Cout, Cin/groups, kh, kw],
 * bias [Cout] or null. The 1x1 case runs as a matrix multiply.
 */
export function conv2d(
  runtime: WebGlRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: Conv2dAttributes,
  outShape: Shape,
): TextureStorage {
  const [batch, inChannels, inHeight, inWidth] = x.shape;
  const [outChannels, groupIn, kernelHeight, kernelWidth] = weight.shape;
  const [, , outHeight, outWidth] = outShape;
  const { stride, padding, groups } = attributes;
  const input = storageOf(x);
  const filters = storageOf(weight);
  // Without a bias the kernels never read their third argument, so any texture serves.
  const inputs = [input, filters, bias === null ? filters : storageOf(bias)];
  const groupOut = outChannels / groups;
  const hasBias = bias === null ? 0 : 1;
  const outputSize = batch * outChannels * outHeight * outWidth;

  const isPointwise = kernelHeight === 1 && kernelWidth === 1 && stride[0] === 1 && stride[1] === 1 && padding.every((side) => side === 0);
  if (isPointwise) {
    const constants: PointwiseConstants = { inChannels, outChannels, positions: inHeight * inWidth, groupIn, groupOut, hasBias };
    return runtime.run({ name: 'conv2d/pointwise', source: KERNEL_SOURCES.pointwiseSource, outputSize, constants, inputs });
  }

  const constants: ConvConstants = {
    inChannels,
    inHeight,
    inWidth,
    outChannels,
    outHeight,
    outWidth,
    kernelHeight,
    kernelWidth,
    strideY: stride[0],
    strideX: stride[1],
    top: padding[0],
    left: padding[2],
    groupIn,
    groupOut,
    hasBias,
  };
  return runtime.run({ name: 'conv2d', source: KERNEL_SOURCES.conv2dSource, outputSize, constants, inputs });
}

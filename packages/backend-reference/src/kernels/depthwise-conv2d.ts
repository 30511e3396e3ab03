import type { DepthwiseConv2dAttributes, KernelTensor, Shape } from '@mobilemamba/core';
import { valuesOf } from './data.js';
import { accumulatePlane, type WindowGeometry } from './sliding-window.js';

/**
 * Computes the depthwise 2-D cross-correlation, one kh x kw filter per channel:
 * y[b, c, oy, ox] = bias[c] + sum_{ky, kx} w[c, 0, ky, kx] * x[b, c, oy*sy - top + ky, ox*sx - left + kx],
 * with zeros outside the input. Sums are accumulated in float64.
 */
export function depthwiseConv2d(
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: DepthwiseConv2dAttributes,
  outShape: Shape,
): Float32Array {
  const input = valuesOf(x);
  const filters = valuesOf(weight);
  const offsets = bias === null ? null : valuesOf(bias);
  const [batch, channels, inHeight, inWidth] = x.shape;
  const [, , outHeight, outWidth] = outShape;
  const [kernelHeight, kernelWidth] = [weight.shape[2], weight.shape[3]];
  const { stride, padding } = attributes;
  const geometry: WindowGeometry = { inHeight, inWidth, outHeight, outWidth, kernelHeight, kernelWidth, stride, padding };

  const out = new Float32Array(batch * channels * outHeight * outWidth);
  const accumulator = new Float64Array(outHeight * outWidth);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      accumulator.fill(offsets === null ? 0 : offsets[c]);
      const inputOffset = (b * channels + c) * inHeight * inWidth;
      accumulatePlane(accumulator, input, inputOffset, filters, c * kernelHeight * kernelWidth, geometry);
      out.set(accumulator, (b * channels + c) * outHeight * outWidth);
    }
  }
  return out;
}

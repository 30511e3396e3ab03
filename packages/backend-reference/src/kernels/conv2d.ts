import type { Conv2dAttributes, KernelTensor, Shape } from '@mobilemamba/core';
import { valuesOf } from './data.js';
import { accumulatePlane, type WindowGeometry } from './sliding-window.js';

/**
 * Computes the grouped 2-D cross-correlation, as PyTorch's Conv2d does. With
 * G groups, Cin/G input and Cout/G output channels per group, output channel
 * co belongs to group g = floor(co / (Cout/G)) and reads input channels
 * g*(Cin/G) .. (g+1)*(Cin/G) - 1:
 * y[b, co, oy, ox] = bias[co] + sum_{ci, ky, kx} w[co, ci, ky, kx]
 *                    * x[b, g*(Cin/G) + ci, oy*sy - top + ky, ox*sx - left + kx],
 * with zeros outside the input. Sums are accumulated in float64.
 */
export function conv2d(
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: Conv2dAttributes,
  outShape: Shape,
): Float32Array {
  const [kernelHeight, kernelWidth] = [weight.shape[2], weight.shape[3]];
  const { stride, padding } = attributes;
  const isPointwise = kernelHeight === 1 && kernelWidth === 1 && stride[0] === 1 && stride[1] === 1
    && padding.every((side) => side === 0);
  if (isPointwise) return pointwiseConv2d(x, weight, bias, attributes.groups);

  const input = valuesOf(x);
  const filters = valuesOf(weight);
  const offsets = bias === null ? null : valuesOf(bias);
  const [batch, inChannels, inHeight, inWidth] = x.shape;
  const [, outChannels, outHeight, outWidth] = outShape;
  const groupInChannels = weight.shape[1];
  const groupOutChannels = outChannels / attributes.groups;
  const geometry: WindowGeometry = { inHeight, inWidth, outHeight, outWidth, kernelHeight, kernelWidth, stride, padding };

  const out = new Float32Array(batch * outChannels * outHeight * outWidth);
  const accumulator = new Float64Array(outHeight * outWidth);
  for (let b = 0; b < batch; b++) {
    for (let co = 0; co < outChannels; co++) {
      const firstInChannel = Math.floor(co / groupOutChannels) * groupInChannels;
      accumulator.fill(offsets === null ? 0 : offsets[co]);

      for (let ci = 0; ci < groupInChannels; ci++) {
        const inputOffset = (b * inChannels + firstInChannel + ci) * inHeight * inWidth;
        const filterOffset = (co * groupInChannels + ci) * kernelHeight * kernelWidth;
        accumulatePlane(accumulator, input, inputOffset, filters, filterOffset, geometry);
      }
      out.set(accumulator, (b * outChannels + co) * outHeight * outWidth);
    }
  }
  return out;
}

/**
 * Computes the 1x1, stride-1, unpadded case as a matrix multiply per batch
 * item and group: Y[co, p] = bias[co] + sum_ci W[co, ci] * X[ci, p] over the H*W
 * positions p. The innermost loop walks one input plane and one
 * accumulator row in order.
 */
function pointwiseConv2d(x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null, groups: number): Float32Array {
  const input = valuesOf(x);
  const matrix = valuesOf(weight);
  const offsets = bias === null ? null : valuesOf(bias);
  const [batch, inChannels, height, width] = x.shape;
  const [outChannels, groupInChannels] = weight.shape;
  const groupOutChannels = outChannels / groups;
  const positions = height * width;

  const out = new Float32Array(batch * outChannels * positions);
  const accumulator = new Float64Array(positions);
  for (let b = 0; b < batch; b++) {
    for (let co = 0; co < outChannels; co++) {
      const firstInChannel = Math.floor(co / groupOutChannels) * groupInChannels;
      accumulator.fill(offsets === null ? 0 : offsets[co]);

      for (let ci = 0; ci < groupInChannels; ci++) {
        const coefficient = matrix[co * groupInChannels + ci];
        const plane = (b * inChannels + firstInChannel + ci) * positions;
        for (let p = 0; p < positions; p++) accumulator[p] += coefficient * input[plane + p];
      }
      out.set(accumulator, (b * outChannels + co) * positions);
    }
  }
  return out;
}

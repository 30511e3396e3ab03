import type { Conv2dAttributes, DepthwiseConv2dAttributes, KernelTensor, Shape } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';

/**
 * Computes a grouped 2-D convolution as a matrix multiply per batch item
 * and group. The weight [Cout, Cin/G, kh, kw] is the matrix
 * [Cout/G, Cin/G*kh*kw] of each group, packed once (see
 * CpuRuntime.packedPanels). The input is packed into tiles of 4 positions
 * per call, straight from the input planes for a 1x1, stride-1, unpadded
 * convolution and through im2col for any other.
 */
export function conv2d(
  runtime: CpuRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: Conv2dAttributes,
  outShape: Shape,
): CpuStorage {
  const input = runtime.storageOf(x, 'conv2d');
  const filters = runtime.storageOf(weight, 'conv2d');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'conv2d');
  const [batch, inChannels, inH, inW] = x.shape;
  const [outChannels, groupIn, kh, kw] = weight.shape;
  const [, , outH, outW] = outShape;
  const { groups, stride, padding } = attributes;
  const rows = outChannels / groups;
  const depth = groupIn * kh * kw;
  const positions = outH * outW;
  return runtime.output(batch * outChannels * positions, (out) => {
    if (out.length === 0) return;

    const { exports } = runtime;
    const packedWeights = runtime.packedPanels(filters, groups, rows, depth);
    const panelBytes = exports.packed_panels_bytes(1, rows, depth);
    const isPointwise = kh === 1 && kw === 1 && stride[0] === 1 && stride[1] === 1 && padding.every((side) => side === 0);
    const units = exports.gemm_units(rows, positions);
    const inputsBytes = exports.packed_tiles_bytes(depth, positions);
    const packedInputs = runtime.scratch(inputsBytes);

    try {
      for (let b = 0; b < batch; b++) {
        for (let g = 0; g < groups; g++) {
          const planes = input.offset + (b * inChannels + g * groupIn) * inH * inW * 4;
          if (isPointwise) {
            runtime.parallel('pack_tiles', [planes, positions, positions, depth, packedInputs], depth, depth * positions);
          } else {
            runtime.parallel('im2col', [planes, packedInputs, depth, inH, inW, kh, kw, stride[0], stride[1], padding[0], padding[2], outH, outW], Math.ceil(positions / 4), depth * positions);
          }
          runtime.parallel('gemm', [
            packedWeights + g * panelBytes, packedInputs,
            offsets === null ? 0 : offsets.offset + g * rows * 4, out.offset + (b * outChannels + g * rows) * positions * 4, positions,
            rows, depth, positions, 0,
          ], units, rows * depth * positions);
        }
      }
    } finally {
      runtime.freeScratch(packedInputs, inputsBytes);
    }
  });
}

/**
 * Computes a depthwise 2-D convolution, one plane per work unit. Each worker pads its
 * plane into its own slot of a scratch buffer, sized here for the kernel's
 * whole-vector reads (4 outputs per vector, 8 inputs per vector at stride 2).
 */
export function depthwiseConv2d(
  runtime: CpuRuntime,
  x: KernelTensor,
  weight: KernelTensor,
  bias: KernelTensor | null,
  attributes: DepthwiseConv2dAttributes,
  outShape: Shape,
): CpuStorage {
  const input = runtime.storageOf(x, 'depthwiseConv2d');
  const filters = runtime.storageOf(weight, 'depthwiseConv2d');
  const offsets = bias === null ? null : runtime.storageOf(bias, 'depthwiseConv2d');
  const [batch, channels, inH, inW] = x.shape;
  const [kh, kw] = [weight.shape[2], weight.shape[3]];
  const [, , outH, outW] = outShape;
  const [sy, sx] = attributes.stride;
  const [top, , left] = attributes.padding;
  return runtime.output(batch * channels * outH * outW, (out) => {
    if (out.length === 0) return;

    const paddedH = (outH - 1) * sy + kh;
    const vectorColumns = (Math.ceil(outW / 4) - 1) * 4 * sx + kw - 1 + (sx === 1 ? 4 : 8);
    const scalarColumns = (outW - 1) * sx + kw;
    const paddedW = Math.ceil(Math.max(vectorColumns, scalarColumns, left + 1) / 4) * 4;
    const slotBytes = paddedH * paddedW * 4;
    const scratchBytes = slotBytes * runtime.threads;
    const scratch = runtime.scratch(scratchBytes);
    try {
      const planes = batch * channels;
      runtime.parallel('depthwise', [
        input.offset, filters.offset, offsets === null ? 0 : offsets.offset, out.offset, channels,
        inH, inW, kh, kw, sy, sx, top, left, outH, outW, scratch, paddedH, paddedW,
      ], planes, planes * (outH * outW * kh * kw + paddedH * paddedW));
    } finally {
      runtime.freeScratch(scratch, scratchBytes);
    }
  });
}

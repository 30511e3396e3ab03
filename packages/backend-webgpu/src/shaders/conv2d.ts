import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * Direct grouped 2-D cross-correlation, one invocation per output element
 * (b, co, oy, ox). Output channel co belongs to group co / groupOut and
 * reads input channels from (co / groupOut) * groupIn on:
 *
 *   y = bias[co] + sum_{ci, ky, kx} w[co, ci, ky, kx] * x[b, firstIn + ci, oy*sy - top + ky, ox*sx - left + kx]
 *
 * with zeros outside the input. Used for every conv that is not 1x1 with
 * stride 1 and no padding: the stem's 3x3 stride-2 convs, mostly.
 */
export function conv2dProgram(withBias: boolean): ShaderProgram {
  return {
    key: `conv2d/direct/${withBias ? 'bias' : 'no-bias'}`,
    bindings: withBias ? ['read', 'read', 'read', 'write'] : ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  count: u32, groupsX: u32, inChannels: u32, inHeight: u32,
  inWidth: u32, outChannels: u32, outHeight: u32, outWidth: u32,
  kernelHeight: u32, kernelWidth: u32, strideY: u32, strideX: u32,
  padTop: u32, padLeft: u32, groupIn: u32, groupOut: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> w: array<f32>;
${withBias
  ? `@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;`
  : '@group(0) @binding(3) var<storage, read_write> y: array<f32>;'}
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let ox = i % params.outWidth;
  let oy = (i / params.outWidth) % params.outHeight;
  let co = (i / (params.outWidth * params.outHeight)) % params.outChannels;
  let item = i / (params.outWidth * params.outHeight * params.outChannels);
  let firstIn = (co / params.groupOut) * params.groupIn;
  let top = i32(oy * params.strideY) - i32(params.padTop);
  let left = i32(ox * params.strideX) - i32(params.padLeft);
  let taps = params.kernelHeight * params.kernelWidth;

  var sum = ${withBias ? 'bias[co]' : '0.0'};
  for (var ci = 0u; ci < params.groupIn; ci++) {
    let plane = (item * params.inChannels + firstIn + ci) * params.inHeight * params.inWidth;
    let firstTap = (co * params.groupIn + ci) * taps;
    for (var ky = 0u; ky < params.kernelHeight; ky++) {
      let row = top + i32(ky);
      if (row < 0 || row >= i32(params.inHeight)) {
        continue;
      }
      for (var kx = 0u; kx < params.kernelWidth; kx++) {
        let column = left + i32(kx);
        if (column < 0 || column >= i32(params.inWidth)) {
          continue;
        }
        sum += x[plane + u32(row) * params.inWidth + u32(column)] * w[firstTap + ky * params.kernelWidth + kx];
      }
    }
  }
  y[i] = sum;
}`,
  };
}

import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * LayerNorm over axis 1 of [B, C, P], one invocation per (b, p). Channels
 * are P apart, so neighbouring invocations read neighbouring positions.
 * Two passes over the channels, as the reference does, so the biased
 * variance does not suffer from cancellation:
 *
 *   mean = (1/C) sum_c x,  var = (1/C) sum_c (x - mean)^2,
 *   y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c]
 */
export function layerNormProgram(): ShaderProgram {
  return {
    key: 'layer-norm',
    bindings: ['read', 'read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32, channels: u32, positions: u32, eps: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> weight: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let p = i % params.positions;
  let base = (i / params.positions) * params.channels * params.positions + p;
  let channels = f32(params.channels);

  var sum = 0.0;
  for (var c = 0u; c < params.channels; c++) {
    sum += x[base + c * params.positions];
  }
  let mean = sum / channels;

  var squares = 0.0;
  for (var c = 0u; c < params.channels; c++) {
    let deviation = x[base + c * params.positions] - mean;
    squares += deviation * deviation;
  }
  let inverseStd = 1.0 / sqrt(squares / channels + params.eps);

  for (var c = 0u; c < params.channels; c++) {
    let at = base + c * params.positions;
    y[at] = (x[at] - mean) * inverseStd * weight[c] + bias[c];
  }
}`,
  };
}

/**
 * Global average pooling, one workgroup per (b, c) plane: each invocation
 * sums a strided share of the plane, then a tree reduction in workgroup
 * memory adds the 64 partial sums, and the total is divided by H * W.
 */
export function globalAvgPoolProgram(): ShaderProgram {
  return {
    key: 'global-avg-pool',
    bindings: ['read', 'write'],
    source: () => /* wgsl */ `
struct Params { planes: u32, groupsX: u32, area: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

const SIZE = ${WORKGROUP_SIZE}u;
var<workgroup> partial: array<f32, ${WORKGROUP_SIZE}>;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
  // The plane index comes from the workgroup id, so the early return is uniform.
  let plane = group.x + group.y * params.groupsX;
  if (plane >= params.planes) {
    return;
  }

  var sum = 0.0;
  for (var p = lane; p < params.area; p += SIZE) {
    sum += x[plane * params.area + p];
  }
  partial[lane] = sum;
  workgroupBarrier();

  for (var width = SIZE / 2u; width > 0u; width /= 2u) {
    if (lane < width) {
      partial[lane] += partial[lane + width];
    }
    workgroupBarrier();
  }
  if (lane == 0u) {
    y[plane] = partial[0] / f32(params.area);
  }
}`,
  };
}

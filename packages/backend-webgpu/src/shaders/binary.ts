import type { BinaryKernelName } from '@mobilemamba/core';
import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/** Most axes a broadcast or strided copy handles after merging contiguous axes. */
export const MAX_RANK = 8;

const OPERATORS: Record<BinaryKernelName, string> = { add: '+', mul: '*' };

/**
 * y[i] = a[i] op b[i] where a, b and y have the same shape. This is the
 * common case (residual sums, gating), so it skips the index arithmetic.
 */
export function sameShapeBinaryProgram(kind: BinaryKernelName): ShaderProgram {
  return {
    key: `binary/${kind}/same-shape`,
    bindings: ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  y[i] = a[i] ${OPERATORS[kind]} b[i];
}`,
  };
}

/**
 * y[i] = a[offset_a(i)] op b[offset_b(i)] with NumPy broadcasting: the flat
 * output index i is split into coordinates of `shape`, and each operand's
 * offset is the dot product of those coordinates with its strides, where a
 * broadcast axis has stride 0.
 */
export function broadcastBinaryProgram(kind: BinaryKernelName): ShaderProgram {
  return {
    key: `binary/${kind}/broadcast`,
    bindings: ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  count: u32,
  groupsX: u32,
  rank: u32,
  shape: array<vec4<u32>, ${MAX_RANK / 4}>,
  aStrides: array<vec4<u32>, ${MAX_RANK / 4}>,
  bStrides: array<vec4<u32>, ${MAX_RANK / 4}>,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }

  var rest = i;
  var offsetA = 0u;
  var offsetB = 0u;
  for (var axis = params.rank; axis > 0u; axis--) {
    let k = axis - 1u;
    let extent = params.shape[k / 4u][k % 4u];
    let coordinate = rest % extent;
    rest = rest / extent;
    offsetA += coordinate * params.aStrides[k / 4u][k % 4u];
    offsetB += coordinate * params.bStrides[k / 4u][k % 4u];
  }
  y[i] = a[offsetA] ${OPERATORS[kind]} b[offsetB];
}`,
  };
}

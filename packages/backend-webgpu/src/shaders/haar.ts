import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * One-level 2-D Haar analysis, one invocation per 2x2 input block. With
 * s = tap and the block [a, b; c, d] at rows 2i, 2i+1 and columns 2j, 2j+1
 * (zeros past the bottom and right edges), subband k of input channel c is
 * output channel 4c + k:
 *
 *   k = 0: s (a + b + c + d)    k = 1: s (a + b - c - d)
 *   k = 2: s (a - b + c - d)    k = 3: s (a - b - c + d)
 */
export function dwtProgram(): ShaderProgram {
  return {
    key: 'haar/analysis',
    bindings: ['read', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32, height: u32, width: u32, halfHeight: u32, halfWidth: u32, tap: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

fn at(plane: u32, row: u32, column: u32) -> f32 {
  if (row >= params.height || column >= params.width) {
    return 0.0;
  }
  return x[(plane * params.height + row) * params.width + column];
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let subbandSize = params.halfHeight * params.halfWidth;
  let j = i % params.halfWidth;
  let row = (i / params.halfWidth) % params.halfHeight;
  let plane = i / subbandSize;

  let a = at(plane, 2u * row, 2u * j);
  let b = at(plane, 2u * row, 2u * j + 1u);
  let c = at(plane, 2u * row + 1u, 2u * j);
  let d = at(plane, 2u * row + 1u, 2u * j + 1u);
  let s = params.tap;
  let position = plane * 4u * subbandSize + row * params.halfWidth + j;
  y[position] = s * (a + b + c + d);
  y[position + subbandSize] = s * (a + b - c - d);
  y[position + 2u * subbandSize] = s * (a - b + c - d);
  y[position + 3u * subbandSize] = s * (a - b - c + d);
}`,
  };
}

/**
 * Haar synthesis, one invocation per subband position (i, j) of a channel:
 * with (LL, H1, H2, H3) = x[4c .. 4c+3] at (i, j) it writes the 2x2 output
 * block, dropping rows and columns the crop to outHeight x outWidth removes:
 *
 *   y[2i, 2j]   = s (LL + H1 + H2 + H3)    y[2i, 2j+1]   = s (LL + H1 - H2 - H3)
 *   y[2i+1, 2j] = s (LL - H1 + H2 - H3)    y[2i+1, 2j+1] = s (LL - H1 - H2 + H3)
 */
export function idwtProgram(): ShaderProgram {
  return {
    key: 'haar/synthesis',
    bindings: ['read', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32, halfHeight: u32, halfWidth: u32, outHeight: u32, outWidth: u32, tap: f32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

fn put(plane: u32, row: u32, column: u32, value: f32) {
  if (row < params.outHeight && column < params.outWidth) {
    y[(plane * params.outHeight + row) * params.outWidth + column] = value;
  }
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let subbandSize = params.halfHeight * params.halfWidth;
  let j = i % params.halfWidth;
  let row = (i / params.halfWidth) % params.halfHeight;
  let plane = i / subbandSize;

  let position = plane * 4u * subbandSize + row * params.halfWidth + j;
  let low = x[position];
  let rows = x[position + subbandSize];
  let columns = x[position + 2u * subbandSize];
  let diagonal = x[position + 3u * subbandSize];
  let s = params.tap;
  put(plane, 2u * row, 2u * j, s * (low + rows + columns + diagonal));
  put(plane, 2u * row, 2u * j + 1u, s * (low + rows - columns - diagonal));
  put(plane, 2u * row + 1u, 2u * j, s * (low - rows + columns - diagonal));
  put(plane, 2u * row + 1u, 2u * j + 1u, s * (low - rows - columns + diagonal));
}`,
  };
}

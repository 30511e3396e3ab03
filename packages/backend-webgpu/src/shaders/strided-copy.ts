import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { MAX_RANK } from './binary.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * Copies a box of `shape` between two strided views:
 * y[outOffset + sum_k c_k * outStrides[k]] = x[inOffset + sum_k c_k * inStrides[k]]
 * for every coordinate c of the box. Slice reads a sub-box, flip reads with
 * a negative stride, and concat writes each input into its part of the
 * output, so one shader serves all three. Input strides are signed.
 */
export function stridedCopyProgram(): ShaderProgram {
  return {
    key: 'strided-copy',
    bindings: ['read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  count: u32,
  groupsX: u32,
  rank: u32,
  inOffset: u32,
  outOffset: u32,
  shape: array<vec4<u32>, ${MAX_RANK / 4}>,
  inStrides: array<vec4<i32>, ${MAX_RANK / 4}>,
  outStrides: array<vec4<u32>, ${MAX_RANK / 4}>,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }

  var rest = i;
  var origin = i32(params.inOffset);
  var destination = params.outOffset;
  for (var axis = params.rank; axis > 0u; axis--) {
    let k = axis - 1u;
    let extent = params.shape[k / 4u][k % 4u];
    let coordinate = rest % extent;
    rest = rest / extent;
    origin += i32(coordinate) * params.inStrides[k / 4u][k % 4u];
    destination += coordinate * params.outStrides[k / 4u][k % 4u];
  }
  y[destination] = x[u32(origin)];
}`,
  };
}

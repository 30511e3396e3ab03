import type { UnaryKernelName } from '@mobilemamba/core';
import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { ACTIVATIONS, FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * WGSL expression of each unary kernel in terms of `v`. ReLU is written
 * with select so that NaN passes through, as PyTorch's does.
 */
const EXPRESSIONS: Record<UnaryKernelName, string> = {
  relu: 'select(v, 0.0, v < 0.0)',
  silu: 'v * sigmoidOf(v)',
  sigmoid: 'sigmoidOf(v)',
  softplus: 'softplusOf(v)',
};

/** y[i] = f(x[i]) for i < count. */
export function unaryProgram(kind: UnaryKernelName): ShaderProgram {
  return {
    key: `unary/${kind}`,
    bindings: ['read', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}
${ACTIVATIONS}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = flatIndex(id);
  if (i >= params.count) {
    return;
  }
  let v = x[i];
  y[i] = ${EXPRESSIONS[kind]};
}`,
  };
}

import type { ShaderProgram } from '../gpu/pipeline-cache.js';
import { FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/**
 * Folds an inference-mode BatchNorm into a layer's weight W [out, rowLength]
 * and bias b (zero when absent), one invocation per output row o. With
 * g[f] = gamma[f] / sqrt(runningVar[f] + eps):
 *
 * - placement 'after' (params.before = 0), on the output channel o:
 *   W'[o, i] = W[o, i] * g[o],  b'[o] = (b[o] - mean[o]) * g[o] + beta[o]
 * - placement 'before' (params.before = 1), on the input feature i:
 *   W'[o, i] = W[o, i] * g[i],  b'[o] = b[o] + sum_i W[o, i] * (beta[i] - mean[i] * g[i])
 */
export function batchNormFoldProgram(withBias: boolean): ShaderProgram {
  const inputs = ['weight', ...(withBias ? ['bias'] : []), 'gamma', 'beta', 'runningMean', 'runningVar'];
  const declarations = inputs.map((name, index) => `@group(0) @binding(${index + 1}) var<storage, read> ${name}: array<f32>;`).join('\n');
  return {
    key: `batch-norm-fold/${withBias ? 'bias' : 'no-bias'}`,
    bindings: [...inputs.map(() => 'read' as const), 'write', 'write'],
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32, rowLength: u32, before: u32, eps: f32 }
@group(0) @binding(0) var<uniform> params: Params;
${declarations}
@group(0) @binding(${inputs.length + 1}) var<storage, read_write> foldedWeight: array<f32>;
@group(0) @binding(${inputs.length + 2}) var<storage, read_write> foldedBias: array<f32>;
${FLAT_INDEX}

fn scaleOf(feature: u32) -> f32 {
  return gamma[feature] / sqrt(runningVar[feature] + params.eps);
}

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let o = flatIndex(id);
  if (o >= params.count) {
    return;
  }
  let row = o * params.rowLength;
  let base = ${withBias ? 'bias[o]' : '0.0'};

  if (params.before == 0u) {
    let g = scaleOf(o);
    for (var i = 0u; i < params.rowLength; i++) {
      foldedWeight[row + i] = weight[row + i] * g;
    }
    foldedBias[o] = (base - runningMean[o]) * g + beta[o];
    return;
  }

  var shift = 0.0;
  for (var i = 0u; i < params.rowLength; i++) {
    let g = scaleOf(i);
    foldedWeight[row + i] = weight[row + i] * g;
    shift += weight[row + i] * (beta[i] - runningMean[i] * g);
  }
  foldedBias[o] = base + shift;
}`,
  };
}

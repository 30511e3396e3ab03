import type { BindingAccess, ShaderProgram } from '../gpu/pipeline-cache.js';
import { ACTIVATIONS, FLAT_INDEX, WORKGROUP_SIZE } from './common.js';

/** Variant flags of the selective scan; each combination is its own pipeline. */
export interface ScanVariant {
  /** d_state N, compiled in so the state lives in registers. */
  readonly states: number;
  readonly softplus: boolean;
  readonly withSkip: boolean;
  readonly withDeltaBias: boolean;
}

/**
 * Selective scan (Mamba's S6 recurrence), one invocation per (b, c) of the
 * B * K*D sequences, so batch items, channels and both scan directions
 * (stacked as channel groups k = c / D) run in parallel. Each invocation
 * keeps its N states in registers and loops over the L steps:
 *
 *   d_t = delta[b, c, t] + deltaBias[c], then softplus(d_t) when set
 *   h_t[n] = exp(d_t * A[c, n]) * h_{t-1}[n] + d_t * B[b, k, n, t] * u[b, c, t],  h_0 = 0
 *   y[b, c, t] = sum_n h_t[n] * C[b, k, n, t] + D[c] * u[b, c, t]
 *
 * With N = 1 (MobileMamba's d_state) the state is one scalar. Softplus
 * returns d itself above 20, so a large delta stays finite, and exp(d * A)
 * underflowing to 0 only clears the state.
 */
export function selectiveScanProgram(variant: ScanVariant): ShaderProgram {
  const { states, softplus, withSkip, withDeltaBias } = variant;
  const names = ['u', 'delta', 'A', 'Bs', 'Cs', ...(withSkip ? ['D'] : []), ...(withDeltaBias ? ['deltaBias'] : [])];
  const bindings: BindingAccess[] = [...names.map((): BindingAccess => 'read'), 'write'];
  const declarations = names
    .map((name, index) => `@group(0) @binding(${index + 1}) var<storage, read> ${name}: array<f32>;`)
    .join('\n');

  return {
    key: `selective-scan/states-${states}/${softplus ? 'softplus' : 'linear'}/${withSkip ? 'skip' : 'no-skip'}/${withDeltaBias ? 'bias' : 'no-bias'}`,
    bindings,
    source: () => /* wgsl */ `
struct Params { count: u32, groupsX: u32, channels: u32, length: u32, groups: u32, channelsPerGroup: u32 }
@group(0) @binding(0) var<uniform> params: Params;
${declarations}
@group(0) @binding(${names.length + 1}) var<storage, read_write> y: array<f32>;
${FLAT_INDEX}
${ACTIVATIONS}

const STATES = ${states}u;

@compute @workgroup_size(${WORKGROUP_SIZE})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let sequenceIndex = flatIndex(id);
  if (sequenceIndex >= params.count) {
    return;
  }
  let c = sequenceIndex % params.channels;
  let item = sequenceIndex / params.channels;
  let k = c / params.channelsPerGroup;
  let sequence = sequenceIndex * params.length;
  // Offset of B[b, k, 0, 0] and C[b, k, 0, 0]; state n at step t is n * L + t further on.
  let projections = (item * params.groups + k) * STATES * params.length;
  let skip = ${withSkip ? 'D[c]' : '0.0'};
  let stepBias = ${withDeltaBias ? 'deltaBias[c]' : '0.0'};
${stateLoop(states, softplus)}
}`,
  };
}

function stateLoop(states: number, softplus: boolean): string {
  if (states === 0) return skipOnlyLoop();
  return states === 1 ? scalarStateLoop(softplus) : arrayStateLoop(softplus);
}

/** N = 0: no state, so y = D * u (a zero-length WGSL array would not compile). */
function skipOnlyLoop(): string {
  return `
  for (var t = 0u; t < params.length; t++) {
    y[sequence + t] = skip * u[sequence + t];
  }`;
}

function stepExpression(softplus: boolean): string {
  return softplus ? 'softplusOf(delta[sequence + t] + stepBias)' : 'delta[sequence + t] + stepBias';
}

/** The d_state = 1 fast path: one decay and one state in scalars. */
function scalarStateLoop(softplus: boolean): string {
  return `
  let decay = A[c];
  var state = 0.0;
  for (var t = 0u; t < params.length; t++) {
    let input = u[sequence + t];
    let step = ${stepExpression(softplus)};
    let at = projections + t;
    state = exp(step * decay) * state + step * Bs[at] * input;
    y[sequence + t] = skip * input + state * Cs[at];
  }`;
}

/** The general path: N decays and N states in private arrays. */
function arrayStateLoop(softplus: boolean): string {
  return `
  var decay: array<f32, STATES>;
  var state: array<f32, STATES>;
  for (var n = 0u; n < STATES; n++) {
    decay[n] = A[c * STATES + n];
  }
  for (var t = 0u; t < params.length; t++) {
    let input = u[sequence + t];
    let step = ${stepExpression(softplus)};
    var out = skip * input;
    for (var n = 0u; n < STATES; n++) {
      let at = projections + n * params.length + t;
      state[n] = exp(step * decay[n]) * state[n] + step * Bs[at] * input;
      out += state[n] * Cs[at];
    }
    y[sequence + t] = out;
  }`;
}

import { HAAR_TAP, InvalidArgumentError, Random, seedFromString } from '@mobilemamba/core';
import { expectedShapes } from '../architecture/parameters.js';
import type { ModelPlan } from '../architecture/plan.js';
import type { HostTensor, StateDict } from '../checkpoint/types.js';
import { HAAR_SIGNS } from './haar.js';

/**
 * Returns a [4C, 1, 2, 2] bank of the Haar (db1) filters the kernels
 * implement, with the reference's float32 tap 0.49999997.
 */
function haarFilters(shape: readonly number[]): Float32Array {
  const data = new Float32Array(shape[0] * 4);
  for (let filter = 0; filter < shape[0]; filter++) {
    HAAR_SIGNS[filter % 4].forEach((sign, i) => (data[4 * filter + i] = sign * HAAR_TAP));
  }
  return data;
}

/** Draws the values of one tensor; the rule depends on what the key names. */
function drawTensor(key: string, shape: readonly number[], random: Random): Float32Array {
  const size = shape.reduce((product, dim) => product * dim, 1);
  const values = new Float32Array(size);
  const fill = (draw: () => number) => {
    for (let i = 0; i < size; i++) values[i] = draw();
  };

  if (key.endsWith('wt_filter')) return haarFilters(shape);

  if (key.endsWith('.A_logs')) fill(() => random.uniform(-1.5, 1));
  else if (key.endsWith('.Ds')) fill(() => random.uniform(-0.5, 1.5));
  else if (key.endsWith('.dt_projs_bias')) fill(() => random.uniform(-3, 0));
  else if (key.endsWith('.dt_projs_weight')) {
    const bound = 1 / Math.sqrt(shape[2]);
    fill(() => random.uniform(-bound, bound));
  } else if (key.endsWith('.x_proj_weight')) {
    const deviation = 1 / Math.sqrt(shape[2]);
    fill(() => deviation * random.normal());
  } else if (key.endsWith('.out_norm.weight')) fill(() => random.uniform(0.5, 1.5));
  else if (key.endsWith('base_scale.weight')) fill(() => random.uniform(0.5, 1.5));
  else if (key.endsWith('wavelet_scale.0.weight')) fill(() => random.uniform(0.05, 0.15));
  else if (key.endsWith('.bias')) fill(() => 0.1 * random.normal());
  else {
    // Conv weights [Cout, Cin/groups, kh, kw] and linear weights [out, in]: fan-in is everything after axis 0.
    const deviation = 1 / Math.sqrt(size / shape[0]);
    fill(() => deviation * random.normal());
  }
  return values;
}

/**
 * Builds a fused (BatchNorm-free) state_dict with seeded random weights for
 * `plan`, with every key and shape of `expectedShapes(plan, 'fused')`. It
 * serves benchmarks and tests that need a whole model without a checkpoint.
 * The same plan and seed give the same values on every platform, and each
 * tensor's values depend only on the seed and its own name.
 *
 * Conv and linear weights are normal with standard deviation 1/sqrt(fan-in)
 * and biases normal with deviation 0.1, so activations stay finite through
 * the residual stacks. The SSM parameters follow the ranges of the project's
 * fixtures: A_logs uniform in [-1.5, 1], Ds in [-0.5, 1.5], dt_projs_bias in
 * [-3, 0], dt_projs_weight within +-1/sqrt(dt_rank). The Haar filter banks
 * hold the real filters, because the weight loader accepts nothing else.
 */
export function randomStateDict(plan: ModelPlan, seed: number): StateDict {
  if (!Number.isInteger(seed)) throw new InvalidArgumentError('randomStateDict', 'seed', seed, 'expected an integer');

  const stateDict: StateDict = new Map();
  for (const [key, shape] of expectedShapes(plan, 'fused')) {
    const random = new Random((seed ^ seedFromString(key)) >>> 0);
    const tensor: HostTensor = { shape, data: drawTensor(key, shape, random), storedDType: 'F32' };
    stateDict.set(key, tensor);
  }
  return stateDict;
}

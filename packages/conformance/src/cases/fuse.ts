import { batchNormFold, conv2d, depthwiseConv2d, linear, relu, type BatchNorm, type Tensor } from '@mobilemamba/core';
import { checkOpOutputs, type HostTensor } from '../bounds.js';
import { computeOnBackend, type Computation, type ConformanceCase } from '../case.js';
import { metaNumber, metaString, type FixtureCaseMeta, type FixtureFile } from '../fixture-file.js';

/** BatchNorm eps of every fuse fixture, PyTorch's default. */
const EPS = 1e-5;

/** The tensors one BatchNorm module contributes to a state_dict, without num_batches_tracked. */
const BATCH_NORM_KEYS = ['weight', 'bias', 'running_mean', 'running_var'];

/**
 * Cases of ops/fuse.safetensors, made by the reference's fuse() methods.
 * Each case folds the unfused module `w.*` with batchNormFold, compares the
 * folded parameters with `fused.*`, and runs the folded layers on `x`
 * against both `out_fused` and `out_unfused`:
 * - Conv2d_BN: conv then BatchNorm, folded 'after';
 * - BN_Linear: BatchNorm1d then linear, folded 'before';
 * - DWConv2d_BN_ReLU: depthwise k x k conv, BN, ReLU, depthwise 1x1 conv, BN;
 *   both pairs fold 'after' and the ReLU stays between them.
 */
export function fuseCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) => ({
    id: `fuse/${meta.id}`,
    run: async (backend, context) => {
      const plan = planOf(meta);
      const named = (name: string): HostTensor => file.tensor(`${meta.id}.${name}`);

      const inputs: Record<string, HostTensor> = { x: named('x') };
      for (const key of plan.weightKeys) {
        if (file.has(`${meta.id}.w.${key}`)) inputs[key] = named(`w.${key}`);
      }
      const expected: Record<string, HostTensor> = { out_fused: named('out_fused'), out_unfused: named('out_unfused') };
      for (const key of plan.fusedKeys) expected[`fused.${key}`] = named(`fused.${key}`);

      const actual = await computeOnBackend(backend, inputs, plan.compute);
      return checkOpOutputs(actual, expected, context.opRelative);
    },
  }));
}

/** The inputs a case uploads, its computation, and the folded tensors it compares. */
interface FusePlan {
  readonly weightKeys: readonly string[];
  readonly fusedKeys: readonly string[];
  readonly compute: Computation;
}

function planOf(meta: FixtureCaseMeta): FusePlan {
  const module = metaString(meta, 'module');
  switch (module) {
    case 'Conv2d_BN':
      return convBatchNormPlan(meta);
    case 'BN_Linear':
      return batchNormLinearPlan();
    case 'DWConv2d_BN_ReLU':
      return depthwiseReluPlan(meta);
    default:
      throw new Error(`fuse fixture ${meta.id}: unknown module '${module}'`);
  }
}

/** Conv2d without bias, then BatchNorm2d over its output channels. */
function convBatchNormPlan(meta: FixtureCaseMeta): FusePlan {
  const [inChannels, outChannels, groups] = [metaNumber(meta, 'a'), metaNumber(meta, 'b'), metaNumber(meta, 'groups')];
  const stride = metaNumber(meta, 'stride');
  const padding = metaNumber(meta, 'pad');
  const depthwise = groups === inChannels && groups === outChannels;

  return {
    weightKeys: ['c.weight', ...batchNormKeys('bn')],
    fusedKeys: ['weight', 'bias'],
    compute: (t) => {
      const folded = batchNormFold(t['c.weight'], null, batchNormOf(t, 'bn'), 'after');
      const out = depthwise
        ? depthwiseConv2d(t.x, folded.weight, folded.bias, { stride, padding })
        : conv2d(t.x, folded.weight, folded.bias, { stride, padding, groups });
      return { 'fused.weight': folded.weight, 'fused.bias': folded.bias, out_fused: out, out_unfused: out };
    },
  };
}

/** BatchNorm1d, then a linear layer with or without bias. */
function batchNormLinearPlan(): FusePlan {
  return {
    weightKeys: [...batchNormKeys('bn'), 'l.weight', 'l.bias'],
    fusedKeys: ['weight', 'bias'],
    compute: (t) => {
      const folded = batchNormFold(t['l.weight'], t['l.bias'] ?? null, batchNormOf(t, 'bn'), 'before');
      const out = linear(t.x, folded.weight, folded.bias);
      return { 'fused.weight': folded.weight, 'fused.bias': folded.bias, out_fused: out, out_unfused: out };
    },
  };
}

/** Depthwise k x k conv + BN, ReLU, depthwise 1x1 conv + BN; the k x k conv pads k // 2. */
function depthwiseReluPlan(meta: FixtureCaseMeta): FusePlan {
  const padding = Math.floor(metaNumber(meta, 'k') / 2);

  return {
    weightKeys: ['dwconv3x3.weight', ...batchNormKeys('bn1'), 'dwconv1x1.weight', ...batchNormKeys('bn2')],
    fusedKeys: ['0.weight', '0.bias', '2.weight', '2.bias'],
    compute: (t) => {
      const first = batchNormFold(t['dwconv3x3.weight'], null, batchNormOf(t, 'bn1'), 'after');
      const second = batchNormFold(t['dwconv1x1.weight'], null, batchNormOf(t, 'bn2'), 'after');
      const hidden = relu(depthwiseConv2d(t.x, first.weight, first.bias, { padding }));
      const out = depthwiseConv2d(hidden, second.weight, second.bias);
      return {
        'fused.0.weight': first.weight,
        'fused.0.bias': first.bias,
        'fused.2.weight': second.weight,
        'fused.2.bias': second.bias,
        out_fused: out,
        out_unfused: out,
      };
    },
  };
}

function batchNormKeys(prefix: string): string[] {
  return BATCH_NORM_KEYS.map((key) => `${prefix}.${key}`);
}

function batchNormOf(t: Readonly<Record<string, Tensor>>, prefix: string): BatchNorm {
  return {
    weight: t[`${prefix}.weight`],
    bias: t[`${prefix}.bias`],
    runningMean: t[`${prefix}.running_mean`],
    runningVar: t[`${prefix}.running_var`],
    eps: EPS,
  };
}

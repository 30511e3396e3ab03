import { MobileMambaError } from '@mobilemamba/core';
import type { ModelPlan, StagePlan } from './plan.js';
import { OPTIONAL_KEY_SUFFIX, type ShapeListing, type WeightForm } from './parameters.js';

/** Tensor names to shapes: a loaded state_dict, or a checkpoint's listing before its data is read. */
export type TensorShapes = ReadonlyMap<string, { readonly shape: readonly number[] }>;

/** A checkpoint does not hold the tensors a MobileMamba of the requested shape needs. */
export class ArchitectureMismatchError extends MobileMambaError {
  override readonly name = 'ArchitectureMismatchError';

  constructor(
    readonly expected: string,
    readonly missing: readonly string[],
    readonly unexpected: readonly string[],
    readonly misshapen: readonly { key: string; expected: readonly number[]; actual: readonly number[] }[],
  ) {
    const list = (items: readonly string[]) =>
      items.length > 6 ? `${items.slice(0, 6).join(', ')} and ${items.length - 6} more` : items.join(', ');
    const parts = [
      missing.length ? `missing ${missing.length} (${list(missing)})` : '',
      unexpected.length ? `unexpected ${unexpected.length} (${list(unexpected)})` : '',
      misshapen.length
        ? `mis-shaped ${misshapen.length} (${list(misshapen.map((m) => `${m.key} [${m.actual.join(', ')}], expected [${m.expected.join(', ')}]`))})`
        : '',
    ].filter(Boolean);
    super(`checkpoint does not match ${expected}: ${parts.join('; ')}`);
  }
}

/** Tells a fused checkpoint from an unfused one by the stem's first conv. */
export function detectWeightForm(stateDict: TensorShapes): WeightForm {
  if (stateDict.has('patch_embed.0.c.weight')) return 'unfused';
  if (stateDict.has('patch_embed.0.weight')) return 'fused';
  const sample = [...stateDict.keys()].slice(0, 3).join(', ');
  throw new MobileMambaError(
    `not a MobileMamba state_dict: no patch_embed.0.c.weight or patch_embed.0.weight (${stateDict.size} tensors${sample ? `, such as ${sample}` : ''})`,
  );
}

/**
 * Infers the architecture from tensor names and shapes. The result is then
 * checked tensor by tensor against the full listing, so inference only
 * needs to read a few shapes per stage.
 */
export function inferPlan(stateDict: TensorShapes, form: WeightForm = detectWeightForm(stateDict)): ModelPlan {
  const shapeOf = (key: string): readonly number[] => {
    const tensor = stateDict.get(key);
    if (!tensor) throw new MobileMambaError(`cannot infer the MobileMamba architecture: tensor '${key}' is missing`);
    return tensor.shape;
  };
  const convWeight = (prefix: string) => shapeOf(form === 'fused' ? `${prefix}.weight` : `${prefix}.c.weight`);

  const dims = [
    convWeight('patch_embed.6')[0],
    convWeight('blocks2.1.conv3')[0],
    convWeight('blocks3.1.conv3')[0],
  ];

  const stages = dims.map((dim, index) => {
    const prefix = `blocks${index + 1}`;
    const first = index === 0 ? 0 : 3;
    let depth = 0;
    while (hasPrefix(stateDict, `${prefix}.${first + depth}.dw0.`)) depth++;
    return inferStage(stateDict, `${prefix}.${first}`, dim, depth, form, shapeOf);
  }) as unknown as ModelPlan['stages'];

  const head = form === 'fused' ? 'head.weight' : 'head.l.weight';
  return {
    stages,
    numClasses: shapeOf(head)[0],
    distillation: hasPrefix(stateDict, 'head_dist.'),
  };
}

/** Infers a stage's channel split and SS2D sizes from the block at `block` (its key prefix). */
export function inferStage(
  stateDict: TensorShapes,
  block: string,
  dim: number,
  depth: number,
  form: WeightForm,
  shapeOf: (key: string) => readonly number[],
): StagePlan {
  const mixer = `${block}.mixer.m.attn`;
  const ss2d = `${mixer}.global_op.global_atten`;
  const hasGlobal = depth > 0 && stateDict.has(`${ss2d}.A_logs`);
  const localKey = form === 'fused' ? `${mixer}.local_op.0.weight` : `${mixer}.local_op.dwconv3x3.weight`;
  const hasLocal = depth > 0 && stateDict.has(localKey);

  const inProjKey = form === 'fused' ? `${ss2d}.in_proj.weight` : `${ss2d}.in_proj.c.weight`;
  const inProj = hasGlobal ? shapeOf(inProjKey) : [0, 0];
  const global = inProj[1];
  const local = hasLocal ? shapeOf(localKey)[0] : 0;
  const kernel = hasLocal
    ? shapeOf(localKey)[2]
    : hasGlobal ? shapeOf(`${mixer}.global_op.wavelet_convs.0.weight`)[2] : 3;

  return {
    dim,
    depth,
    split: { global, local, identity: dim - global - local },
    kernel,
    dInner: inProj[0] / 2,
    dtRank: hasGlobal ? shapeOf(`${ss2d}.dt_projs_weight`)[2] : Math.ceil(global / 16),
    dState: hasGlobal ? shapeOf(`${ss2d}.A_logs`)[1] : 1,
  };
}

function hasPrefix(stateDict: TensorShapes, prefix: string): boolean {
  for (const key of stateDict.keys()) if (key.startsWith(prefix)) return true;
  return false;
}

/**
 * Compares a checkpoint with the listing a plan expects and raises
 * ArchitectureMismatchError naming missing, unexpected and mis-shaped
 * tensors. BatchNorm `num_batches_tracked` counters are optional.
 */
export function checkAgainstListing(stateDict: TensorShapes, listing: ShapeListing, expected: string): void {
  const missing: string[] = [];
  const misshapen: { key: string; expected: readonly number[]; actual: readonly number[] }[] = [];
  for (const [key, shape] of listing) {
    const tensor = stateDict.get(key);
    if (!tensor) {
      if (!key.endsWith(OPTIONAL_KEY_SUFFIX)) missing.push(key);
    } else if (tensor.shape.length !== shape.length || tensor.shape.some((dim, i) => dim !== shape[i])) {
      if (!key.endsWith(OPTIONAL_KEY_SUFFIX)) misshapen.push({ key, expected: shape, actual: tensor.shape });
    }
  }
  const unexpected = [...stateDict.keys()].filter((key) => !listing.has(key));

  if (missing.length || unexpected.length || misshapen.length) {
    throw new ArchitectureMismatchError(expected, missing, unexpected, misshapen);
  }
}

/** True when two plans build the same network (same tensors and shapes). */
export function samePlan(a: ModelPlan, b: ModelPlan): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

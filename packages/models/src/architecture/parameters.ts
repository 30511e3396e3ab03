import { mergeSqueezeWidth, type ModelPlan, type StagePlan } from './plan.js';

/**
 * Whether BatchNorms are still separate tensors ('unfused', as training
 * saves them) or already folded into the preceding layers ('fused', as the
 * authors' replace_batchnorm leaves them).
 */
export type WeightForm = 'unfused' | 'fused';

/** State_dict key to expected shape. */
export type ShapeListing = Map<string, readonly number[]>;

/** BatchNorm counters that inference ignores; a checkpoint may or may not hold them. */
export const OPTIONAL_KEY_SUFFIX = '.num_batches_tracked';

class ListingBuilder {
  readonly shapes: ShapeListing = new Map();

  constructor(readonly form: WeightForm) {}

  add(key: string, shape: readonly number[]): void {
    this.shapes.set(key, shape);
  }

  batchNorm(prefix: string, channels: number): void {
    for (const name of ['weight', 'bias', 'running_mean', 'running_var']) this.add(`${prefix}.${name}`, [channels]);
    this.add(`${prefix}${OPTIONAL_KEY_SUFFIX}`, []);
  }

  /** Adds the reference's Conv2d_BN: a bias-free conv named `c` and a BatchNorm named `bn`. */
  convBn(prefix: string, outChannels: number, groupChannels: number, kernel: number): void {
    const weight = [outChannels, groupChannels, kernel, kernel];
    if (this.form === 'fused') {
      this.add(`${prefix}.weight`, weight);
      this.add(`${prefix}.bias`, [outChannels]);
    } else {
      this.add(`${prefix}.c.weight`, weight);
      this.batchNorm(`${prefix}.bn`, outChannels);
    }
  }

  /** Adds the reference's BN_Linear: BatchNorm1d `bn` then Linear `l`. */
  batchNormLinear(prefix: string, inFeatures: number, outFeatures: number): void {
    if (this.form === 'fused') {
      this.add(`${prefix}.weight`, [outFeatures, inFeatures]);
      this.add(`${prefix}.bias`, [outFeatures]);
    } else {
      this.batchNorm(`${prefix}.bn`, inFeatures);
      this.add(`${prefix}.l.weight`, [outFeatures, inFeatures]);
      this.add(`${prefix}.l.bias`, [outFeatures]);
    }
  }

  /** FFN: 1x1 Conv+BN to twice the width, ReLU, 1x1 Conv+BN back. */
  ffn(prefix: string, dim: number): void {
    this.convBn(`${prefix}.pw1`, 2 * dim, dim, 1);
    this.convBn(`${prefix}.pw2`, dim, 2 * dim, 1);
  }

  /** Adds the downsample prelude: residual depthwise 3x3 Conv+BN, residual FFN. */
  prelude(prefix: string, dim: number): void {
    this.convBn(`${prefix}.0.m`, dim, 1, 3);
    this.ffn(`${prefix}.1.m`, dim);
  }

  patchMerging(prefix: string, dim: number, outDim: number, squeezeWidth: number): void {
    const hidden = 4 * dim;
    this.convBn(`${prefix}.conv1`, hidden, dim, 1);
    this.convBn(`${prefix}.conv2`, hidden, 1, 3);
    this.add(`${prefix}.se.fc1.weight`, [squeezeWidth, hidden, 1, 1]);
    this.add(`${prefix}.se.fc1.bias`, [squeezeWidth]);
    this.add(`${prefix}.se.fc2.weight`, [hidden, squeezeWidth, 1, 1]);
    this.add(`${prefix}.se.fc2.bias`, [hidden]);
    this.convBn(`${prefix}.conv3`, outDim, hidden, 1);
  }

  ss2d(prefix: string, stage: StagePlan): void {
    const { dInner, dtRank, dState } = stage;
    const channels = stage.split.global;
    this.add(`${prefix}.x_proj_weight`, [2, dtRank + 2 * dState, dInner]);
    this.add(`${prefix}.Ds`, [2 * dInner]);
    this.add(`${prefix}.A_logs`, [2 * dInner, dState]);
    this.add(`${prefix}.dt_projs_weight`, [2, dInner, dtRank]);
    this.add(`${prefix}.dt_projs_bias`, [2, dInner]);
    this.add(`${prefix}.out_norm.weight`, [dInner]);
    this.add(`${prefix}.out_norm.bias`, [dInner]);
    this.convBn(`${prefix}.in_proj`, 2 * dInner, channels, 1);
    this.add(`${prefix}.conv2d.weight`, [dInner, 1, 3, 3]);
    this.add(`${prefix}.conv2d.bias`, [dInner]);
    this.convBn(`${prefix}.out_proj`, channels, dInner, 1);
  }

  /** MBWTConv2d: SS2D plus the scaled Haar-domain depthwise conv. */
  waveletMamba(prefix: string, stage: StagePlan): void {
    const channels = stage.split.global;
    this.add(`${prefix}.wt_filter`, [4 * channels, 1, 2, 2]);
    this.add(`${prefix}.iwt_filter`, [4 * channels, 1, 2, 2]);
    this.ss2d(`${prefix}.global_atten`, stage);
    this.add(`${prefix}.base_scale.weight`, [1, channels, 1, 1]);
    this.add(`${prefix}.wavelet_convs.0.weight`, [4 * channels, 1, stage.kernel, stage.kernel]);
    this.add(`${prefix}.wavelet_scale.0.weight`, [1, 4 * channels, 1, 1]);
  }

  /** DWConv2d_BN_ReLU: depthwise k x k Conv+BN, ReLU, per-channel 1x1 Conv+BN. */
  localBranch(prefix: string, channels: number, kernel: number): void {
    if (this.form === 'fused') {
      this.add(`${prefix}.0.weight`, [channels, 1, kernel, kernel]);
      this.add(`${prefix}.0.bias`, [channels]);
      this.add(`${prefix}.2.weight`, [channels, 1, 1, 1]);
      this.add(`${prefix}.2.bias`, [channels]);
    } else {
      this.add(`${prefix}.dwconv3x3.weight`, [channels, 1, kernel, kernel]);
      this.batchNorm(`${prefix}.bn1`, channels);
      this.add(`${prefix}.dwconv1x1.weight`, [channels, 1, 1, 1]);
      this.batchNorm(`${prefix}.bn2`, channels);
    }
  }

  block(prefix: string, stage: StagePlan): void {
    const { dim } = stage;
    this.convBn(`${prefix}.dw0.m`, dim, 1, 3);
    this.ffn(`${prefix}.ffn0.m`, dim);
    const mixer = `${prefix}.mixer.m.attn`;
    if (stage.split.local > 0) this.localBranch(`${mixer}.local_op`, stage.split.local, stage.kernel);
    if (stage.split.global > 0) this.waveletMamba(`${mixer}.global_op`, stage);
    this.convBn(`${mixer}.proj.1`, dim, dim, 1);
    this.convBn(`${prefix}.dw1.m`, dim, 1, 3);
    this.ffn(`${prefix}.ffn1.m`, dim);
  }
}

/** Lists every state_dict key a model of this plan has, with its shape. */
export function expectedShapes(plan: ModelPlan, form: WeightForm): ShapeListing {
  const builder = new ListingBuilder(form);
  const [first] = plan.stages;

  const stem = [first.dim / 8, first.dim / 4, first.dim / 2, first.dim];
  stem.forEach((channels, i) => builder.convBn(`patch_embed.${2 * i}`, channels, i === 0 ? 3 : stem[i - 1], 3));

  plan.stages.forEach((stage, index) => {
    const prefix = `blocks${index + 1}`;
    let child = 0;
    if (index > 0) {
      const previous = plan.stages[index - 1];
      builder.prelude(`${prefix}.0`, previous.dim);
      builder.patchMerging(`${prefix}.1`, previous.dim, stage.dim, mergeSqueezeWidth(plan, index as 1 | 2));
      builder.prelude(`${prefix}.2`, stage.dim);
      child = 3;
    }
    for (let block = 0; block < stage.depth; block++) builder.block(`${prefix}.${child + block}`, stage);
  });

  const last = plan.stages[2].dim;
  builder.batchNormLinear('head', last, plan.numClasses);
  if (plan.distillation) builder.batchNormLinear('head_dist', last, plan.numClasses);
  return builder.shapes;
}

/**
 * Number of parameters as PyTorch's model.parameters() counts them: BatchNorm
 * running statistics excluded, the frozen Haar filter banks included.
 */
export function parameterCount(plan: ModelPlan): number {
  let count = 0;
  for (const [key, shape] of expectedShapes(plan, 'unfused')) {
    if (/\.(running_mean|running_var|num_batches_tracked)$/.test(key)) continue;
    count += shape.reduce((product, dim) => product * dim, 1);
  }
  return count;
}

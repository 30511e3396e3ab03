import { MobileMambaError } from '@mobilemamba/core';
import { splitChannels, squeezeExciteWidth, type ChannelSplit, type MobileMambaConfig } from './config.js';

/** Everything the forward pass needs to know about one stage. */
export interface StagePlan {
  /** Channels of the stage's blocks. */
  dim: number;
  /** MobileMamba blocks in the stage. */
  depth: number;
  split: ChannelSplit;
  /** Depthwise kernel size of the local branch and the wavelet convs. */
  kernel: number;
  /** SS2D inner width: ssm_ratio times the global channels. */
  dInner: number;
  /** Rank of the dt projection: ceil(global channels / 16). */
  dtRank: number;
  /** SSM state size; MobileMamba uses 1. */
  dState: number;
}

/** The resolved architecture: per-stage channel counts rather than ratios. */
export interface ModelPlan {
  stages: readonly [StagePlan, StagePlan, StagePlan];
  numClasses: number;
  distillation: boolean;
}

/** Width of the squeeze-excite bottleneck in the PatchMerging before stage `index` (1 or 2). */
export function mergeSqueezeWidth(plan: ModelPlan, index: 1 | 2): number {
  return squeezeExciteWidth(4 * plan.stages[index - 1].dim);
}

/** Resolves a configuration into channel counts, checking that it is buildable. */
export function planFromConfig(config: MobileMambaConfig): ModelPlan {
  checkConfigShape(config);
  const positive = (value: number) => Number.isInteger(value) && value > 0;
  if (!config.embedDims.every(positive) || config.embedDims[0] % 8 !== 0) {
    throw new MobileMambaError(`invalid embedDims [${config.embedDims.join(', ')}]: expected positive integers, the first a multiple of 8`);
  }
  if (!config.depths.every((depth) => Number.isInteger(depth) && depth >= 0)) {
    throw new MobileMambaError(`invalid depths [${config.depths.join(', ')}]: expected non-negative integers`);
  }
  if (!config.kernels.every((kernel) => positive(kernel) && kernel % 2 === 1)) {
    throw new MobileMambaError(`invalid kernels [${config.kernels.join(', ')}]: expected odd positive integers`);
  }
  if (!positive(config.numClasses)) throw new MobileMambaError(`invalid numClasses ${config.numClasses}`);

  const stages = config.embedDims.map((dim, i) => {
    const split = splitChannels(dim, config.globalRatios[i], config.localRatios[i]);
    if (split.global < 0 || split.local < 0 || split.identity < 0) {
      throw new MobileMambaError(
        `stage ${i + 1}: ratios ${config.globalRatios[i]} and ${config.localRatios[i]} do not split ${dim} channels`,
      );
    }
    const dInner = Math.trunc(config.ssmRatio * split.global);
    return {
      dim,
      depth: config.depths[i],
      split,
      kernel: config.kernels[i],
      dInner,
      dtRank: Math.ceil(split.global / 16),
      dState: 1,
    };
  }) as unknown as ModelPlan['stages'];

  return { stages, numClasses: config.numClasses, distillation: config.distillation };
}

/** Checks that a configuration object has every field, with triples where the model needs one per stage. */
function checkConfigShape(config: MobileMambaConfig): void {
  if (config === null || typeof config !== 'object') {
    throw new MobileMambaError(`invalid MobileMamba configuration ${String(config)}: expected an object`);
  }
  const triples = ['embedDims', 'depths', 'globalRatios', 'localRatios', 'kernels'] as const;
  for (const key of triples) {
    const value = config[key] as unknown;
    const valid = Array.isArray(value) && value.length === 3 && value.every((item) => typeof item === 'number' && Number.isFinite(item));
    if (!valid) throw new MobileMambaError(`invalid MobileMamba configuration: ${key} must be three finite numbers, got ${JSON.stringify(value)}`);
  }
  for (const key of ['ssmRatio', 'numClasses', 'imgSize'] as const) {
    const value = config[key] as unknown;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new MobileMambaError(`invalid MobileMamba configuration: ${key} must be a positive number, got ${JSON.stringify(value)}`);
    }
  }
}

import { mergeSqueezeWidth, type ModelPlan, type StagePlan } from './plan.js';

/** Output length of a k=3, stride-2, padding-1 conv, as in the stem and PatchMerging. */
const halve = (size: number) => Math.floor((size - 1) / 2) + 1;

/**
 * Counts multiply-accumulates for one image of `height` x `width`, the way
 * the authors' FLOP counter (fvcore plus their selective-scan rule) counts
 * the fused network: every conv and linear layer, and 9*L*D*N + D*L per
 * scan direction. Element-wise ops, norms and pooling are not counted.
 */
export function countMacs(plan: ModelPlan, height: number, width: number): number {
  let h = height;
  let w = width;
  let macs = 0;

  const stemChannels = [3, plan.stages[0].dim / 8, plan.stages[0].dim / 4, plan.stages[0].dim / 2, plan.stages[0].dim];
  for (let i = 0; i < 4; i++) {
    h = halve(h);
    w = halve(w);
    macs += stemChannels[i + 1] * stemChannels[i] * 9 * h * w;
  }

  plan.stages.forEach((stage, index) => {
    if (index > 0) {
      const previous = plan.stages[index - 1];
      macs += preludeMacs(previous.dim, h * w);
      const hidden = 4 * previous.dim;
      const squeeze = mergeSqueezeWidth(plan, index as 1 | 2);
      macs += hidden * previous.dim * h * w;
      h = halve(h);
      w = halve(w);
      macs += hidden * 9 * h * w + 2 * hidden * squeeze + stage.dim * hidden * h * w;
      macs += preludeMacs(stage.dim, h * w);
    }
    macs += stage.depth * blockMacs(stage, h, w);
  });

  const heads = plan.distillation ? 2 : 1;
  return macs + heads * plan.stages[2].dim * plan.numClasses;
}

function preludeMacs(dim: number, area: number): number {
  return dim * 9 * area + 4 * dim * dim * area;
}

function blockMacs(stage: StagePlan, h: number, w: number): number {
  const { dim, kernel, dInner, dtRank, dState } = stage;
  const { global, local } = stage.split;
  const area = h * w;

  let macs = 2 * preludeMacs(dim, area) + dim * dim * area;
  macs += local * kernel * kernel * area + local * area;
  if (global > 0) {
    const subbandArea = Math.ceil(h / 2) * Math.ceil(w / 2);
    macs += 2 * dInner * global * area + dInner * 9 * area + dInner * global * area;
    macs += 2 * dInner * (dtRank + 2 * dState) * area + 2 * dtRank * dInner * area;
    macs += 2 * (9 * area * dInner * dState + dInner * area);
    macs += 2 * 4 * global * 4 * subbandArea + 4 * global * kernel * kernel * subbandArea;
  }
  return macs;
}

import { add, conv2d, globalAvgPool, linear, mul, relu, tensor, type Tensor } from '@mobilemamba/core';
import type { ModelWeights, StageWeights } from '../weights/types.js';
import { mobileMambaBlock, patchMerging, prelude } from './blocks.js';

/** Names of the intermediate outputs, as the fixtures and the `run` command call them. */
export const INTERMEDIATE_NAMES = ['patch_embed', 'blocks1', 'blocks2', 'blocks3', 'pooled'] as const;

export type NetworkOutputs = Record<string, Tensor>;

/**
 * Runs the whole network on x [B, 3, H, W]. Returns `logits`, and with
 * `intermediates` also the stem and stage outputs, the pooled features and
 * every stage child as `sub.blocksS.J` (the fixtures' names). Callers wrap
 * this in `tidy` so the tensors not returned are freed.
 */
export function runNetwork(x: Tensor, weights: ModelWeights, intermediates: boolean): NetworkOutputs {
  const outputs: NetworkOutputs = {};
  const record = (name: string, value: Tensor) => {
    if (intermediates) outputs[name] = value;
    return value;
  };

  let y = x;
  weights.stem.forEach((layer, index) => {
    y = conv2d(y, layer.weight, layer.bias, { stride: 2, padding: 1 });
    if (index < weights.stem.length - 1) y = relu(y);
  });
  record('patch_embed', y);

  weights.stages.forEach((stage, index) => {
    y = record(`blocks${index + 1}`, runStage(y, stage, `sub.blocks${index + 1}`, record));
  });

  const pooled = record('pooled', globalAvgPool(y));
  let logits = linear(pooled, weights.head.weight, weights.head.bias);
  if (weights.headDist) {
    // Eval-mode distillation: the mean of the two heads, (a + b) / 2 as the reference writes it.
    const half = tensor([0.5], [1], logits.backend);
    logits = mul(add(logits, linear(pooled, weights.headDist.weight, weights.headDist.bias)), half);
  }
  outputs.logits = logits;
  return outputs;
}

function runStage(x: Tensor, stage: StageWeights, prefix: string, record: (name: string, value: Tensor) => Tensor): Tensor {
  let y = x;
  let child = 0;
  if (stage.downsample) {
    y = record(`${prefix}.${child++}`, prelude(y, stage.downsample.before));
    y = record(`${prefix}.${child++}`, patchMerging(y, stage.downsample.merge));
    y = record(`${prefix}.${child++}`, prelude(y, stage.downsample.after));
  }
  for (const block of stage.blocks) y = record(`${prefix}.${child++}`, mobileMambaBlock(y, block));
  return y;
}

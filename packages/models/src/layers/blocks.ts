import { add, conv2d, globalAvgPool, mul, relu, sigmoid, type Tensor } from '@mobilemamba/core';
import type { BlockWeights, PatchMergingWeights, PreludeWeights } from '../weights/types.js';
import { depthwise, ffn, pointwise, residual } from './basic.js';
import { mixer } from './mixer.js';

/**
 * MobileMambaBlock: x + F(x), where F is residual depthwise 3x3, residual
 * FFN, residual mixer, residual depthwise 3x3 and residual FFN in turn. The
 * block therefore adds its input on top of five residual steps.
 */
export function mobileMambaBlock(x: Tensor, weights: BlockWeights): Tensor {
  let y = residual(x, (t) => depthwise(t, weights.dw0));
  y = residual(y, (t) => ffn(t, weights.ffn0));
  y = residual(y, (t) => mixer(t, weights.mixer));
  y = residual(y, (t) => depthwise(t, weights.dw1));
  y = residual(y, (t) => ffn(t, weights.ffn1));
  return add(x, y);
}

/** The downsample prelude: residual depthwise 3x3 conv, then residual FFN. */
export function prelude(x: Tensor, weights: PreludeWeights): Tensor {
  const y = residual(x, (t) => depthwise(t, weights.dw));
  return residual(y, (t) => ffn(t, weights.ffn));
}

/**
 * Squeeze-excite (timm's SEModule): x * sigmoid(fc2(ReLU(fc1(mean over H, W)))),
 * with both fc layers as 1x1 convs with bias.
 */
export function squeezeExcite(x: Tensor, fc1: { weight: Tensor; bias: Tensor }, fc2: { weight: Tensor; bias: Tensor }): Tensor {
  const [batch, channels] = x.shape;
  const pooled = globalAvgPool(x).reshape([batch, channels, 1, 1]);
  const gate = sigmoid(conv2d(relu(conv2d(pooled, fc1.weight, fc1.bias)), fc2.weight, fc2.bias));
  return mul(x, gate);
}

/**
 * PatchMerging: 1x1 conv to 4x width, ReLU, depthwise 3x3 stride 2, ReLU,
 * squeeze-excite, 1x1 conv to the next stage's width.
 */
export function patchMerging(x: Tensor, weights: PatchMergingWeights): Tensor {
  const expanded = relu(pointwise(x, weights.conv1));
  const reduced = relu(depthwise(expanded, weights.conv2, 2));
  return pointwise(squeezeExcite(reduced, weights.se.fc1, weights.se.fc2), weights.conv3);
}

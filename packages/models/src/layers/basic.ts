import { add, conv2d, depthwiseConv2d, relu, type Tensor } from '@mobilemamba/core';
import type { FfnWeights, FoldedConv } from '../weights/types.js';

/** Applies a 1x1 conv (with its folded BatchNorm), which the backend runs as a matrix multiply. */
export function pointwise(x: Tensor, layer: FoldedConv): Tensor {
  return conv2d(x, layer.weight, layer.bias);
}

/** Applies a depthwise conv with 'same' padding for odd kernels and the given stride. */
export function depthwise(x: Tensor, layer: FoldedConv, stride = 1): Tensor {
  const pad = (layer.weight.shape[2] - 1) / 2;
  return depthwiseConv2d(x, layer.weight, layer.bias, { stride, padding: pad });
}

/** FFN: 1x1 conv to twice the width, ReLU, 1x1 conv back. */
export function ffn(x: Tensor, layer: FfnWeights): Tensor {
  return pointwise(relu(pointwise(x, layer.pw1)), layer.pw2);
}

/** Computes the reference's Residual module at inference: x + f(x). */
export function residual(x: Tensor, f: (input: Tensor) => Tensor): Tensor {
  return add(x, f(x));
}

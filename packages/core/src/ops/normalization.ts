import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkFinite, checkShape, checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

/**
 * LayerNorm over the channel axis (axis 1) of [B, C, ...], separately at
 * every other position, with the biased variance as PyTorch uses.
 */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps = 1e-5): Tensor {
  const op = 'layerNorm';
  checkTensor(op, 'x', x, [2, 3, 4]);
  checkTensor(op, 'weight', weight, 1);
  checkTensor(op, 'bias', bias, 1);
  checkShape(op, 'weight', weight, [x.shape[1]]);
  checkShape(op, 'bias', bias, [x.shape[1]]);
  checkFinite(op, 'eps', eps, true);
  const backend = commonBackend(op, { x, weight, bias });

  return wrapHandle(backend, kernelOf(backend, 'layerNorm')(x, weight, bias, eps), x.shape);
}

/** Mean over H and W: [B, C, H, W] to [B, C]. */
export function globalAvgPool(x: Tensor): Tensor {
  const op = 'globalAvgPool';
  checkTensor(op, 'x', x, 4);
  if (x.shape[2] * x.shape[3] === 0) {
    throw new InvalidArgumentError(op, 'x', x, 'has no spatial positions to average');
  }
  const backend = x.backend;

  return wrapHandle(backend, kernelOf(backend, 'globalAvgPool')(x), [x.shape[0], x.shape[1]]);
}

/** Fully connected layer: x [B, in] times weight [out, in] transposed, plus bias [out]. */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const op = 'linear';
  checkTensor(op, 'x', x, 2);
  checkTensor(op, 'weight', weight, 2);
  if (weight.shape[1] !== x.shape[1]) {
    throw new InvalidArgumentError(op, 'weight', weight, `expected [out, ${x.shape[1]}] to match x's ${x.shape[1]} features`);
  }
  if (bias !== null) {
    checkTensor(op, 'bias', bias, 1);
    checkShape(op, 'bias', bias, [weight.shape[0]]);
  }
  const backend = commonBackend(op, { x, weight, bias });

  return wrapHandle(backend, kernelOf(backend, 'linear')(x, weight, bias), [x.shape[0], weight.shape[0]]);
}

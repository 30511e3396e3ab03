import type { Tensor } from '../tensor.js';
import { checkFinite, checkShape, checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

/** BatchNorm parameters and running statistics, named as in PyTorch. */
export interface BatchNorm {
  weight: Tensor;
  bias: Tensor;
  runningMean: Tensor;
  runningVar: Tensor;
  /** Default 1e-5. */
  eps?: number;
}

/** A layer's weight and bias after folding. */
export interface FoldedLayer {
  weight: Tensor;
  bias: Tensor;
}

/**
 * Folds a BatchNorm into a conv or linear layer so that one layer computes
 * both. With placement 'after' (Conv+BN, Linear+BN) the BatchNorm scales
 * output channels: W' = W * g, b' = (b - mean) * g + beta, with
 * g = gamma / sqrt(var + eps). With 'before' (BatchNorm1d then Linear) it
 * scales the input features: W' = W * g per column, b' = b + W (beta - mean g).
 */
export function batchNormFold(
  weight: Tensor,
  bias: Tensor | null,
  batchNorm: BatchNorm,
  placement: 'after' | 'before' = 'after',
): FoldedLayer {
  const op = 'batchNormFold';
  checkTensor(op, 'weight', weight, [2, 3, 4]);
  const features = placement === 'after' ? weight.shape[0] : weight.shape[1];
  if (placement === 'before') checkTensor(op, 'weight', weight, 2);
  if (bias !== null) checkShape(op, 'bias', checkTensor(op, 'bias', bias, 1), [weight.shape[0]]);

  for (const key of ['weight', 'bias', 'runningMean', 'runningVar'] as const) {
    checkShape(op, `batchNorm.${key}`, checkTensor(op, `batchNorm.${key}`, batchNorm[key], 1), [features]);
  }
  const eps = checkFinite(op, 'batchNorm.eps', batchNorm.eps ?? 1e-5, true);
  const backend = commonBackend(op, {
    weight,
    bias,
    'batchNorm.weight': batchNorm.weight,
    'batchNorm.bias': batchNorm.bias,
    'batchNorm.runningMean': batchNorm.runningMean,
    'batchNorm.runningVar': batchNorm.runningVar,
  });

  const [foldedWeight, foldedBias] = kernelOf(backend, 'batchNormFold')(weight, bias, batchNorm, { eps, placement });
  return {
    weight: wrapHandle(backend, foldedWeight, weight.shape),
    bias: wrapHandle(backend, foldedBias, [weight.shape[0]]),
  };
}

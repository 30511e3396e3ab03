import { sizeOf, type BatchNormFoldAttributes, type BatchNormParameters, type KernelTensor } from '@mobilemamba/core';
import { valuesOf } from './data.js';

/**
 * Folds an inference-mode BatchNorm into the weight W and bias b (zero when
 * absent) of the neighbouring conv or linear layer. With the per-feature
 * scale g = gamma / sqrt(runningVar + eps):
 *
 * - 'after' (Conv+BN, Linear+BN), BatchNorm on the layer's output channels o:
 *   W'[o, ...] = W[o, ...] * g[o],  b'[o] = (b[o] - runningMean[o]) * g[o] + beta[o]
 * - 'before' (BatchNorm1d, then Linear W [out, in]), on its input features i:
 *   W'[o, i] = W[o, i] * g[i],  b'[o] = b[o] + sum_i W[o, i] * (beta[i] - runningMean[i] * g[i])
 *
 * Returns [W', b'], computed in float64 and stored as float32.
 */
export function batchNormFold(
  weight: KernelTensor,
  bias: KernelTensor | null,
  batchNorm: BatchNormParameters,
  attributes: BatchNormFoldAttributes,
): [Float32Array, Float32Array] {
  const matrix = valuesOf(weight);
  const offsets = bias === null ? null : valuesOf(bias);
  const gamma = valuesOf(batchNorm.weight);
  const beta = valuesOf(batchNorm.bias);
  const mean = valuesOf(batchNorm.runningMean);
  const variance = valuesOf(batchNorm.runningVar);
  const scale = Array.from(variance, (v, feature) => gamma[feature] / Math.sqrt(v + attributes.eps));

  const outFeatures = weight.shape[0];
  const rowLength = sizeOf(weight.shape.slice(1));
  const foldedWeight = new Float32Array(matrix.length);
  const foldedBias = new Float32Array(outFeatures);

  for (let o = 0; o < outFeatures; o++) {
    const row = o * rowLength;
    const base = offsets === null ? 0 : offsets[o];

    if (attributes.placement === 'after') {
      for (let i = 0; i < rowLength; i++) foldedWeight[row + i] = matrix[row + i] * scale[o];
      foldedBias[o] = (base - mean[o]) * scale[o] + beta[o];
    } else {
      let shift = 0;
      for (let i = 0; i < rowLength; i++) {
        foldedWeight[row + i] = matrix[row + i] * scale[i];
        shift += matrix[row + i] * (beta[i] - mean[i] * scale[i]);
      }
      foldedBias[o] = base + shift;
    }
  }
  return [foldedWeight, foldedBias];
}

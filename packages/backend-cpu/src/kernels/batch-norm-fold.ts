import { sizeOf, type BatchNormFoldAttributes, type BatchNormParameters, type KernelTensor } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';

/**
 * Folds an inference-mode BatchNorm into a conv or linear layer, with
 * g = gamma / sqrt(runningVar + eps):
 * - 'after': W'[o, ...] = W[o, ...] g[o], b'[o] = (b[o] - mean[o]) g[o] + beta[o];
 * - 'before' (BatchNorm1d, then Linear W [out, in]): W'[o, i] = W[o, i] g[i],
 *   b'[o] = b[o] + sum_i W[o, i] (beta[i] - mean[i] g[i]).
 * It runs once per layer at load, so it is plain TypeScript in float64 on
 * views of the memory.
 */
export function batchNormFold(
  runtime: CpuRuntime,
  weight: KernelTensor,
  bias: KernelTensor | null,
  batchNorm: BatchNormParameters,
  attributes: BatchNormFoldAttributes,
): [CpuStorage, CpuStorage] {
  const op = 'batchNormFold';
  const matrix = runtime.storageOf(weight, op);
  const offsets = bias === null ? null : runtime.storageOf(bias, op);
  const [gamma, beta, mean, variance] = [batchNorm.weight, batchNorm.bias, batchNorm.runningMean, batchNorm.runningVar].map((t) => runtime.storageOf(t, op));
  const outFeatures = weight.shape[0];
  const rowLength = sizeOf(weight.shape.slice(1));
  const foldedWeight = runtime.allocate(matrix.length);
  let foldedBias: CpuStorage;
  try {
    foldedBias = runtime.allocate(outFeatures);
  } catch (error) {
    runtime.release(foldedWeight);
    throw error;
  }

  // Views are taken after both allocations, which may have grown the memory.
  const values = runtime.f32();
  const read = (storage: CpuStorage, i: number): number => values[storage.offset / 4 + i];
  const scale = Array.from({ length: variance.length }, (_, f) => read(gamma, f) / Math.sqrt(read(variance, f) + attributes.eps));
  const weightOut = foldedWeight.offset / 4;
  const biasOut = foldedBias.offset / 4;

  for (let o = 0; o < outFeatures; o++) {
    const row = o * rowLength;
    const base = offsets === null ? 0 : read(offsets, o);
    if (attributes.placement === 'after') {
      for (let i = 0; i < rowLength; i++) values[weightOut + row + i] = read(matrix, row + i) * scale[o];
      values[biasOut + o] = (base - read(mean, o)) * scale[o] + read(beta, o);
    } else {
      let shift = 0;
      for (let i = 0; i < rowLength; i++) {
        const w = read(matrix, row + i);
        values[weightOut + row + i] = w * scale[i];
        shift += w * (read(beta, i) - read(mean, i) * scale[i]);
      }
      values[biasOut + o] = base + shift;
    }
  }
  return [foldedWeight, foldedBias];
}

import { sizeOf, type BatchNormFoldAttributes, type BatchNormParameters, type KernelTensor } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

interface FoldConstants extends KernelConstants {
  readonly eps: number;
  /** Values per output feature of the weight: the product of its trailing extents. */
  readonly rowLength: number;
  /** 1 when the layer has a bias. */
  readonly hasBias: number;
}

/**
 * Folded weight for a BatchNorm after the layer, on its output feature o:
 * W'[o, r] = W[o, r] * gamma[o] / sqrt(runningVar[o] + eps).
 */
function foldWeightAfterSource(this: KernelThis<FoldConstants>, weight: number[], gamma: number[], variance: number[]): number {
  const i = this.thread.x;
  const o = floorDivide(i, this.constants.rowLength);
  return weight[i] * (gamma[o] / Math.sqrt(variance[o] + this.constants.eps));
}

/** Folded bias for a BatchNorm after the layer: b'[o] = (b[o] - runningMean[o]) * g[o] + beta[o]. */
function foldBiasAfterSource(
  this: KernelThis<FoldConstants>,
  bias: number[],
  gamma: number[],
  beta: number[],
  mean: number[],
  variance: number[],
): number {
  const o = this.thread.x;
  let base = 0;
  if (this.constants.hasBias > 0) {
    base = bias[o];
  }
  return (base - mean[o]) * (gamma[o] / Math.sqrt(variance[o] + this.constants.eps)) + beta[o];
}

/**
 * Folded weight for a BatchNorm1d before a linear layer W [out, in], on its
 * input feature r: W'[o, r] = W[o, r] * gamma[r] / sqrt(runningVar[r] + eps).
 */
function foldWeightBeforeSource(this: KernelThis<FoldConstants>, weight: number[], gamma: number[], variance: number[]): number {
  const i = this.thread.x;
  const o = floorDivide(i, this.constants.rowLength);
  const r = i - o * this.constants.rowLength;
  return weight[i] * (gamma[r] / Math.sqrt(variance[r] + this.constants.eps));
}

/** Folded bias for a BatchNorm1d before the layer: b'[o] = b[o] + sum_r W[o, r] * (beta[r] - runningMean[r] * g[r]). */
function foldBiasBeforeSource(
  this: KernelThis<FoldConstants>,
  bias: number[],
  weight: number[],
  gamma: number[],
  beta: number[],
  mean: number[],
  variance: number[],
): number {
  const o = this.thread.x;
  let shift = 0;
  for (let r = 0; r < this.constants.rowLength; r++) {
    const scale = gamma[r] / Math.sqrt(variance[r] + this.constants.eps);
    shift += weight[o * this.constants.rowLength + r] * (beta[r] - mean[r] * scale);
  }
  if (this.constants.hasBias > 0) {
    return bias[o] + shift;
  }
  return shift;
}

/**
 * Folds an inference-mode BatchNorm into the weight [Cout, ...] and optional
 * bias of the neighbouring conv or linear layer, with the per-feature scale
 * g = gamma / sqrt(runningVar + eps). Returns the new weight and bias.
 */
export function batchNormFold(
  runtime: WebGlRuntime,
  weight: KernelTensor,
  bias: KernelTensor | null,
  batchNorm: BatchNormParameters,
  attributes: BatchNormFoldAttributes,
): [TextureStorage, TextureStorage] {
  const matrix = storageOf(weight);
  const gamma = storageOf(batchNorm.weight);
  const beta = storageOf(batchNorm.bias);
  const mean = storageOf(batchNorm.runningMean);
  const variance = storageOf(batchNorm.runningVar);
  // Without a bias the kernels never read it, so any texture serves.
  const offsets = bias === null ? gamma : storageOf(bias);
  const outFeatures = weight.shape[0];
  const constants: FoldConstants = { eps: attributes.eps, rowLength: sizeOf(weight.shape.slice(1)), hasBias: bias === null ? 0 : 1 };

  if (attributes.placement === 'after') {
    const foldedWeight = runtime.run({ name: 'batchNormFold/weightAfter', source: KERNEL_SOURCES.foldWeightAfterSource, outputSize: matrix.size, constants, inputs: [matrix, gamma, variance] });
    const foldedBias = runtime.run({
      name: 'batchNormFold/biasAfter',
      source: KERNEL_SOURCES.foldBiasAfterSource,
      outputSize: outFeatures,
      constants,
      inputs: [offsets, gamma, beta, mean, variance],
    });
    return [foldedWeight, foldedBias];
  }

  const foldedWeight = runtime.run({ name: 'batchNormFold/weightBefore', source: KERNEL_SOURCES.foldWeightBeforeSource, outputSize: matrix.size, constants, inputs: [matrix, gamma, variance] });
  const foldedBias = runtime.run({
    name: 'batchNormFold/biasBefore',
    source: KERNEL_SOURCES.foldBiasBeforeSource,
    outputSize: outFeatures,
    constants,
    inputs: [offsets, matrix, gamma, beta, mean, variance],
  });
  return [foldedWeight, foldedBias];
}

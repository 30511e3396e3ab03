import { sizeOf, type KernelTensor } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

interface LayerNormConstants extends KernelConstants {
  readonly channels: number;
  readonly positions: number;
  readonly eps: number;
}

/**
 * LayerNorm statistics, [B, P, 2]: at (b, p, 0) the mean over the C
 * channels of x[b, :, p], at (b, p, 1) 1 / sqrt(var + eps) with the biased
 * variance. The variance sums squared deviations from the mean (two
 * passes), which loses less to cancellation than E[x^2] - mean^2.
 */
function layerNormStatsSource(this: KernelThis<LayerNormConstants>, x: number[]): number {
  const i = this.thread.x;
  const pair = floorDivide(i, 2);
  const field = i - pair * 2;
  const b = floorDivide(pair, this.constants.positions);
  const p = pair - b * this.constants.positions;
  const base = b * this.constants.channels * this.constants.positions + p;

  let sum = 0;
  for (let c = 0; c < this.constants.channels; c++) {
    sum += x[base + c * this.constants.positions];
  }
  const mean = sum / this.constants.channels;
  if (field < 0.5) {
    return mean;
  }

  let squares = 0;
  for (let c = 0; c < this.constants.channels; c++) {
    const deviation = x[base + c * this.constants.positions] - mean;
    squares += deviation * deviation;
  }
  return 1 / Math.sqrt(squares / this.constants.channels + this.constants.eps);
}

/** y[b, c, p] = (x[b, c, p] - mean[b, p]) * inverseStd[b, p] * weight[c] + bias[c]. */
function layerNormApplySource(this: KernelThis<LayerNormConstants>, x: number[], stats: number[], weight: number[], bias: number[]): number {
  const i = this.thread.x;
  const plane = floorDivide(i, this.constants.positions);
  const p = i - plane * this.constants.positions;
  const b = floorDivide(plane, this.constants.channels);
  const c = plane - b * this.constants.channels;
  const at = (b * this.constants.positions + p) * 2;
  return (x[i] - stats[at]) * stats[at + 1] * weight[c] + bias[c];
}

/** LayerNorm over axis 1 of [B, C, ...], in two kernels: per-position statistics, then the normalisation. */
export function layerNorm(runtime: WebGlRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor, eps: number): TextureStorage {
  const [batch, channels] = x.shape;
  const constants: LayerNormConstants = { channels, positions: sizeOf(x.shape.slice(2)), eps };
  const input = storageOf(x);

  const stats = runtime.run({
    name: 'layerNorm/stats',
    source: KERNEL_SOURCES.layerNormStatsSource,
    outputSize: batch * constants.positions * 2,
    constants,
    inputs: [input],
  });
  try {
    return runtime.run({
      name: 'layerNorm/apply',
      source: KERNEL_SOURCES.layerNormApplySource,
      outputSize: input.size,
      constants: { channels, positions: constants.positions },
      inputs: [input, stats, storageOf(weight), storageOf(bias)],
    });
  } finally {
    runtime.release(stats);
  }
}

interface PoolConstants extends KernelConstants {
  readonly area: number;
}

/** y[plane] = (1 / area) * sum of the plane's H * W values. */
function globalAvgPoolSource(this: KernelThis<PoolConstants>, x: number[]): number {
  const base = this.thread.x * this.constants.area;
  let sum = 0;
  for (let p = 0; p < this.constants.area; p++) {
    sum += x[base + p];
  }
  return sum / this.constants.area;
}

/** Mean over H and W: [B, C, H, W] to [B, C]. */
export function globalAvgPool(runtime: WebGlRuntime, x: KernelTensor): TextureStorage {
  const [batch, channels, height, width] = x.shape;
  return runtime.run({
    name: 'globalAvgPool',
    source: KERNEL_SOURCES.globalAvgPoolSource,
    outputSize: batch * channels,
    constants: { area: height * width },
    inputs: [storageOf(x)],
  });
}

interface LinearConstants extends KernelConstants {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly hasBias: number;
}

/** y[b, o] = bias[o] + sum_i x[b, i] * weight[o, i]. */
function linearSource(this: KernelThis<LinearConstants>, x: number[], weight: number[], bias: number[]): number {
  const i = this.thread.x;
  const b = floorDivide(i, this.constants.outFeatures);
  const o = i - b * this.constants.outFeatures;

  let sum = 0;
  if (this.constants.hasBias > 0) {
    sum = bias[o];
  }
  for (let k = 0; k < this.constants.inFeatures; k++) {
    sum += x[b * this.constants.inFeatures + k] * weight[o * this.constants.inFeatures + k];
  }
  return sum;
}

/** Fully connected layer: x [B, in] times weight [out, in] transposed, plus bias [out]. */
export function linear(runtime: WebGlRuntime, x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null): TextureStorage {
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const input = storageOf(x);
  const matrix = storageOf(weight);
  return runtime.run({
    name: 'linear',
    source: KERNEL_SOURCES.linearSource,
    outputSize: batch * outFeatures,
    constants: { inFeatures, outFeatures, hasBias: bias === null ? 0 : 1 },
    // Without a bias the kernel never reads its third argument, so any texture serves.
    inputs: [input, matrix, bias === null ? matrix : storageOf(bias)],
  });
}

import { sizeOf, type KernelTensor } from '@mobilemamba/core';
import { valuesOf } from './data.js';

/**
 * Computes LayerNorm over axis 1 of x [B, C, ...]. At every batch item b and every
 * position p of the trailing axes:
 * mean = (1/C) sum_c x[b, c, p], var = (1/C) sum_c (x[b, c, p] - mean)^2,
 * y[b, c, p] = (x[b, c, p] - mean) / sqrt(var + eps) * weight[c] + bias[c].
 * The variance is the biased one, as PyTorch's LayerNorm uses.
 */
export function layerNorm(x: KernelTensor, weight: KernelTensor, bias: KernelTensor, eps: number): Float32Array {
  const values = valuesOf(x);
  const [gamma, beta] = [valuesOf(weight), valuesOf(bias)];
  const [batch, channels] = x.shape;
  const positions = sizeOf(x.shape.slice(2));
  const out = new Float32Array(values.length);
  const mean = new Float64Array(positions);
  const inverseStd = new Float64Array(positions);

  for (let b = 0; b < batch; b++) {
    const base = b * channels * positions;

    // Channels are `positions` apart, so sum channel planes into per-position totals.
    mean.fill(0);
    for (let c = 0; c < channels; c++) {
      const plane = base + c * positions;
      for (let p = 0; p < positions; p++) mean[p] += values[plane + p];
    }
    for (let p = 0; p < positions; p++) mean[p] /= channels;

    // Two passes over the data, so the variance does not lose precision to cancellation.
    inverseStd.fill(0);
    for (let c = 0; c < channels; c++) {
      const plane = base + c * positions;
      for (let p = 0; p < positions; p++) {
        const deviation = values[plane + p] - mean[p];
        inverseStd[p] += deviation * deviation;
      }
    }
    for (let p = 0; p < positions; p++) inverseStd[p] = 1 / Math.sqrt(inverseStd[p] / channels + eps);

    for (let c = 0; c < channels; c++) {
      const plane = base + c * positions;
      for (let p = 0; p < positions; p++) {
        out[plane + p] = (values[plane + p] - mean[p]) * inverseStd[p] * gamma[c] + beta[c];
      }
    }
  }
  return out;
}

/** Averages over H and W: y[b, c] = (1 / (H W)) sum_{h,w} x[b, c, h, w]. */
export function globalAvgPool(x: KernelTensor): Float32Array {
  const values = valuesOf(x);
  const [batch, channels, height, width] = x.shape;
  const area = height * width;
  const out = new Float32Array(batch * channels);

  for (let plane = 0; plane < batch * channels; plane++) {
    let sum = 0;
    for (let p = 0; p < area; p++) sum += values[plane * area + p];
    out[plane] = sum / area;
  }
  return out;
}

/** Computes a fully connected layer: y[b, o] = bias[o] + sum_i x[b, i] * weight[o, i]. */
export function linear(x: KernelTensor, weight: KernelTensor, bias: KernelTensor | null): Float32Array {
  const [input, matrix] = [valuesOf(x), valuesOf(weight)];
  const offsets = bias === null ? null : valuesOf(bias);
  const [batch, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const out = new Float32Array(batch * outFeatures);

  for (let b = 0; b < batch; b++) {
    for (let o = 0; o < outFeatures; o++) {
      let sum = offsets === null ? 0 : offsets[o];
      for (let i = 0; i < inFeatures; i++) sum += input[b * inFeatures + i] * matrix[o * inFeatures + i];
      out[b * outFeatures + o] = sum;
    }
  }
  return out;
}

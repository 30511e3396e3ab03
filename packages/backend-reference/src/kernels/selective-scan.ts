import type { KernelTensor, SelectiveScanAttributes } from '@mobilemamba/core';
import { valuesOf } from './data.js';
import { softplusOf } from './elementwise.js';

/**
 * Runs the selective scan (Mamba's S6 recurrence) independently for every
 * batch item b and channel c, where channel c of K*D channels belongs to group
 * k = floor(c / D) and reads that group's B and C:
 *
 *   d_t = delta[b, c, t] + deltaBias[c], then softplus(d_t) when the flag is set
 *   h_t[n] = exp(d_t * A[c, n]) * h_{t-1}[n] + d_t * B[b, k, n, t] * u[b, c, t],  h_0 = 0
 *   y[b, c, t] = sum_n h_t[n] * C[b, k, n, t] + D[c] * u[b, c, t]
 *
 * The state h is kept in float64. Softplus returns d itself above 20, so a
 * large delta stays finite, and exp(d * A) underflowing to 0 only clears the
 * state: 0 * h is 0 because h stays finite.
 */
export function selectiveScan(
  u: KernelTensor,
  delta: KernelTensor,
  A: KernelTensor,
  Bs: KernelTensor,
  Cs: KernelTensor,
  D: KernelTensor | null,
  deltaBias: KernelTensor | null,
  attributes: SelectiveScanAttributes,
): Float32Array {
  const [inputs, deltas, decay, inputMatrix, outputMatrix] = [valuesOf(u), valuesOf(delta), valuesOf(A), valuesOf(Bs), valuesOf(Cs)];
  const skip = D === null ? null : valuesOf(D);
  const biases = deltaBias === null ? null : valuesOf(deltaBias);
  const [batch, channels, length] = u.shape;
  const [groups, states] = [Bs.shape[1], A.shape[1]];
  const channelsPerGroup = channels / groups;

  const out = new Float32Array(inputs.length);
  const state = new Float64Array(states);
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channels; c++) {
      const sequence = (b * channels + c) * length;
      // Offset of B[b, k, 0, 0] and C[b, k, 0, 0]. State n at step t is n * length + t further on.
      const projections = (b * groups + Math.floor(c / channelsPerGroup)) * states * length;
      state.fill(0);

      for (let t = 0; t < length; t++) {
        const input = inputs[sequence + t];
        let step = deltas[sequence + t] + (biases === null ? 0 : biases[c]);
        if (attributes.deltaSoftplus) step = softplusOf(step);

        let y = skip === null ? 0 : skip[c] * input;
        for (let n = 0; n < states; n++) {
          const at = projections + n * length + t;
          state[n] = Math.exp(step * decay[c * states + n]) * state[n] + step * inputMatrix[at] * input;
          y += state[n] * outputMatrix[at];
        }
        out[sequence + t] = y;
      }
    }
  }
  return out;
}

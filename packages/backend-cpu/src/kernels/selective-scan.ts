import type { KernelTensor, SelectiveScanAttributes } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';

/**
 * Cost of one step of one state in multiply-add equivalents (exp and the
 * softplus dominate), used only to decide on threading.
 */
const STEP_COST = 30;

/** Selective scan, 4 channels of a group per SIMD vector; a work unit is 4 channels of one batch item. */
export function selectiveScan(
  runtime: CpuRuntime,
  u: KernelTensor,
  delta: KernelTensor,
  A: KernelTensor,
  Bs: KernelTensor,
  Cs: KernelTensor,
  D: KernelTensor | null,
  deltaBias: KernelTensor | null,
  attributes: SelectiveScanAttributes,
): CpuStorage {
  const op = 'selectiveScan';
  const [inputs, deltas, decay, inputMatrix, outputMatrix] = [u, delta, A, Bs, Cs].map((t) => runtime.storageOf(t, op));
  const skip = D === null ? 0 : runtime.storageOf(D, op).offset;
  const bias = deltaBias === null ? 0 : runtime.storageOf(deltaBias, op).offset;
  const [batch, channels, length] = u.shape;
  const [groups, states] = [Bs.shape[1], A.shape[1]];
  return runtime.output(inputs.length, (out) => {
    if (out.length === 0) return;

    // Each worker keeps up to `states` decay and state vectors (32 bytes per state) in its slot.
    const scratchBytes = Math.max(1, states) * 32 * runtime.threads;
    const scratch = runtime.scratch(scratchBytes);
    try {
      const units = batch * Math.ceil(channels / 4);
      runtime.parallel('selective_scan', [
        inputs.offset, deltas.offset, decay.offset, inputMatrix.offset, outputMatrix.offset, skip, bias, out.offset,
        channels, length, groups, states, attributes.deltaSoftplus ? 1 : 0, scratch,
      ], units, batch * channels * length * states * STEP_COST);
    } finally {
      runtime.freeScratch(scratch, scratchBytes);
    }
  });
}

import { MobileMambaError, type KernelTensor, type SelectiveScanAttributes } from '@mobilemamba/core';
import { PREFIX } from '../errors.js';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { selectiveScanProgram } from '../shaders/selective-scan.js';
import { flatGrid } from './grid.js';

/**
 * Largest d_state the scan compiles. The states live in private arrays of
 * this length; far larger ones would spill and compile slowly, and Mamba
 * models use 1 to 16.
 */
export const MAX_SCAN_STATES = 256;

/** The selective scan, one invocation per (batch item, channel) sequence. */
export function selectiveScan(
  runtime: GpuRuntime,
  u: KernelTensor,
  delta: KernelTensor,
  A: KernelTensor,
  Bs: KernelTensor,
  Cs: KernelTensor,
  D: KernelTensor | null,
  deltaBias: KernelTensor | null,
  attributes: SelectiveScanAttributes,
): GpuStorage {
  const op = 'selectiveScan';
  const inputs = [
    runtime.storageOf(u, op, 'u'),
    runtime.storageOf(delta, op, 'delta'),
    runtime.storageOf(A, op, 'A'),
    runtime.storageOf(Bs, op, 'Bs'),
    runtime.storageOf(Cs, op, 'Cs'),
    ...(D === null ? [] : [runtime.storageOf(D, op, 'D')]),
    ...(deltaBias === null ? [] : [runtime.storageOf(deltaBias, op, 'deltaBias')]),
  ];
  const [batch, channels, length] = u.shape;
  const [groups, states] = [Bs.shape[1], A.shape[1]];
  if (states > MAX_SCAN_STATES) {
    throw new MobileMambaError(`${PREFIX}: ${op}: d_state ${states} is above the supported maximum of ${MAX_SCAN_STATES}`);
  }
  const sequences = batch * channels;
  const output = runtime.allocate(sequences * length, op);
  if (sequences * length === 0) return output;

  const program = selectiveScanProgram({
    states,
    softplus: attributes.deltaSoftplus,
    withSkip: D !== null,
    withDeltaBias: deltaBias !== null,
  });
  const grid = flatGrid(runtime, sequences);
  const params = new Params().u32(sequences, grid.groupsX, channels, length, groups, channels / groups);
  runtime.dispatch(op, program, [...inputs, output], params, grid.workgroups);
  return output;
}

import { selectiveScan } from '@mobilemamba/core';
import type { HostTensor } from '../bounds.js';
import { normalTensor, uniformTensor, type Random } from '../random.js';
import type { RandomCase } from './random-case.js';

interface ScanShape {
  readonly batch: number;
  /** Groups K; each has `channels` channels and its own B and C. */
  readonly groups: number;
  readonly channels: number;
  /** d_state N. */
  readonly states: number;
  readonly length: number;
}

interface ScanValues {
  /** Draws delta (before bias and softplus). */
  readonly delta: (random: Random, shape: number[]) => HostTensor;
  /** Draws A. */
  readonly A: (random: Random, shape: number[]) => HostTensor;
  readonly softplus: boolean;
  readonly withD: boolean;
  readonly withBias: boolean;
}

/** Small positive deltas without softplus, and A = -exp(uniform), as Mamba initialises it. */
const TYPICAL: ScanValues = {
  delta: (random, shape) => uniformTensor(random, shape, 0.001, 0.5),
  A: (random, shape) => negativeExp(random, shape, -1, 2),
  softplus: false,
  withD: true,
  withBias: false,
};

/** Deltas of any sign through softplus, with a delta bias. */
const SOFTPLUS: ScanValues = { ...TYPICAL, delta: (random, shape) => normalTensor(random, shape), softplus: true, withBias: true };

/** Deltas of 50 to 100 through softplus: log(1 + exp(delta)) computed naively overflows float32. */
const LARGE_DELTA: ScanValues = { ...SOFTPLUS, delta: (random, shape) => uniformTensor(random, shape, 50, 100) };

/** delta * A between -5000 and -1000, so exp(delta * A) underflows to 0 even in float64. */
const UNDERFLOW: ScanValues = {
  ...LARGE_DELTA,
  A: (random, shape) => uniformTensor(random, shape, -50, -20),
};

function negativeExp(random: Random, shape: number[], low: number, high: number): HostTensor {
  const logs = uniformTensor(random, shape, low, high);
  return { shape, values: logs.values.map((value) => -Math.exp(value)) };
}

function scanCase(name: string, shape: ScanShape, values: ScanValues): RandomCase {
  const { batch, groups, channels, states, length } = shape;
  const total = groups * channels;
  return {
    id: `random/selectiveScan/${name}`,
    inputs: (random) => ({
      u: normalTensor(random, [batch, total, length]),
      delta: values.delta(random, [batch, total, length]),
      A: values.A(random, [total, states]),
      Bs: normalTensor(random, [batch, groups, states, length]),
      Cs: normalTensor(random, [batch, groups, states, length]),
      ...(values.withD ? { D: normalTensor(random, [total]) } : {}),
      ...(values.withBias ? { deltaBias: uniformTensor(random, [total], -4, -1) } : {}),
    }),
    compute: (t) => ({
      out: selectiveScan(t.u, t.delta, t.A, t.Bs, t.Cs, { D: t.D ?? null, deltaBias: t.deltaBias ?? null, deltaSoftplus: values.softplus }),
    }),
  };
}

export const selectiveScanRandomCases: readonly RandomCase[] = [
  scanCase('length-1', { batch: 2, groups: 2, channels: 3, states: 1, length: 1 }, SOFTPLUS),
  scanCase('length-4096', { batch: 1, groups: 2, channels: 2, states: 1, length: 4096 }, SOFTPLUS),
  scanCase('length-4096-state-16', { batch: 1, groups: 1, channels: 2, states: 16, length: 4096 }, TYPICAL),
  scanCase('state-16-groups-4', { batch: 2, groups: 4, channels: 2, states: 16, length: 33 }, TYPICAL),
  scanCase('state-1-groups-1', { batch: 1, groups: 1, channels: 5, states: 1, length: 64 }, { ...SOFTPLUS, withD: false }),
  scanCase('groups-2-no-skip-no-bias', { batch: 3, groups: 2, channels: 4, states: 4, length: 17 }, { ...TYPICAL, withD: false }),
  scanCase('large-delta-softplus', { batch: 1, groups: 2, channels: 3, states: 4, length: 40 }, LARGE_DELTA),
  scanCase('exp-underflow', { batch: 2, groups: 2, channels: 2, states: 16, length: 25 }, UNDERFLOW),
];

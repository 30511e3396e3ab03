import type { KernelTensor, SelectiveScanAttributes } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

/**
 * The selective scan (Mamba's S6 recurrence), for every batch item b and
 * channel c of K*D (channel c reads the B and C of group k = floor(c / D)):
 *
 *   d_t = delta[b, c, t] + deltaBias[c], then softplus(d_t) when the flag is set
 *   h_t[n] = exp(d_t * A[c, n]) * h_{t-1}[n] + d_t * B[b, k, n, t] * u[b, c, t],  h_0 = 0
 *   y[b, c, t] = sum_n h_t[n] * C[b, k, n, t] + D[c] * u[b, c, t]
 *
 * A fragment shader writes one value per invocation, so the recurrence is
 * split into chunks of T = ceil(sqrt(L)) steps, all in parallel over batch
 * items, channels (both scan directions are channels) and chunks:
 *
 * 1. deltas: d_t for every step;
 * 2. chunk summaries: per chunk and state n, the state reached from zero
 *    and the product of the chunk's decays exp(d_t A);
 * 3. chunk starts: the state entering each chunk, h = decay * h + state
 *    over the chunks before it;
 * 4. output: from its chunk's start, each step t runs the recurrence up to t.
 *
 * The work is O(L sqrt(L) N) per channel instead of O(L^2 N) for every
 * step scanning from t = 0.
 */

interface ScanConstants extends KernelConstants {
  readonly length: number;
  readonly channels: number;
  /** Channels per group, D. */
  readonly groupChannels: number;
  readonly groups: number;
  readonly states: number;
  /** Chunk length T and chunk count M = ceil(L / T). */
  readonly chunkLength: number;
  readonly chunks: number;
}

interface DeltaConstants extends KernelConstants {
  readonly length: number;
  readonly channels: number;
  readonly hasBias: number;
  readonly softplus: number;
}

/** d = delta + deltaBias[c], then PyTorch's softplus when the flag is set (log1p as in the softplus kernel). */
function deltaSource(this: KernelThis<DeltaConstants>, delta: number[], deltaBias: number[]): number {
  const i = this.thread.x;
  let d = delta[i];
  if (this.constants.hasBias > 0) {
    const sequence = floorDivide(i, this.constants.length);
    const c = sequence - floorDivide(sequence, this.constants.channels) * this.constants.channels;
    d += deltaBias[c];
  }
  if (this.constants.softplus > 0 && d <= 20) {
    const e = Math.exp(d);
    const u = 1 + e;
    if (u === 1) {
      return e;
    }
    return Math.log(u) * (e / (u - 1));
  }
  return d;
}

/**
 * Chunk summary at (b, c, m, n, field): field 0 is the state after chunk m
 * started from zero, field 1 the product of the chunk's decays.
 */
function chunkSummarySource(this: KernelThis<ScanConstants>, u: number[], deltas: number[], A: number[], Bs: number[]): number {
  const i = this.thread.x;
  const entry = floorDivide(i, 2);
  const field = i - entry * 2;
  const chunkState = floorDivide(entry, this.constants.states);
  const n = entry - chunkState * this.constants.states;
  const sequence = floorDivide(chunkState, this.constants.chunks);
  const m = chunkState - sequence * this.constants.chunks;
  const b = floorDivide(sequence, this.constants.channels);
  const c = sequence - b * this.constants.channels;
  const k = floorDivide(c, this.constants.groupChannels);

  const a = A[c * this.constants.states + n];
  const first = m * this.constants.chunkLength;
  // Offsets of u[b, c, 0] and B[b, k, n, 0].
  const steps = sequence * this.constants.length;
  const projections = ((b * this.constants.groups + k) * this.constants.states + n) * this.constants.length;

  let h = 0;
  let decay = 1;
  for (let j = 0; j < this.constants.chunkLength; j++) {
    const t = first + j;
    if (t >= this.constants.length) {
      break;
    }
    const d = deltas[steps + t];
    const stepDecay = Math.exp(d * a);
    h = stepDecay * h + d * Bs[projections + t] * u[steps + t];
    decay *= stepDecay;
  }
  if (field > 0.5) {
    return decay;
  }
  return h;
}

/** State entering chunk m at (b, c, m, n): h = decay_j * h + state_j over chunks j < m, from h = 0. */
function chunkStartSource(this: KernelThis<ScanConstants>, summaries: number[]): number {
  const i = this.thread.x;
  const chunkState = floorDivide(i, this.constants.states);
  const n = i - chunkState * this.constants.states;
  const sequence = floorDivide(chunkState, this.constants.chunks);
  const m = chunkState - sequence * this.constants.chunks;

  let h = 0;
  for (let j = 0; j < this.constants.chunks; j++) {
    if (j >= m) {
      break;
    }
    const at = ((sequence * this.constants.chunks + j) * this.constants.states + n) * 2;
    h = summaries[at + 1] * h + summaries[at];
  }
  return h;
}

interface OutputConstants extends ScanConstants {
  readonly hasSkip: number;
  /** 0 when there is a single chunk, which starts from h = 0 and needs no chunk starts. */
  readonly hasStarts: number;
}

/** y[b, c, t]: the recurrence from the start of t's chunk up to t, for every state, then the skip term. */
function outputSource(
  this: KernelThis<OutputConstants>,
  u: number[],
  deltas: number[],
  A: number[],
  Bs: number[],
  Cs: number[],
  D: number[],
  starts: number[],
): number {
  const i = this.thread.x;
  const sequence = floorDivide(i, this.constants.length);
  const t = i - sequence * this.constants.length;
  const b = floorDivide(sequence, this.constants.channels);
  const c = sequence - b * this.constants.channels;
  const k = floorDivide(c, this.constants.groupChannels);
  const m = floorDivide(t, this.constants.chunkLength);
  const first = m * this.constants.chunkLength;
  const steps = sequence * this.constants.length;

  let y = 0;
  if (this.constants.hasSkip > 0) {
    y = D[c] * u[i];
  }
  for (let n = 0; n < this.constants.states; n++) {
    const a = A[c * this.constants.states + n];
    const projections = ((b * this.constants.groups + k) * this.constants.states + n) * this.constants.length;
    let h = 0;
    if (this.constants.hasStarts > 0) {
      h = starts[(sequence * this.constants.chunks + m) * this.constants.states + n];
    }
    for (let j = 0; j < this.constants.chunkLength; j++) {
      const s = first + j;
      if (s > t) {
        break;
      }
      const d = deltas[steps + s];
      h = Math.exp(d * a) * h + d * Bs[projections + s] * u[steps + s];
    }
    y += h * Cs[projections + t];
  }
  return y;
}

/** Runs the selective scan; returns y [B, K*D, L]. */
export function selectiveScan(
  runtime: WebGlRuntime,
  u: KernelTensor,
  delta: KernelTensor,
  A: KernelTensor,
  Bs: KernelTensor,
  Cs: KernelTensor,
  D: KernelTensor | null,
  deltaBias: KernelTensor | null,
  attributes: SelectiveScanAttributes,
): TextureStorage {
  const [batch, channels, length] = u.shape;
  const [groups, states] = [Bs.shape[1], A.shape[1]];
  const chunkLength = Math.max(1, Math.ceil(Math.sqrt(length)));
  const chunks = Math.ceil(length / chunkLength);
  const scan: ScanConstants = { length, channels, groupChannels: channels / groups, groups, states, chunkLength, chunks };
  const inputs = storageOf(u);
  const decay = storageOf(A);
  const inputMatrix = storageOf(Bs);

  // Absent optional operands are never read, so any texture can take their place.
  const deltas = runtime.run({
    name: 'selectiveScan/delta',
    source: KERNEL_SOURCES.deltaSource,
    outputSize: inputs.size,
    constants: { length, channels, hasBias: deltaBias === null ? 0 : 1, softplus: attributes.deltaSoftplus ? 1 : 0 },
    inputs: [storageOf(delta), deltaBias === null ? inputs : storageOf(deltaBias)],
  });

  const temporaries = [deltas];
  try {
    let starts = inputs;
    if (chunks > 1) {
      const summaries = runtime.run({
        name: 'selectiveScan/chunkSummary',
        source: KERNEL_SOURCES.chunkSummarySource,
        outputSize: batch * channels * chunks * states * 2,
        constants: scan,
        inputs: [inputs, deltas, decay, inputMatrix],
      });
      temporaries.push(summaries);
      starts = runtime.run({ name: 'selectiveScan/chunkStart', source: KERNEL_SOURCES.chunkStartSource, outputSize: batch * channels * chunks * states, constants: scan, inputs: [summaries] });
      temporaries.push(starts);
    }

    return runtime.run({
      name: 'selectiveScan/output',
      source: KERNEL_SOURCES.outputSource,
      outputSize: inputs.size,
      constants: { ...scan, hasSkip: D === null ? 0 : 1, hasStarts: chunks > 1 ? 1 : 0 },
      inputs: [inputs, deltas, decay, inputMatrix, storageOf(Cs), D === null ? inputs : storageOf(D), starts],
    });
  } finally {
    temporaries.forEach((storage) => runtime.release(storage));
  }
}

import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';
import { collapseWalk, walkConstants, type StridedWalk } from './strided.js';

interface GatherConstants extends KernelConstants {
  /** Input offset of output index 0. */
  readonly start: number;
  readonly d0: number; readonly d1: number; readonly d2: number; readonly d3: number; readonly d4: number; readonly d5: number;
  readonly s0: number; readonly s1: number; readonly s2: number; readonly s3: number; readonly s4: number; readonly s5: number;
}

/**
 * y[i] = x[start + sum_a coordinate_a(i) * s_a], with i decoded into six
 * coordinates innermost first, as in the binary kernel. A slice reads at the
 * input's strides from its first element; a flip reads the flipped axis at
 * a negative stride from its last element.
 */
function gatherSource(this: KernelThis<GatherConstants>, x: number[]): number {
  let rest = this.thread.x;
  let offset = this.constants.start;

  let quotient = floorDivide(rest, this.constants.d5);
  offset += (rest - quotient * this.constants.d5) * this.constants.s5;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d4);
  offset += (rest - quotient * this.constants.d4) * this.constants.s4;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d3);
  offset += (rest - quotient * this.constants.d3) * this.constants.s3;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d2);
  offset += (rest - quotient * this.constants.d2) * this.constants.s2;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d1);
  offset += (rest - quotient * this.constants.d1) * this.constants.s1;

  offset += quotient * this.constants.s0;
  return x[offset];
}

function gather(runtime: WebGlRuntime, op: string, x: KernelTensor, shape: Shape, strides: readonly number[], start: number): TextureStorage {
  const walk: StridedWalk = collapseWalk(op, shape, [strides]);
  return runtime.run({
    name: 'gather',
    source: KERNEL_SOURCES.gatherSource,
    outputSize: sizeOf(shape),
    constants: { start, ...walkConstants(walk, ['s']) },
    inputs: [storageOf(x)],
  });
}

/** Copies the box of extent `size` that starts at `begin`. */
export function slice(runtime: WebGlRuntime, x: KernelTensor, begin: readonly number[], size: readonly number[]): TextureStorage {
  const strides = stridesOf(x.shape);
  const start = begin.reduce((offset, first, axis) => offset + first * strides[axis], 0);
  return gather(runtime, 'slice', x, size, strides, start);
}

/** Reverses `axis`: read it at a negative stride, starting from its last element. */
export function flip(runtime: WebGlRuntime, x: KernelTensor, axis: number): TextureStorage {
  const strides = stridesOf(x.shape);
  const start = (x.shape[axis] - 1) * strides[axis];
  strides[axis] = -strides[axis];
  return gather(runtime, 'flip', x, x.shape, strides, start);
}

interface ConcatConstants extends KernelConstants {
  /** Extents of the joined axis in the first input, the second input and the output. */
  readonly firstLength: number;
  readonly secondLength: number;
  readonly length: number;
  /** Product of the extents after the joined axis. */
  readonly inner: number;
}

/**
 * Joins two inputs along one axis. Seen as [outer, length, inner], output
 * row j of block o is row j of the first input for j < firstLength, else
 * row j - firstLength of the second.
 */
function concatPairSource(this: KernelThis<ConcatConstants>, first: number[], second: number[]): number {
  const i = this.thread.x;
  const row = floorDivide(i, this.constants.inner);
  const r = i - row * this.constants.inner;
  const o = floorDivide(row, this.constants.length);
  const j = row - o * this.constants.length;

  if (j < this.constants.firstLength) {
    return first[(o * this.constants.firstLength + j) * this.constants.inner + r];
  }
  return second[(o * this.constants.secondLength + j - this.constants.firstLength) * this.constants.inner + r];
}

/**
 * Joins tensors that agree on every axis but `axis`. A kernel takes a fixed
 * number of textures, so the inputs are joined two at a time, left to
 * right. Inputs that are empty along `axis` are skipped.
 */
export function concat(runtime: WebGlRuntime, inputs: readonly KernelTensor[], axis: number, outShape: Shape): TextureStorage {
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));
  const parts = inputs.filter((input) => input.shape[axis] > 0);
  if (parts.length === 0 || outer * inner === 0) return runtime.empty();
  if (parts.length === 1) return gather(runtime, 'concat', parts[0], outShape, stridesOf(outShape), 0);

  let joined = storageOf(parts[0]);
  let joinedLength = parts[0].shape[axis];
  for (let k = 1; k < parts.length; k++) {
    const secondLength = parts[k].shape[axis];
    const next = runtime.run({
      name: 'concat',
      source: KERNEL_SOURCES.concatPairSource,
      outputSize: outer * (joinedLength + secondLength) * inner,
      constants: { firstLength: joinedLength, secondLength, length: joinedLength + secondLength, inner },
      inputs: [joined, storageOf(parts[k])],
    });
    // The first step reads the caller's tensor, which stays; later steps free the previous partial result.
    if (k > 1) runtime.release(joined);
    joined = next;
    joinedLength += secondLength;
  }
  return joined;
}

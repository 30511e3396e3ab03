import { broadcastStrides, sizeOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';
import { collapseWalk, walkConstants } from './strided.js';

/** Keeps NaN as PyTorch's relu does: NaN < 0 is false. */
function reluSource(this: KernelThis<KernelConstants>, x: number[]): number {
  const value = x[this.thread.x];
  return value < 0 ? 0 : value;
}

/** x / (1 + exp(-x)) equals x * sigmoid(x); where exp(-x) overflows to Infinity the result is -0, not NaN. */
function siluSource(this: KernelThis<KernelConstants>, x: number[]): number {
  const value = x[this.thread.x];
  return value / (1 + Math.exp(-value));
}

function sigmoidSource(this: KernelThis<KernelConstants>, x: number[]): number {
  return 1 / (1 + Math.exp(-x[this.thread.x]));
}

/**
 * PyTorch's softplus: x above 20, else log(1 + e) with e = exp(x). GLSL has
 * no log1p, and log(1 + e) loses e's digits when e is small, so it is
 * computed as log(u) * e / (u - 1) with u = 1 + e, where the factor
 * e / (u - 1) undoes the rounding of u, and as e itself once u rounds to 1.
 */
function softplusSource(this: KernelThis<KernelConstants>, x: number[]): number {
  const value = x[this.thread.x];
  if (value > 20) {
    return value;
  }
  const e = Math.exp(value);
  const u = 1 + e;
  if (u === 1) {
    return e;
  }
  return Math.log(u) * (e / (u - 1));
}

/** The unary kernels by name. */
const UNARY_SOURCES = {
  relu: KERNEL_SOURCES.reluSource,
  silu: KERNEL_SOURCES.siluSource,
  sigmoid: KERNEL_SOURCES.sigmoidSource,
  softplus: KERNEL_SOURCES.softplusSource,
} as const;

export type UnaryName = keyof typeof UNARY_SOURCES;

/** Applies a unary kernel to every value; the shape does not matter. */
export function unary(runtime: WebGlRuntime, name: UnaryName, x: KernelTensor): TextureStorage {
  const input = storageOf(x);
  return runtime.run({ name, source: UNARY_SOURCES[name], outputSize: input.size, constants: {}, inputs: [input] });
}

interface BinaryConstants extends KernelConstants {
  /** 1 for a * b, 0 for a + b. */
  readonly multiply: number;
  readonly d0: number; readonly d1: number; readonly d2: number; readonly d3: number; readonly d4: number; readonly d5: number;
  readonly a0: number; readonly a1: number; readonly a2: number; readonly a3: number; readonly a4: number; readonly a5: number;
  readonly b0: number; readonly b1: number; readonly b2: number; readonly b3: number; readonly b4: number; readonly b5: number;
}

/**
 * Computes a + b or a * b at output index i. The index is decoded into
 * six coordinates, innermost first, and each operand is read at the sum
 * of coordinate times its stride (0 on broadcast axes).
 */
function binarySource(this: KernelThis<BinaryConstants>, a: number[], b: number[]): number {
  let rest = this.thread.x;

  let quotient = floorDivide(rest, this.constants.d5);
  let coordinate = rest - quotient * this.constants.d5;
  let offsetA = coordinate * this.constants.a5;
  let offsetB = coordinate * this.constants.b5;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d4);
  coordinate = rest - quotient * this.constants.d4;
  offsetA += coordinate * this.constants.a4;
  offsetB += coordinate * this.constants.b4;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d3);
  coordinate = rest - quotient * this.constants.d3;
  offsetA += coordinate * this.constants.a3;
  offsetB += coordinate * this.constants.b3;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d2);
  coordinate = rest - quotient * this.constants.d2;
  offsetA += coordinate * this.constants.a2;
  offsetB += coordinate * this.constants.b2;
  rest = quotient;

  quotient = floorDivide(rest, this.constants.d1);
  coordinate = rest - quotient * this.constants.d1;
  offsetA += coordinate * this.constants.a1;
  offsetB += coordinate * this.constants.b1;

  offsetA += quotient * this.constants.a0;
  offsetB += quotient * this.constants.b0;

  const left = a[offsetA];
  const right = b[offsetB];
  if (this.constants.multiply > 0) {
    return left * right;
  }
  return left + right;
}

/** Computes a + b ('add') or a * b ('mul') with NumPy broadcasting to `outShape`. */
export function binary(runtime: WebGlRuntime, name: 'add' | 'mul', a: KernelTensor, b: KernelTensor, outShape: Shape): TextureStorage {
  const walk = collapseWalk(name, outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
  return runtime.run({
    name: 'binary',
    source: KERNEL_SOURCES.binarySource,
    outputSize: sizeOf(outShape),
    constants: { multiply: name === 'mul' ? 1 : 0, ...walkConstants(walk, ['a', 'b']) },
    inputs: [storageOf(a), storageOf(b)],
  });
}

import { broadcastStrides, sizeOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import { valuesOf } from './data.js';
import { StridedCursor } from './strided-cursor.js';

/**
 * Element-wise kernels. A binary kernel computes out[i] = f(a[i'], b[i''])
 * for every index i of `outShape`, where i' and i'' are i with NumPy
 * broadcasting applied: an operand axis of length 1, or a leading axis the
 * operand lacks, always reads index 0.
 */
function broadcastBinary(
  a: KernelTensor,
  b: KernelTensor,
  outShape: Shape,
  combine: (left: number, right: number) => number,
): Float32Array {
  const [left, right] = [valuesOf(a), valuesOf(b)];
  const out = new Float32Array(sizeOf(outShape));
  const cursor = new StridedCursor(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);

  for (let i = 0; i < out.length; i++) {
    out[i] = combine(left[cursor.offsets[0]], right[cursor.offsets[1]]);
    cursor.advance();
  }
  return out;
}

function mapValues(x: KernelTensor, f: (value: number) => number): Float32Array {
  const values = valuesOf(x);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f(values[i]);
  return out;
}

/** Computes 1 / (1 + exp(-x)). When exp(-x) overflows to Infinity the result is 0, not NaN. */
function logistic(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * PyTorch's softplus with beta 1 and threshold 20: x itself above 20, else
 * log1p(exp(x)). The threshold keeps exp from overflowing for large x, and
 * log1p keeps precision where exp(x) is tiny.
 */
export function softplusOf(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

/** Computes a + b with broadcasting. */
export function add(a: KernelTensor, b: KernelTensor, outShape: Shape): Float32Array {
  return broadcastBinary(a, b, outShape, (left, right) => left + right);
}

/** Computes a * b with broadcasting. */
export function mul(a: KernelTensor, b: KernelTensor, outShape: Shape): Float32Array {
  return broadcastBinary(a, b, outShape, (left, right) => left * right);
}

/** Computes max(x, 0), keeping NaN as PyTorch does. */
export function relu(x: KernelTensor): Float32Array {
  return mapValues(x, (value) => Math.max(value, 0));
}

/** Computes SiLU, x * sigmoid(x). */
export function silu(x: KernelTensor): Float32Array {
  return mapValues(x, (value) => value * logistic(value));
}

/** Computes the logistic sigmoid. */
export function sigmoid(x: KernelTensor): Float32Array {
  return mapValues(x, logistic);
}

/** Computes PyTorch's softplus: x above 20, else log(1 + exp(x)). */
export function softplus(x: KernelTensor): Float32Array {
  return mapValues(x, softplusOf);
}

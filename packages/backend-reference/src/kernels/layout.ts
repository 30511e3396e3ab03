import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import { valuesOf } from './data.js';
import { StridedCursor } from './strided-cursor.js';

/** Copies the box of extent `size` that starts at `begin`: y[i] = x[begin + i]. */
export function slice(x: KernelTensor, begin: readonly number[], size: readonly number[]): Float32Array {
  const values = valuesOf(x);
  const strides = stridesOf(x.shape);
  const start = begin.reduce((offset, first, axis) => offset + first * strides[axis], 0);
  const out = new Float32Array(sizeOf(size));
  const cursor = new StridedCursor(size, [strides], [start]);

  for (let i = 0; i < out.length; i++) {
    out[i] = values[cursor.offsets[0]];
    cursor.advance();
  }
  return out;
}

/**
 * Joins the inputs along `axis`. Seen as [outer, length, inner] around that
 * axis, the output's rows are each input's rows one after another, so every
 * input contributes one contiguous block of length * inner per outer index.
 */
export function concat(inputs: readonly KernelTensor[], axis: number, outShape: Shape): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));

  let position = 0;
  for (let o = 0; o < outer; o++) {
    for (const input of inputs) {
      const block = input.shape[axis] * inner;
      out.set(valuesOf(input).subarray(o * block, (o + 1) * block), position);
      position += block;
    }
  }
  return out;
}

/** Reverses `axis`. Seen as [outer, length, inner] around it: y[o, i, j] = x[o, length - 1 - i, j]. */
export function flip(x: KernelTensor, axis: number): Float32Array {
  const values = valuesOf(x);
  const out = new Float32Array(values.length);
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));

  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < length; i++) {
      const from = (o * length + i) * inner;
      const to = (o * length + (length - 1 - i)) * inner;
      out.set(values.subarray(from, from + inner), to);
    }
  }
  return out;
}

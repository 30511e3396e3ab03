import { InvalidArgumentError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkInteger, checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

function checkAxis(op: string, axis: number, rank: number): number {
  checkInteger(op, 'axis', axis, -rank, rank - 1);
  return axis < 0 ? axis + rank : axis;
}

/**
 * Copies the box of `x` that starts at `begin` and has extent `size`; a
 * size of -1 takes the rest of that axis.
 */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const op = 'slice';
  checkTensor(op, 'x', x);
  if (!Array.isArray(begin) || begin.length !== x.rank) {
    throw new InvalidArgumentError(op, 'begin', begin, `expected ${x.rank} integers, one per axis of x`);
  }
  if (!Array.isArray(size) || size.length !== x.rank) {
    throw new InvalidArgumentError(op, 'size', size, `expected ${x.rank} integers, one per axis of x`);
  }

  const resolved = size.map((extent, axis) => {
    checkInteger(op, `begin[${axis}]`, begin[axis], 0, x.shape[axis]);
    const length = extent === -1 ? x.shape[axis] - begin[axis] : extent;
    checkInteger(op, `size[${axis}]`, length, 0, x.shape[axis] - begin[axis]);
    return length;
  });
  const backend = x.backend;

  return wrapHandle(backend, kernelOf(backend, 'slice')(x, begin, resolved), resolved);
}

/** Splits `x` along `axis` into consecutive parts of the given sizes. */
export function split(x: Tensor, sizes: readonly number[], axis: number): Tensor[] {
  const op = 'split';
  checkTensor(op, 'x', x);
  const dim = checkAxis(op, axis, x.rank);
  const total = sizes.reduce((sum, part) => sum + part, 0);
  if (total !== x.shape[dim]) {
    throw new InvalidArgumentError(op, 'sizes', sizes, `sum to ${total} but axis ${dim} of x has ${x.shape[dim]}`);
  }

  const parts: Tensor[] = [];
  let offset = 0;
  for (const part of sizes) {
    const begin = x.shape.map((_, i) => (i === dim ? offset : 0));
    const extent = x.shape.map((length, i) => (i === dim ? part : length));
    parts.push(slice(x, begin, extent));
    offset += part;
  }
  return parts;
}

/** Joins tensors that agree on every axis but `axis`. */
export function concat(inputs: readonly Tensor[], axis: number): Tensor {
  const op = 'concat';
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new InvalidArgumentError(op, 'inputs', inputs, 'expected a non-empty array of tensors');
  }
  inputs.forEach((t, i) => checkTensor(op, `inputs[${i}]`, t));
  const first = inputs[0];
  const dim = checkAxis(op, axis, first.rank);

  inputs.forEach((t: Tensor, i: number) => {
    const agrees = t.rank === first.rank && t.shape.every((length: number, a: number) => a === dim || length === first.shape[a]);
    if (!agrees) {
      throw new InvalidArgumentError(op, `inputs[${i}]`, t, `does not match ${formatShape(first.shape)} outside axis ${dim}`);
    }
  });
  const backend = commonBackend(op, Object.fromEntries(inputs.map((t, i) => [`inputs[${i}]`, t])));

  const outShape = [...first.shape];
  outShape[dim] = inputs.reduce((sum, t) => sum + t.shape[dim], 0);
  return wrapHandle(backend, kernelOf(backend, 'concat')(inputs, dim, outShape), outShape);
}

/** Reverses the order of elements along one axis. */
export function flip(x: Tensor, axis: number): Tensor {
  const op = 'flip';
  checkTensor(op, 'x', x);
  const dim = checkAxis(op, axis, x.rank);
  const backend = x.backend;

  return wrapHandle(backend, kernelOf(backend, 'flip')(x, dim), x.shape);
}

/** Returns a view of `x` with another shape (one axis may be -1), sharing storage. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensor('reshape', 'x', x);
  return x.reshape(shape);
}

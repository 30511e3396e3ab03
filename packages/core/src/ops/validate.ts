import type { Backend, DataHandle, KernelName, Kernels } from '../backend.js';
import { DisposedTensorError, InvalidArgumentError, UnsupportedKernelError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import { Storage, Tensor } from '../tensor.js';

/**
 * Checks that `value` is a live tensor of the given rank and returns it.
 * `rank` may be a list of accepted ranks.
 */
export function checkTensor(op: string, argument: string, value: unknown, rank?: number | readonly number[]): Tensor {
  if (!(value instanceof Tensor)) {
    throw new InvalidArgumentError(op, argument, value, 'expected a Tensor');
  }
  if (value.isDisposed) throw new DisposedTensorError(op, argument);
  if (rank !== undefined) {
    const ranks = typeof rank === 'number' ? [rank] : rank;
    if (!ranks.includes(value.rank)) {
      throw new InvalidArgumentError(op, argument, value, `expected rank ${ranks.join(' or ')}, got rank ${value.rank}`);
    }
  }
  return value;
}

/** Checks that a tensor has exactly `shape`. */
export function checkShape(op: string, argument: string, tensor: Tensor, shape: Shape): void {
  const matches = tensor.rank === shape.length && tensor.shape.every((dim, i) => dim === shape[i]);
  if (!matches) {
    throw new InvalidArgumentError(op, argument, tensor, `expected shape ${formatShape(shape)}`);
  }
}

/** Checks that `value` is an integer in [min, max]. */
export function checkInteger(op: string, argument: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InvalidArgumentError(op, argument, value, `expected an integer ${range}`);
  }
  return value;
}

/** Checks that `value` is a finite number, optionally strictly positive. */
export function checkFinite(op: string, argument: string, value: unknown, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new InvalidArgumentError(op, argument, value, positive ? 'expected a finite number > 0' : 'expected a finite number');
  }
  return value;
}

/** Checks that every tensor lives on the same backend and returns it. */
export function commonBackend(op: string, tensors: Record<string, Tensor | null | undefined>): Backend {
  let backend: Backend | null = null;
  let first = '';
  for (const [argument, tensor] of Object.entries(tensors)) {
    if (!tensor) continue;
    if (backend === null) {
      backend = tensor.backend;
      first = argument;
    } else if (tensor.backend !== backend) {
      const where = tensor.backend.name === backend.name
        ? `lives on another instance of backend ${backend.name} than '${first}'`
        : `lives on backend ${tensor.backend.name} but '${first}' lives on ${backend.name}`;
      throw new InvalidArgumentError(op, argument, tensor, `${where}; move tensors with tensor(await t.data(), t.shape, backend)`);
    }
  }
  if (backend === null) throw new InvalidArgumentError(op, 'inputs', tensors, 'no input tensor');
  return backend;
}

/** Rejects option keys an op does not know, so a typo or an unsupported feature (dilation) is not silently ignored. */
export function checkOptionKeys(op: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(op, 'options', options, 'expected an object');
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new InvalidArgumentError(op, `options.${key}`, (options as Record<string, unknown>)[key], `unknown option (supported: ${known.join(', ')})`);
    }
  }
}

/** Looks up a kernel on a backend, raising UnsupportedKernelError when absent. */
export function kernelOf<K extends KernelName>(backend: Backend, kernel: K): Kernels[K] {
  const implementation = backend.kernels[kernel];
  if (!implementation) throw new UnsupportedKernelError(kernel, backend.name);
  return implementation.bind(backend.kernels) as Kernels[K];
}

/** Wraps a handle a kernel returned as a tensor. */
export function wrapHandle(backend: Backend, handle: DataHandle, shape: Shape): Tensor {
  return new Tensor(new Storage(backend, handle), shape);
}

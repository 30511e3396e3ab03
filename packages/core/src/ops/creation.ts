import type { Backend } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';
import { getBackend } from '../registry.js';
import { formatShape, sizeOf, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { wrapHandle } from './validate.js';

/**
 * Creates a tensor from host values on `backend`, or on the active backend.
 * The values are copied; later changes to the array do not reach the tensor.
 */
export function tensor(values: ArrayLike<number>, shape: Shape, backend: Backend = getBackend()): Tensor {
  if (!Array.isArray(shape) || shape.some((dim) => !Number.isInteger(dim) || dim < 0)) {
    throw new InvalidArgumentError('tensor', 'shape', shape, 'expected an array of non-negative integers');
  }
  if (values == null || typeof values.length !== 'number') {
    throw new InvalidArgumentError('tensor', 'values', values, 'expected an array or typed array of numbers');
  }
  if (values.length !== sizeOf(shape)) {
    throw new InvalidArgumentError(
      'tensor',
      'values',
      values,
      `has ${values.length} elements but shape ${formatShape(shape)} needs ${sizeOf(shape)}`,
    );
  }

  const data = values instanceof Float32Array ? values.slice() : Float32Array.from(values);
  return wrapHandle(backend, backend.upload(data, shape), shape);
}

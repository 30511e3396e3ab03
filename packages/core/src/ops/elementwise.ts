import type { BinaryKernelName, UnaryKernelName } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';
import { broadcastShapes, formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

function binary(kernel: BinaryKernelName, a: Tensor, b: Tensor): Tensor {
  checkTensor(kernel, 'a', a);
  checkTensor(kernel, 'b', b);
  const backend = commonBackend(kernel, { a, b });

  const outShape = broadcastShapes(a.shape, b.shape);
  if (outShape === null) {
    throw new InvalidArgumentError(kernel, 'b', b, `does not broadcast against a of shape ${formatShape(a.shape)}`);
  }
  return wrapHandle(backend, kernelOf(backend, kernel)(a, b, outShape), outShape);
}

function unary(kernel: UnaryKernelName, x: Tensor): Tensor {
  checkTensor(kernel, 'x', x);
  const backend = x.backend;
  return wrapHandle(backend, kernelOf(backend, kernel)(x), x.shape);
}

/** Element-wise sum with NumPy broadcasting. */
export const add = (a: Tensor, b: Tensor): Tensor => binary('add', a, b);
/** Element-wise product with NumPy broadcasting. */
export const mul = (a: Tensor, b: Tensor): Tensor => binary('mul', a, b);
export const relu = (x: Tensor): Tensor => unary('relu', x);
/** x * sigmoid(x), also called swish. */
export const silu = (x: Tensor): Tensor => unary('silu', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** log(1 + exp(x)), returning x itself above 20 as PyTorch does. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);

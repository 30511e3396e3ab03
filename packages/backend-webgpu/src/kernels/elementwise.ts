import { broadcastStrides, shapesEqual, sizeOf, type BinaryKernelName, type KernelTensor, type Shape, type UnaryKernelName } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { broadcastBinaryProgram, sameShapeBinaryProgram } from '../shaders/binary.js';
import { unaryProgram } from '../shaders/unary.js';
import { collapseAxes, writeAxes } from './axes.js';
import { flatGrid } from './grid.js';

/** relu, silu, sigmoid or softplus of every element. */
export function unary(runtime: GpuRuntime, kind: UnaryKernelName, x: KernelTensor): GpuStorage {
  const input = runtime.storageOf(x, kind, 'x');
  const count = sizeOf(x.shape);
  const output = runtime.allocate(count, kind);
  if (count === 0) return output;

  const grid = flatGrid(runtime, count);
  runtime.dispatch(kind, unaryProgram(kind), [input, output], new Params().u32(count, grid.groupsX), grid.workgroups);
  return output;
}

/**
 * a + b or a * b with NumPy broadcasting to `outShape`. Operands of the
 * output's shape take the index-free shader; the others read through
 * broadcast strides, with contiguous axes merged first.
 */
export function binary(runtime: GpuRuntime, kind: BinaryKernelName, a: KernelTensor, b: KernelTensor, outShape: Shape): GpuStorage {
  const left = runtime.storageOf(a, kind, 'a');
  const right = runtime.storageOf(b, kind, 'b');
  const count = sizeOf(outShape);
  const output = runtime.allocate(count, kind);
  if (count === 0) return output;

  const grid = flatGrid(runtime, count);
  if (shapesEqual(a.shape, outShape) && shapesEqual(b.shape, outShape)) {
    runtime.dispatch(kind, sameShapeBinaryProgram(kind), [left, right, output], new Params().u32(count, grid.groupsX), grid.workgroups);
    return output;
  }

  const box = collapseAxes(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)], kind);
  const params = new Params().u32(count, grid.groupsX, box.shape.length);
  writeAxes(params, box.shape, 'u32');
  writeAxes(params, box.strides[0], 'u32', 0);
  writeAxes(params, box.strides[1], 'u32', 0);
  runtime.dispatch(kind, broadcastBinaryProgram(kind), [left, right, output], params, grid.workgroups);
  return output;
}

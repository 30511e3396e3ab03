import { broadcastStrides, sizeOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';
import { collapseAxes } from './axes.js';

/** Operation codes of the kernel module's `binary` and `unary`. */
const BINARY_OPS = { add: 0, mul: 1 } as const;
const UNARY_OPS = { relu: 0, silu: 1, sigmoid: 2, softplus: 3 } as const;

/**
 * a (op) b with NumPy broadcasting to `outShape`. Axes are collapsed first
 * (see axes.ts), so the model's patterns (equal shapes, a [1, C, 1, 1] or
 * [B, C, 1, 1] operand, a scalar) become one or two axes whose rows the
 * kernel runs with vector loads or a splatted operand.
 */
export function binary(runtime: CpuRuntime, op: keyof typeof BINARY_OPS, a: KernelTensor, b: KernelTensor, outShape: Shape): CpuStorage {
  const left = runtime.storageOf(a, op);
  const right = runtime.storageOf(b, op);
  return runtime.output(sizeOf(outShape), (out) => {
    if (out.length === 0) return;

    const { sizes, strides } = collapseAxes(outShape, [broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape)]);
    const rank = sizes.length;
    const layout = runtime.i32();
    const at = runtime.layout / 4;
    for (let axis = 0; axis < rank; axis++) {
      layout[at + axis] = sizes[axis];
      layout[at + rank + axis] = strides[0][axis];
      layout[at + 2 * rank + axis] = strides[1][axis];
    }
    runtime.exports.binary(BINARY_OPS[op], left.offset, right.offset, out.offset, rank, runtime.layout);
  });
}

/** relu, silu, sigmoid or softplus of every element. */
export function unary(runtime: CpuRuntime, op: keyof typeof UNARY_OPS, x: KernelTensor): CpuStorage {
  const input = runtime.storageOf(x, op);
  return runtime.output(input.length, (out) => {
    if (out.length > 0) runtime.exports.unary(UNARY_OPS[op], input.offset, out.offset, input.length);
  });
}

import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import type { CpuRuntime, CpuStorage } from '../runtime.js';
import { collapseAxes } from './axes.js';

/**
 * Copies a box of `sizes` from `source` (first element at `sourceOffset`,
 * element strides `sourceStrides`) to `target` with strides `targetStrides`,
 * through the kernel module's copy_box after collapsing axes.
 */
function copyBox(
  runtime: CpuRuntime,
  source: number,
  target: number,
  sizes: Shape,
  sourceStrides: readonly number[],
  targetStrides: readonly number[],
): void {
  if (sizeOf(sizes) === 0) return;
  const collapsed = collapseAxes(sizes, [sourceStrides, targetStrides]);
  const rank = collapsed.sizes.length;
  const layout = runtime.i32();
  const at = runtime.layout / 4;
  for (let axis = 0; axis < rank; axis++) {
    layout[at + axis] = collapsed.sizes[axis];
    layout[at + rank + axis] = collapsed.strides[0][axis];
    layout[at + 2 * rank + axis] = collapsed.strides[1][axis];
  }
  const contiguous = collapsed.strides[0][rank - 1] === 1 && collapsed.strides[1][rank - 1] === 1;
  runtime.exports.copy_box(source, target, rank, runtime.layout, contiguous ? 1 : 0);
}

/** Copies the box of extent `size` that starts at `begin`. */
export function slice(runtime: CpuRuntime, x: KernelTensor, begin: readonly number[], size: readonly number[]): CpuStorage {
  const input = runtime.storageOf(x, 'slice');
  const strides = stridesOf(x.shape);
  const start = begin.reduce((offset, first, axis) => offset + first * strides[axis], 0);
  return runtime.output(sizeOf(size), (out) => {
    copyBox(runtime, input.offset + start * 4, out.offset, size, strides, stridesOf(size));
  });
}

/** Joins the inputs along `axis`: seen as [outer, length, inner], each input fills its own rows of every outer block. */
export function concat(runtime: CpuRuntime, inputs: readonly KernelTensor[], axis: number, outShape: Shape): CpuStorage {
  const sources = inputs.map((input) => runtime.storageOf(input, 'concat'));
  const outer = sizeOf(outShape.slice(0, axis));
  const inner = sizeOf(outShape.slice(axis + 1));
  const outBlock = outShape[axis] * inner;

  return runtime.output(sizeOf(outShape), (out) => {
    let position = 0;
    inputs.forEach((input, i) => {
      const block = input.shape[axis] * inner;
      copyBox(runtime, sources[i].offset, out.offset + position * 4, [outer, block], [block, 1], [outBlock, 1]);
      position += block;
    });
  });
}

/** Reverses `axis`: y[o, i, j] = x[o, length - 1 - i, j] around it. */
export function flip(runtime: CpuRuntime, x: KernelTensor, axis: number): CpuStorage {
  const input = runtime.storageOf(x, 'flip');
  const outer = sizeOf(x.shape.slice(0, axis));
  const length = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));

  return runtime.output(input.length, (out) => {
    if (out.length === 0) return;
    if (inner === 1) {
      runtime.exports.reverse_rows(input.offset, out.offset, outer, length);
    } else {
      // Walk the source backwards along the axis: start at its last row and step by -inner.
      const last = input.offset + (length - 1) * inner * 4;
      copyBox(runtime, last, out.offset, [outer, length, inner], [length * inner, -inner, 1], [length * inner, inner, 1]);
    }
  });
}

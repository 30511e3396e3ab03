import { sizeOf, stridesOf, type KernelTensor, type Shape } from '@mobilemamba/core';
import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { stridedCopyProgram } from '../shaders/strided-copy.js';
import { collapseAxes, writeAxes } from './axes.js';
import { flatGrid } from './grid.js';

/** One strided copy: a box, where it starts in the input and output, and both sets of strides. */
interface CopyPlan {
  readonly box: readonly number[];
  readonly inOffset: number;
  readonly inStrides: readonly number[];
  readonly outOffset: number;
  readonly outStrides: readonly number[];
}

/** Records one strided-copy dispatch from `input` into `output`; an empty box records nothing. */
function copyBox(runtime: GpuRuntime, op: string, input: GpuStorage, output: GpuStorage, plan: CopyPlan): void {
  const count = sizeOf(plan.box);
  if (count === 0) return;

  const merged = collapseAxes(plan.box, [plan.inStrides, plan.outStrides], op);
  const grid = flatGrid(runtime, count);
  const params = new Params().u32(count, grid.groupsX, merged.shape.length, plan.inOffset, plan.outOffset);
  writeAxes(params, merged.shape, 'u32');
  writeAxes(params, merged.strides[0], 'i32', 0);
  writeAxes(params, merged.strides[1], 'u32', 0);
  runtime.dispatch(op, stridedCopyProgram(), [input, output], params, grid.workgroups);
}

/** Copies the box of extent `size` starting at `begin`: y[i] = x[begin + i]. */
export function slice(runtime: GpuRuntime, x: KernelTensor, begin: readonly number[], size: readonly number[]): GpuStorage {
  const input = runtime.storageOf(x, 'slice', 'x');
  const output = runtime.allocate(sizeOf(size), 'slice');
  const strides = stridesOf(x.shape);
  const inOffset = begin.reduce((offset, first, axis) => offset + first * strides[axis], 0);

  copyBox(runtime, 'slice', input, output, { box: size, inOffset, inStrides: strides, outOffset: 0, outStrides: stridesOf(size) });
  return output;
}

/** Joins the inputs along `axis`: one copy per input into its part of the output. */
export function concat(runtime: GpuRuntime, inputs: readonly KernelTensor[], axis: number, outShape: Shape): GpuStorage {
  const sources = inputs.map((input, index) => runtime.storageOf(input, 'concat', `inputs[${index}]`));
  const output = runtime.allocate(sizeOf(outShape), 'concat');
  const outStrides = stridesOf(outShape);

  let position = 0;
  inputs.forEach((input, index) => {
    copyBox(runtime, 'concat', sources[index], output, {
      box: input.shape,
      inOffset: 0,
      inStrides: stridesOf(input.shape),
      outOffset: position * outStrides[axis],
      outStrides,
    });
    position += input.shape[axis];
  });
  return output;
}

/** Reverses `axis` by reading it backwards: start at its last index, with its stride negated. */
export function flip(runtime: GpuRuntime, x: KernelTensor, axis: number): GpuStorage {
  const input = runtime.storageOf(x, 'flip', 'x');
  const output = runtime.allocate(sizeOf(x.shape), 'flip');
  const strides = stridesOf(x.shape);
  const inStrides = strides.map((stride, a) => (a === axis ? -stride : stride));
  const inOffset = Math.max(0, x.shape[axis] - 1) * strides[axis];

  copyBox(runtime, 'flip', input, output, { box: x.shape, inOffset, inStrides, outOffset: 0, outStrides: strides });
  return output;
}

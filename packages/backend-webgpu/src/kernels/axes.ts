import { MobileMambaError } from '@mobilemamba/core';
import { PREFIX } from '../errors.js';
import { MAX_RANK } from '../shaders/binary.js';
import type { Params } from '../gpu/uniforms.js';

/** A box of coordinates and, per operand, the element stride of each of its axes. */
export interface StridedBox {
  readonly shape: number[];
  readonly strides: number[][];
}

/**
 * Drops axes of length 1 and merges each axis into the next inner one
 * wherever every operand steps over it contiguously
 * (stride[a] = stride[a + 1] * shape[a + 1]). The result addresses the same
 * elements with fewer axes, so most broadcasts and copies end up with rank
 * 1 to 3, within the shaders' MAX_RANK.
 */
export function collapseAxes(shape: readonly number[], strides: readonly (readonly number[])[], op: string): StridedBox {
  const merged: StridedBox = { shape: [], strides: strides.map(() => []) };
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const extent = shape[axis];
    if (extent === 1) continue;

    const inner = merged.shape.length - 1;
    const contiguous = inner >= 0 && strides.every((operand, o) => operand[axis] === merged.strides[o][inner] * merged.shape[inner]);
    if (contiguous) {
      merged.shape[inner] *= extent;
      continue;
    }
    merged.shape.push(extent);
    strides.forEach((operand, o) => merged.strides[o].push(operand[axis]));
  }

  // The loop collected axes innermost first.
  merged.shape.reverse();
  merged.strides.forEach((operand) => operand.reverse());
  if (merged.shape.length > MAX_RANK) {
    throw new MobileMambaError(
      `${PREFIX}: ${op}: the operands need ${merged.shape.length} axes after merging contiguous ones, but the kernel supports at most ${MAX_RANK}`,
    );
  }
  return merged;
}

/** Writes an axis array as the shaders' array<vec4<...>, MAX_RANK / 4>, padded with `fill`. */
export function writeAxes(params: Params, values: readonly number[], kind: 'u32' | 'i32', fill = 1): Params {
  const padded = [...values, ...Array<number>(MAX_RANK - values.length).fill(fill)];
  params.align4();
  return kind === 'u32' ? params.u32(...padded) : params.i32(...padded);
}

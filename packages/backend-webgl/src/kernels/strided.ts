import { MobileMambaError, type Shape } from '@mobilemamba/core';

/** Axes a strided kernel decodes; shapes of higher rank are collapsed down to it first. */
export const STRIDED_RANK = 6;

/** A walk over an output shape that reads each operand at its own strides (0 on a broadcast axis, negative on a flipped one). */
export interface StridedWalk {
  /** Output extent per axis, STRIDED_RANK entries, outermost first. */
  readonly dims: readonly number[];
  /** Element strides of each operand, STRIDED_RANK entries each. */
  readonly strides: readonly (readonly number[])[];
}

/**
 * Simplifies a walk over `shape` with one stride list per operand: drops
 * axes of extent 1, merges neighbouring axes that every operand reads
 * contiguously (stride[a] = stride[a + 1] * dim[a + 1]), and pads at the
 * front to STRIDED_RANK axes of extent 1. Throws when more axes remain.
 */
export function collapseWalk(op: string, shape: Shape, strides: readonly (readonly number[])[]): StridedWalk {
  const dims: number[] = [];
  const keptStrides: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 1) continue;

    const last = dims.length - 1;
    const contiguous = last >= 0 && strides.every((own, operand) => keptStrides[operand][last] === own[axis] * shape[axis]);
    if (contiguous) {
      dims[last] *= shape[axis];
      strides.forEach((own, operand) => (keptStrides[operand][last] = own[axis]));
    } else {
      dims.push(shape[axis]);
      strides.forEach((own, operand) => keptStrides[operand].push(own[axis]));
    }
  }

  if (dims.length > STRIDED_RANK) {
    throw new MobileMambaError(
      `webgl backend: ${op} on shape [${shape.join(', ')}] needs ${dims.length} axes after merging contiguous ones, but its kernel decodes at most ${STRIDED_RANK}`,
    );
  }
  const padding = STRIDED_RANK - dims.length;
  return {
    dims: [...new Array<number>(padding).fill(1), ...dims],
    strides: keptStrides.map((own) => [...new Array<number>(padding).fill(0), ...own]),
  };
}

/** Names the walk's constants d0..d5 (extents) and `<prefix>0..5` (strides), as the strided kernel sources read them. */
export function walkConstants(walk: StridedWalk, prefixes: readonly string[]): Record<string, number> {
  const constants: Record<string, number> = {};
  walk.dims.forEach((dim, axis) => (constants[`d${axis}`] = dim));
  prefixes.forEach((prefix, operand) => walk.strides[operand].forEach((stride, axis) => (constants[`${prefix}${axis}`] = stride)));
  return constants;
}

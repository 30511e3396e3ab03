import type { Shape } from '@mobilemamba/core';

/** A loop nest over `sizes` with one stride list per operand. */
export interface CollapsedAxes {
  readonly sizes: number[];
  readonly strides: number[][];
}

/**
 * Simplifies a loop nest over `shape` with the given element strides per
 * operand: axes of length 1 are dropped, and an axis merges into the next
 * one wherever every operand steps over it as over one longer axis
 * (stride[i] = stride[i + 1] * size[i + 1]). A nest with no axes left
 * becomes one axis of length 1.
 */
export function collapseAxes(shape: Shape, strides: readonly (readonly number[])[]): CollapsedAxes {
  const sizes: number[] = [];
  const kept: number[][] = strides.map(() => []);
  for (let axis = 0; axis < shape.length; axis++) {
    if (shape[axis] === 1) continue;
    sizes.push(shape[axis]);
    strides.forEach((operand, i) => kept[i].push(operand[axis]));
  }
  if (sizes.length === 0) return { sizes: [1], strides: strides.map(() => [0]) };

  const merged: CollapsedAxes = { sizes: [sizes[sizes.length - 1]], strides: kept.map((operand) => [operand[operand.length - 1]]) };
  for (let axis = sizes.length - 2; axis >= 0; axis--) {
    const innerSize = merged.sizes[0];
    const fits = kept.every((operand, i) => operand[axis] === merged.strides[i][0] * innerSize);
    if (fits) {
      merged.sizes[0] *= sizes[axis];
    } else {
      merged.sizes.unshift(sizes[axis]);
      kept.forEach((operand, i) => merged.strides[i].unshift(operand[axis]));
    }
  }
  return merged;
}

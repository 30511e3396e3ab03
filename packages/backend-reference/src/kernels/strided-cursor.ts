import type { Shape } from '@mobilemamba/core';

/**
 * Walks the indices of `shape` in row-major order and keeps, for every
 * operand, the element offset of the current index under that operand's
 * strides. A stride of 0 repeats an operand along that axis (broadcasting).
 */
export class StridedCursor {
  /** Offset of the current index into each operand. */
  readonly offsets: number[];
  private readonly index: number[];

  constructor(
    private readonly shape: Shape,
    private readonly strides: readonly (readonly number[])[],
    startOffsets: readonly number[] = strides.map(() => 0),
  ) {
    this.offsets = [...startOffsets];
    this.index = shape.map(() => 0);
  }

  /** Moves to the next index, carrying into the outer axes like an odometer. */
  advance(): void {
    for (let axis = this.shape.length - 1; axis >= 0; axis--) {
      this.index[axis]++;
      this.shift(axis, 1);
      if (this.index[axis] < this.shape[axis]) return;

      // This axis wrapped around: rewind it and carry into the next outer axis.
      this.shift(axis, -this.shape[axis]);
      this.index[axis] = 0;
    }
  }

  private shift(axis: number, steps: number): void {
    for (let operand = 0; operand < this.offsets.length; operand++) {
      this.offsets[operand] += steps * this.strides[operand][axis];
    }
  }
}

/** Returns input values in [-1, 1] from a fixed pattern, the same on every run; `phase` varies the pattern. */
export function patternValues(length: number, phase = 0): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(0.37 * i + phase));
}

/** Returns the number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

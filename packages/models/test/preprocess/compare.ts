/** Where two byte arrays differ: how many bytes, the largest difference and its first index. */
export interface ByteDifference {
  count: number;
  max: number;
  firstIndex: number;
}

export function compareBytes(actual: Uint8Array, expected: Uint8Array): ByteDifference {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} differs from the expected ${expected.length}`);
  }
  let count = 0;
  let max = 0;
  let firstIndex = -1;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    if (difference === 0) continue;
    if (firstIndex === -1) firstIndex = i;
    count++;
    max = Math.max(max, difference);
  }
  return { count, max, firstIndex };
}

/** Largest absolute difference between two float arrays of equal length. */
export function maxAbsDifference(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} differs from the expected ${expected.length}`);
  }
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    max = Math.max(max, Math.abs(actual[i] - expected[i]));
  }
  return max;
}

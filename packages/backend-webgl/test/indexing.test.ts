import { add, flip, tensor, type Backend } from '@mobilemamba/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebGlBackend } from '../src/index.js';
import { MAX_TENSOR_SIZE } from '../src/runtime.js';

/** Starts a backend, or returns the reason it cannot start here. */
async function startBackend(): Promise<Backend | string> {
  const backend = createWebGlBackend();
  try {
    await backend.init();
    return backend;
  } catch (error) {
    return (error as Error).message;
  }
}

const started = await startBackend();
const unavailable = typeof started === 'string' ? started : null;

/** Returns the index of the first value that differs from `expected(i)`, or -1. */
function firstMismatch(values: Float32Array, expected: (i: number) => number): number {
  for (let i = 0; i < values.length; i++) if (values[i] !== expected(i)) return i;
  return -1;
}

describe.skipIf(unavailable !== null)(`webgl indexing at the size limit${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const backend = started as Backend;
  let x: ReturnType<typeof tensor>;

  beforeAll(() => {
    // 0, 1, 2, ...: every value is its own flat index, and float32 represents each exactly.
    x = tensor(Float32Array.from({ length: MAX_TENSOR_SIZE }, (_, i) => i), [MAX_TENSOR_SIZE], backend);
  });

  afterAll(async () => {
    x.dispose();
    await backend.destroy?.();
  });

  it('flips the largest tensor exactly', async () => {
    const flipped = flip(x, 0);
    const values = await flipped.data();
    flipped.dispose();
    expect(firstMismatch(values, (i) => MAX_TENSOR_SIZE - 1 - i)).toBe(-1);
  });

  it('decodes large indices by odd extents', async () => {
    // 3 x 2796202 values, so every index is divided by an extent that is no power of two.
    const length = 3 * 2796202;
    const matrix = tensor(Float32Array.from({ length }, (_, i) => i), [3, 2796202], backend);
    const zeros = tensor([0, 0, 0], [3, 1], backend);
    const sum = add(matrix, zeros);
    const values = await sum.data();
    [matrix, zeros, sum].forEach((t) => t.dispose());
    expect(firstMismatch(values, (i) => i)).toBe(-1);
  });

  it('rejects a tensor above the limit', () => {
    expect(() => tensor(new Float32Array(MAX_TENSOR_SIZE + 1), [MAX_TENSOR_SIZE + 1], backend)).toThrow(
      `at most ${MAX_TENSOR_SIZE} exactly`,
    );
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@mobilemamba/core';
import { createCpuBackend, type CpuBackend } from '../src/index.js';

/**
 * Each case runs a kernel whose output fits in a 16 MiB memory but whose
 * next allocation does not. 16 MiB is the smallest maxMemoryMiB and also the
 * initial size, so the memory cannot grow. The failed call must leave every
 * figure of memory() as it found it.
 */
describe('cpu backend out of memory', () => {
  let backend: CpuBackend;
  let inputs: Tensor[];

  beforeEach(async () => {
    backend = createCpuBackend({ threads: 1, maxMemoryMiB: 16 });
    await backend.init();
    inputs = [];
  });
  afterEach(async () => {
    for (const input of inputs) input.dispose();
    await backend.destroy?.();
  });

  /** Creates a zero-filled input tensor that afterEach disposes. */
  const input = (shape: number[]): Tensor => {
    const t = tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, backend);
    inputs.push(t);
    return t;
  };

  /** Runs `call`, expects it to fail out of memory, and checks that no allocation is left behind. */
  const expectCleanFailure = (call: () => unknown): void => {
    const before = backend.memory();
    expect(call).toThrow(/out of WebAssembly memory/);
    const after = backend.memory();
    expect(after.allocations).toBe(before.allocations);
    expect(after.bytes).toBe(before.bytes);

    for (const t of inputs.splice(0)) t.dispose();
    const empty = backend.memory();
    expect(empty.allocations).toBe(0);
    expect(empty.packedWeightBytes).toBe(0);
    // Only the 512-byte axis layout block, which the runtime keeps for its lifetime, is still in use.
    expect(empty.blockBytes).toBe(576);
  };

  it('conv2d frees its output when im2col scratch fails', () => {
    // Output 2 MiB, then about 19 MB of packed input tiles for the 3x3 kernel.
    const x = input([1, 8, 256, 256]);
    const w = input([8, 8, 3, 3]);
    const attributes = { stride: [1, 1], padding: [1, 1, 1, 1], groups: 1 } as const;
    expectCleanFailure(() => backend.kernels.conv2d!(x, w, null, attributes, [1, 8, 256, 256]));
  });

  it('depthwiseConv2d frees its output when padding scratch fails', () => {
    // Input 9 MB and output 2.25 MB, then a 9 MB padded plane per thread.
    const x = input([1, 1, 1500, 1500]);
    const w = input([1, 1, 3, 3]);
    const attributes = { stride: [2, 2], padding: [1, 1, 1, 1] } as const;
    expectCleanFailure(() => backend.kernels.depthwiseConv2d!(x, w, null, attributes, [1, 1, 750, 750]));
  });

  it('batchNormFold frees the folded weight when the bias fails', () => {
    // Seven blocks of 2.6 MB: five inputs and the folded weight fit, the folded bias does not.
    const channels = 640_000;
    const weight = input([channels, 1]);
    const batchNorm = { weight: input([channels]), bias: input([channels]), runningMean: input([channels]), runningVar: input([channels]) };
    expectCleanFailure(() => backend.kernels.batchNormFold!(weight, null, batchNorm, { eps: 1e-5, placement: 'after' }));
  });

  it('runs a convolution after an out-of-memory failure', async () => {
    const big = input([1, 8, 256, 256]);
    const w = input([8, 8, 3, 3]);
    const attributes = { stride: [1, 1], padding: [1, 1, 1, 1], groups: 1 } as const;
    expect(() => backend.kernels.conv2d!(big, w, null, attributes, [1, 8, 256, 256])).toThrow(/out of WebAssembly memory/);

    // A 1x1 convolution of one channel with weight 2 doubles its input.
    const x = tensor([1, 2, 3, 4], [1, 1, 2, 2], backend);
    const unit = tensor([2], [1, 1, 1, 1], backend);
    inputs.push(x, unit);
    const handle = backend.kernels.conv2d!(x, unit, null, { stride: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, [1, 1, 2, 2]);
    expect(Array.from(await backend.download(handle, 4))).toEqual([2, 4, 6, 8]);
    backend.disposeData(handle);
  });
});

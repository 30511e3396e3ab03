import { afterEach, describe, expect, it } from 'vitest';
import { tensor } from '@mobilemamba/core';
import { createCpuBackend, type CpuBackend } from '../src/index.js';
import { decideThreads, probeThreading, type ThreadingSupport } from '../src/threads/environment.js';

const FULL: ThreadingSupport = { cores: 8, sharedMemory: true, atomicsWait: true, workers: true };

describe('decideThreads', () => {
  it('uses every core by default', () => {
    expect(decideThreads(undefined, FULL)).toEqual({ threads: 8, fallbackReason: null });
  });

  it('honours an explicit count', () => {
    expect(decideThreads(3, FULL)).toEqual({ threads: 3, fallbackReason: null });
    expect(decideThreads(1, FULL)).toEqual({ threads: 1, fallbackReason: null });
  });

  it('runs one thread on one core without a reason', () => {
    expect(decideThreads(undefined, { ...FULL, cores: 1 })).toEqual({ threads: 1, fallbackReason: null });
  });

  it('falls back without shared memory', () => {
    const decision = decideThreads(4, { ...FULL, sharedMemory: false });
    expect(decision.threads).toBe(1);
    expect(decision.fallbackReason).toMatch(/shared WebAssembly memory/);
  });

  it('falls back where Atomics.wait is forbidden', () => {
    const decision = decideThreads(undefined, { ...FULL, atomicsWait: false });
    expect(decision.threads).toBe(1);
    expect(decision.fallbackReason).toMatch(/Atomics\.wait/);
  });

  it('falls back without a Worker constructor', () => {
    const decision = decideThreads(2, { ...FULL, workers: false });
    expect(decision.threads).toBe(1);
    expect(decision.fallbackReason).toMatch(/Worker/);
  });

  it('needs no fallback in Node', async () => {
    const support = await probeThreading();
    expect(support.sharedMemory).toBe(true);
    expect(support.atomicsWait).toBe(true);
    expect(support.workers).toBe(true);
    expect(support.cores).toBeGreaterThanOrEqual(1);
  });
});

describe('createCpuBackend configuration', () => {
  const started: CpuBackend[] = [];
  const start = async (options: Parameters<typeof createCpuBackend>[0]) => {
    const backend = createCpuBackend(options);
    started.push(backend);
    await backend.init();
    return backend;
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((backend) => backend.destroy?.()));
  });

  it('starts two threads on shared memory', async () => {
    const backend = await start({ threads: 2 });
    expect(backend.configuration).toEqual({ simd: true, threads: 2, threadFallback: null, sharedMemory: true });
    expect(backend.memory().threads).toBe(2);
  });

  it('runs one thread on unshared memory', async () => {
    const backend = await start({ threads: 1 });
    expect(backend.configuration?.threads).toBe(1);
    expect(backend.configuration?.sharedMemory).toBe(false);
  });

  it('runs the scalar kernels on request', async () => {
    const backend = await start({ threads: 1, simd: false });
    expect(backend.configuration?.simd).toBe(false);
  });

  it('rejects an invalid thread count', () => {
    expect(() => createCpuBackend({ threads: 0 })).toThrow(/threads must be a positive integer/);
    expect(() => createCpuBackend({ threads: 1.5 })).toThrow(/threads must be a positive integer/);
  });

  it('splits a large convolution with identical results', async () => {
    const [threaded, single] = [await start({ threads: 2 }), await start({ threads: 1 })];
    const run = (backend: CpuBackend) => {
      // 256 x 256 x 1024 multiply-adds: far above the threshold for splitting across threads.
      const x = tensor(Float32Array.from({ length: 256 * 32 * 32 }, (_, i) => Math.sin(i)), [1, 256, 32, 32], backend);
      const weight = tensor(Float32Array.from({ length: 256 * 256 }, (_, i) => Math.cos(i) / 16), [256, 256, 1, 1], backend);
      const out = backend.kernels.conv2d!(x, weight, null, { stride: [1, 1], padding: [0, 0, 0, 0], groups: 1 }, [1, 256, 32, 32]);
      const values = backend.downloadSync!(out, 256 * 32 * 32);
      backend.disposeData(out);
      x.dispose();
      weight.dispose();
      return values;
    };
    // Each output is summed by one thread in the same order, so the split changes no bit.
    const [split, whole] = [run(threaded), run(single)];
    const differing = split.filter((value, i) => !Object.is(value, whole[i])).length;
    expect(differing).toBe(0);
  });
});

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '@mobilemamba/core';
import { findFixture } from '@mobilemamba/conformance';
import { loadModel, type MobileMamba } from '@mobilemamba/models';
import { createCpuBackend, type CpuBackend } from '../src/index.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Heap bytes in use after a full collection. */
function settledHeapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

describe('cpu backend memory', () => {
  let backend: CpuBackend;
  beforeAll(async () => {
    backend = createCpuBackend();
    await backend.init();
  });
  afterAll(async () => {
    await backend.destroy?.();
  });

  it('reports the bytes and allocations of live tensors', () => {
    const before = backend.memory();
    const a = tensor(new Float32Array(1000), [10, 100], backend);
    const b = tensor(new Float32Array(7), [7], backend);
    const view = a.reshape([100, 10]);
    const during = backend.memory();
    expect(during.allocations - before.allocations).toBe(2);
    expect(during.bytes - before.bytes).toBe(4 * 1007);
    expect(during.wasmHeapBytes % 65_536).toBe(0);

    a.dispose();
    view.dispose();
    b.dispose();
    expect(backend.memory().allocations).toBe(before.allocations);
    expect(backend.memory().bytes).toBe(before.bytes);
  });

  it('keeps memory flat over 1000 inferences of the tiny model', async ({ annotate }) => {
    const weights = findFixture('models/tiny.weights.safetensors');
    if (weights === null) throw new Error('fixture models/tiny.weights.safetensors not found');
    const model: MobileMamba = await loadModel(weights, { backend });
    const size = model.imgSize;
    const input = Float32Array.from({ length: 3 * size * size }, (_, i) => Math.sin(i * 0.1));
    const shape = [1, 3, size, size] as const;
    try {
      // The first few hundred passes still grow the heap as V8 optimises the code paths.
      for (let i = 0; i < 300; i++) await model.predict(input, shape);
      const wasmBefore = backend.memory().wasmHeapBytes;
      const allocationsBefore = backend.memory().allocations;
      const heapBefore = settledHeapUsed();

      let logits: Float32Array = new Float32Array(0);
      for (let i = 0; i < 1000; i++) logits = await model.predict(input, shape);

      const heapAfter = settledHeapUsed();
      await annotate(`JS heap ${heapBefore} -> ${heapAfter} bytes, wasm memory ${wasmBefore} -> ${backend.memory().wasmHeapBytes} bytes`);
      expect(logits.every(Number.isFinite)).toBe(true);
      expect(backend.memory().wasmHeapBytes).toBe(wasmBefore);
      expect(backend.memory().allocations).toBe(allocationsBefore);
      // Collection timing and JIT caches move the heap by some hundreds of kilobytes. A leak of
      // one small object per op would add tens of megabytes over 1000 passes.
      expect(heapAfter - heapBefore).toBeLessThan(1_000_000);
    } finally {
      model.dispose();
    }
    expect(backend.memory().allocations).toBe(0);
  });
});

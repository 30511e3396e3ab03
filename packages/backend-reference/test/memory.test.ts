import { conv2d, registerBackend, setBackend, listBackends, removeBackend, tensor, tidy } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend, registerReferenceBackend } from '../src/index.js';

describe('reference backend storage', () => {
  it('returns memory() to zero after disposal', () => {
    const backend = createReferenceBackend();
    const x = tensor(new Float32Array(2 * 3 * 4 * 4), [2, 3, 4, 4], backend);
    const view = x.reshape([6, 16]);

    // A reshaped view shares its storage, so it is one allocation.
    expect(backend.memory()).toEqual({ bytes: 2 * 3 * 4 * 4 * 4, allocations: 1 });

    const out = tidy(() => conv2d(x, tensor(new Float32Array(5 * 3), [5, 3, 1, 1], backend)));
    expect(backend.memory().allocations).toBe(2);

    out.dispose();
    x.dispose();
    expect(backend.memory().allocations).toBe(1);
    view.dispose();
    expect(backend.memory()).toEqual({ bytes: 0, allocations: 0 });
  });

  it('copies on upload and download', () => {
    const backend = createReferenceBackend();
    const values = new Float32Array([1, 2, 3]);
    const x = tensor(values, [3], backend);
    values[0] = 100;

    const copy = x.dataSync();
    copy[1] = 200;
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3]);
    x.dispose();
  });

  it('rejects a handle it does not hold', () => {
    const backend = createReferenceBackend();

    expect(() => backend.disposeData(new Float32Array(1))).toThrow(/not live storage/);
  });
});

describe('registerReferenceBackend', () => {
  it('registers under the name reference with priority 1', async () => {
    registerReferenceBackend();
    expect(listBackends().find((info) => info.name === 'reference')?.priority).toBe(1);

    const backend = await setBackend('reference');
    expect(backend.name).toBe('reference');
    await removeBackend('reference');
  });

  it('loses the automatic choice to a higher priority', () => {
    registerReferenceBackend();
    registerBackend('faster', createReferenceBackend, 10);

    expect(listBackends().map((info) => info.name)).toEqual(['faster', 'reference']);
    void removeBackend('faster');
    void removeBackend('reference');
  });
});

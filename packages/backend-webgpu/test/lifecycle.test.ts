import { describe, expect, it } from 'vitest';
import { GpuDeviceLostError, createWebGpuBackend } from '../src/index.js';
import { skipNote, startBackend } from './helpers.js';
import { softwareOnlyReason } from '../src/device/gpu-device-files.js';

const started = await startBackend({ warmUp: false });

describe.skipIf(started.unavailable !== null)(`backend lifecycle${skipNote(started)}`, () => {
  const backend = started.backend!;

  it('counts allocations until disposed', async () => {
    const before = backend.memory();

    const x = backend.upload(new Float32Array([1, -2, 3]), [3]);
    const y = backend.kernels.relu!({ shape: [3], handle: x });
    expect(backend.memory().allocations).toBe(before.allocations + 2);
    expect(await backend.download(y, 3)).toEqual(new Float32Array([1, 0, 3]));
    backend.disposeData(x);
    backend.disposeData(y);

    expect(backend.memory()).toMatchObject({ allocations: before.allocations, bytes: before.bytes });
    expect(backend.memory().pooledBuffers).toBeGreaterThan(0);
  });

  it('rejects a handle disposed twice', () => {
    const x = backend.upload(new Float32Array(4), [4]);
    backend.disposeData(x);

    expect(() => backend.disposeData(x)).toThrow(/already disposed/);
    expect(() => backend.kernels.relu!({ shape: [4], handle: x })).toThrow(/argument 'x' was already disposed/);
  });

  it('rejects a handle of another backend', () => {
    expect(() => backend.kernels.relu!({ shape: [2], handle: new Float32Array(2) })).toThrow(/argument 'x' is not webgpu storage/);
  });

  it('handles empty tensors', async () => {
    const x = backend.upload(new Float32Array(0), [0, 3]);
    const y = backend.kernels.sigmoid!({ shape: [0, 3], handle: x });

    expect(await backend.download(y, 0)).toEqual(new Float32Array(0));
    backend.disposeData(x);
    backend.disposeData(y);
  });

  it('reports device loss on the next call and recovers at init', async () => {
    const x = backend.upload(new Float32Array([-1, 1]), [2]);
    const lostDevice = backend.device!;

    lostDevice.destroy();
    await lostDevice.lost;

    expect(() => backend.kernels.relu!({ shape: [2], handle: x })).toThrow(GpuDeviceLostError);
    expect(() => backend.kernels.relu!({ shape: [2], handle: x })).toThrow(/relu: the GPU device was lost \(destroyed.*call init\(\)/);
    expect(() => backend.upload(new Float32Array(2), [2])).toThrow(/upload: the GPU device was lost/);
    await expect(backend.download(x, 2)).rejects.toThrow(GpuDeviceLostError);

    await backend.init();
    expect(backend.device).not.toBe(lostDevice);
    const y = backend.upload(new Float32Array([-1, 1]), [2]);
    const z = backend.kernels.relu!({ shape: [2], handle: y });
    expect(await backend.download(z, 2)).toEqual(new Float32Array([0, 1]));
    expect(() => backend.kernels.relu!({ shape: [2], handle: x })).toThrow(/lives on a GPU device that was lost or destroyed/);

    // Storage of the lost device can still be disposed, and is not counted on the new one.
    backend.disposeData(x);
    backend.disposeData(y);
    backend.disposeData(z);
    expect(backend.memory().allocations).toBe(0);
  });

  it('rejects a software adapter by default', async ({ skip }) => {
    if (!backend.adapter!.software) skip(`the adapter ${backend.adapter!.device} is not a software implementation`);

    const init = createWebGpuBackend({ allowSoftwareAdapter: false }).init();

    // Without a GPU device file the backend rejects before it searches for an adapter.
    const expected = softwareOnlyReason() === null ? /only adapter found is a software implementation/ : /no GPU device file found .*allowSoftwareAdapter: true/;
    await expect(init).rejects.toThrow(expected);
  });

  it('rejects calls after destroy until init', async () => {
    backend.destroy();

    expect(backend.device).toBeNull();
    expect(() => backend.upload(new Float32Array(1), [1])).toThrow(/upload: the backend was destroyed; await init\(\) first/);

    await backend.init();
    const x = backend.upload(new Float32Array([2]), [1]);
    expect(await backend.download(x, 1)).toEqual(new Float32Array([2]));
    backend.disposeData(x);
    backend.destroy();
  });
});

import { describe, expect, it } from 'vitest';
import { GpuLimitError, REQUIRED_LIMITS, createWebGpuBackend } from '../src/index.js';
import { flatGrid } from '../src/kernels/grid.js';
import type { GpuRuntime } from '../src/gpu/runtime.js';
import { skipNote, startBackend } from './helpers.js';

/** Limits of a WebGPU core device by default, plus the ones the kernels request. */
const GENEROUS_LIMITS = {
  ...REQUIRED_LIMITS,
  maxBufferSize: 2 ** 28,
  maxStorageBufferBindingSize: 2 ** 27,
  maxComputeWorkgroupsPerDimension: 65535,
};

/** Returns a GPU object whose one adapter has the given limits and info. These tests never reach its requestDevice. */
function fakeGpu(limits: Record<string, number>, info: Partial<GPUAdapterInfo> = {}): GPU {
  const adapter = {
    limits,
    features: new Set(),
    info: { vendor: 'test', architecture: '', device: 'fake adapter', description: 'made up for a test', isFallbackAdapter: false, ...info },
    requestDevice: async () => {
      throw new Error('requestDevice should not be reached');
    },
  };
  return { requestAdapter: async () => adapter } as unknown as GPU;
}

describe('adapter checks at init', () => {
  it('names a limit the adapter cannot give', async () => {
    const gpu = fakeGpu({ ...GENEROUS_LIMITS, maxStorageBuffersPerShaderStage: 4 });

    const failure = await createWebGpuBackend({ gpu, allowSoftwareAdapter: false }).init().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(GpuLimitError);
    expect(failure).toMatchObject({ limit: 'maxStorageBuffersPerShaderStage', required: 8, available: 4 });
    expect((failure as Error).message).toMatch(/'fake adapter' supports maxStorageBuffersPerShaderStage = 4, but the kernels need at least 8/);
  });

  it('rejects when no adapter is found', async () => {
    const gpu = { requestAdapter: async () => null } as unknown as GPU;

    const init = createWebGpuBackend({ gpu }).init();

    await expect(init).rejects.toThrow(/found no adapter \(tried \{\} and \{"featureLevel":"compatibility"\}\)/);
  });

  it('rejects a software adapter unless allowed', async () => {
    const gpu = fakeGpu({ ...GENEROUS_LIMITS, maxStorageBuffersPerShaderStage: 4 }, { device: 'llvmpipe (LLVM 15.0.6, 256 bits)' });

    await expect(createWebGpuBackend({ gpu, allowSoftwareAdapter: false }).init()).rejects.toThrow(
      /only adapter found is a software implementation \(llvmpipe.*allowSoftwareAdapter: true/,
    );
    // Allowed, the same adapter gets as far as the limit check.
    await expect(createWebGpuBackend({ gpu, allowSoftwareAdapter: true }).init()).rejects.toBeInstanceOf(GpuLimitError);
  });

  it('treats a fallback adapter as software', async () => {
    const gpu = fakeGpu(GENEROUS_LIMITS, { isFallbackAdapter: true });

    await expect(createWebGpuBackend({ gpu, allowSoftwareAdapter: false }).init()).rejects.toThrow(/software implementation \(fake adapter/);
  });
});

describe('flatGrid', () => {
  const runtimeWithLimit = (limit: number) => ({ limits: { maxComputeWorkgroupsPerDimension: limit } }) as unknown as GpuRuntime;

  it('continues along y past the per-dimension limit', () => {
    expect(flatGrid(runtimeWithLimit(4), 64 * 10)).toEqual({ groupsX: 4, workgroups: [4, 3, 1] });
    expect(flatGrid(runtimeWithLimit(65535), 100)).toEqual({ groupsX: 2, workgroups: [2, 1, 1] });
  });

  it('puts one workgroup per item when asked', () => {
    expect(flatGrid(runtimeWithLimit(4), 9, 1)).toEqual({ groupsX: 4, workgroups: [4, 3, 1] });
  });
});

const capped = await startBackend({ warmUp: false, maxStorageBufferBindingSize: 1024 });

describe.skipIf(capped.unavailable !== null)(`binding size limit${skipNote(capped)}`, () => {
  it('rejects an upload over the binding size', () => {
    const backend = capped.backend!;

    const upload = () => backend.upload(new Float32Array(300), [300]);

    expect(upload).toThrow(GpuLimitError);
    expect(upload).toThrow(/upload: a tensor of 1200 bytes exceeds maxStorageBufferBindingSize \(1024 bytes\)/);
    expect(backend.memory().allocations).toBe(0);
  });

  it('rejects a kernel whose output exceeds it', () => {
    const backend = capped.backend!;
    const half = { shape: [1, 200], handle: backend.upload(new Float32Array(200), [1, 200]) };

    expect(() => backend.kernels.concat!([half, half], 1, [1, 400])).toThrow(/concat: a tensor of 1600 bytes exceeds maxStorageBufferBindingSize/);

    backend.disposeData(half.handle);
    backend.destroy();
  });
});

const started = await startBackend({ warmUp: false });

describe.skipIf(started.unavailable !== null)(`dispatch past 65535 workgroups${skipNote(started)}`, () => {
  it('covers every element of a long relu', async () => {
    const backend = started.backend!;
    const count = 65535 * 64 + 130;
    const values = new Float32Array(count).map((_, i) => (i % 2 === 0 ? i : -i));
    const x = { shape: [count], handle: backend.upload(values, [count]) };

    const y = backend.kernels.relu!(x);
    const out = await backend.download(y, count);

    expect(out).toHaveLength(count);
    expect(out.every((value, i) => value === (i % 2 === 0 ? i : 0))).toBe(true);
    backend.disposeData(x.handle);
    backend.disposeData(y);
    backend.destroy();
  });
});

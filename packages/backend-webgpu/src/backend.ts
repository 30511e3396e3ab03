import { MobileMambaError, type Backend, type BackendMemory, type DataHandle, type Shape } from '@mobilemamba/core';
import { checkSoftwareAdapter, describeAdapter, type AdapterDescription, type FoundAdapter } from './device/adapter.js';
import { findAdapterOn } from './device/navigator.js';
import { requestDevice } from './device/request-device.js';
import { PREFIX } from './errors.js';
import type { ShaderProgram } from './gpu/pipeline-cache.js';
import { GpuRuntime } from './gpu/runtime.js';
import { GpuStorage } from './gpu/storage.js';
import { createKernels } from './kernels/index.js';
import { DEFAULT_DISPATCHES_PER_SUBMIT, DEFAULT_POOL_BYTES, type WebGpuBackendOptions } from './options.js';
import { mobileMambaPrograms } from './warm-up.js';

/** The name the WebGPU backend registers under. */
export const WEBGPU_BACKEND_NAME = 'webgpu';

/** The Backend interface plus what a WebGPU user may want to see or call. */
export interface WebGpuBackend extends Backend {
  /** The device once init() has succeeded; null before, after destroy(), and after a failed init. */
  readonly device: GPUDevice | null;
  /** The adapter in use, and how it was found. */
  readonly adapter: AdapterDescription | null;
  /** Compiles `programs` (default: those MobileMamba uses) unless already compiled; init() does this unless warmUp is false. */
  warmUp(programs?: readonly ShaderProgram[]): Promise<void>;
  /** Waits for all submitted GPU work and throws the first GPU error it caused. */
  sync(): Promise<void>;
  /** Destroys the device and frees the cached buffers; init() starts again. */
  destroy(): void;
}

/** How one entry point (Node or browser) finds an adapter and decides on software adapters. */
export interface Platform {
  readonly findAdapter: (options: WebGpuBackendOptions) => Promise<FoundAdapter>;
  /** Whether a software adapter is accepted when options.allowSoftwareAdapter is unset. */
  readonly allowSoftwareByDefault: boolean;
  /** Sentence of the rejection message on how to accept a software adapter anyway. */
  readonly howToAllowSoftware: string;
  /** Returns why only a software adapter can exist here, or null to search for an adapter. Called before the search. */
  readonly softwareOnlyReason?: () => string | null;
}

/**
 * Creates a WebGPU backend. Nothing touches the GPU until init(), which
 * finds an adapter, requests a device and compiles the pipelines. After a
 * device loss every call throws until init() runs again and creates a new
 * device; tensors of the lost device must be created again.
 */
export function createBackend(platform: Platform, options: WebGpuBackendOptions): WebGpuBackend {
  let runtime: GpuRuntime | null = null;
  let adapter: AdapterDescription | null = null;
  let starting: Promise<void> | null = null;
  let destroyed = false;

  const runtimeFor = (op: string): GpuRuntime => {
    if (runtime === null) {
      const reason = destroyed ? 'the backend was destroyed' : 'the backend is not initialised';
      throw new MobileMambaError(`${PREFIX}: ${op}: ${reason}; await init() first`);
    }
    runtime.checkUsable(op);
    return runtime;
  };

  const softwareAllowed = options.allowSoftwareAdapter ?? platform.allowSoftwareByDefault;

  /** Returns why no acceptable adapter can exist without searching, or null. */
  const rejectedUpFront = (): string | null => {
    if (options.gpu || softwareAllowed) return null;
    const reason = platform.softwareOnlyReason?.() ?? null;
    return reason === null ? null : `${PREFIX}: ${reason}; ${platform.howToAllowSoftware}`;
  };

  const start = async (): Promise<void> => {
    const rejection = rejectedUpFront();
    if (rejection !== null) throw new MobileMambaError(rejection);

    const found = options.gpu ? await findAdapterOn(options.gpu, 'options.gpu', options.adapterOptions) : await platform.findAdapter(options);
    const description = describeAdapter(found);
    checkSoftwareAdapter(description, softwareAllowed, platform.howToAllowSoftware);

    const device = await requestDevice(found.adapter, description);
    const fresh = new GpuRuntime(device, found.gpu, {
      poolBytes: options.poolBytes ?? DEFAULT_POOL_BYTES,
      dispatchesPerSubmit: options.dispatchesPerSubmit ?? DEFAULT_DISPATCHES_PER_SUBMIT,
      ...(options.maxStorageBufferBindingSize === undefined ? {} : { maxStorageBufferBindingSize: options.maxStorageBufferBindingSize }),
    });
    if (options.warmUp !== false) {
      try {
        await compileAll(fresh, mobileMambaPrograms());
      } catch (error) {
        fresh.destroy();
        throw error;
      }
    }

    runtime = fresh;
    adapter = description;
    destroyed = false;
  };

  const storageOf = (handle: DataHandle, op: string): GpuStorage => {
    if (!(handle instanceof GpuStorage)) {
      throw new MobileMambaError(`${PREFIX}: ${op} received a handle that is not webgpu storage (a handle of another backend?)`);
    }
    return handle;
  };

  const backend: WebGpuBackend = {
    name: WEBGPU_BACKEND_NAME,
    kernels: createKernels(runtimeFor),

    get device() {
      return runtime?.device ?? null;
    },

    get adapter() {
      return adapter;
    },

    init: async () => {
      if (runtime !== null && !runtime.isLost) return;
      runtime = null;
      starting ??= start().finally(() => {
        starting = null;
      });
      return starting;
    },

    isAvailable: async () => {
      if (rejectedUpFront() !== null) return false;
      try {
        const found = options.gpu ? await findAdapterOn(options.gpu, 'options.gpu', options.adapterOptions) : await platform.findAdapter(options);
        return !describeAdapter(found).software || softwareAllowed;
      } catch {
        return false;
      }
    },

    upload: (values: Float32Array, _shape: Shape) => runtimeFor('upload').upload(values),

    download: async (handle: DataHandle, size: number) => {
      const live = runtimeFor('download');
      const storage = live.storageOf({ shape: [size], handle }, 'download', 'handle');
      return live.download(storage, size);
    },

    disposeData: (handle: DataHandle) => {
      const storage = storageOf(handle, 'disposeData');
      (storage.owner as GpuRuntime).release(storage);
    },

    memory: (): BackendMemory => (runtime === null ? { bytes: 0, allocations: 0 } : { ...runtime.memory() }),

    warmUp: async (programs = mobileMambaPrograms()) => compileAll(runtimeFor('warmUp'), programs),

    sync: async () => runtimeFor('sync').sync(),

    destroy: () => {
      runtime?.destroy();
      runtime = null;
      destroyed = true;
    },
  };
  return backend;

  /** Compiles programs concurrently and rejects with the first compile error. */
  async function compileAll(target: GpuRuntime, programs: readonly ShaderProgram[]): Promise<void> {
    await Promise.all(programs.map((program) => target.pipelines.compile(program)));
  }
}

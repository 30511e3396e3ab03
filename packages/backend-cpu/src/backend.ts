import { MobileMambaError, type Backend, type BackendMemory, type DataHandle, type Kernels, type Shape } from '@mobilemamba/core';
import { SizeClassAllocator, type GrowableHeap } from './allocator.js';
import { batchNormFold } from './kernels/batch-norm-fold.js';
import { conv2d, depthwiseConv2d } from './kernels/convolution.js';
import { binary, unary } from './kernels/elementwise.js';
import { dwt2d, idwt2d } from './kernels/haar.js';
import { concat, flip, slice } from './kernels/layout.js';
import { globalAvgPool, layerNorm, linear } from './kernels/normalization.js';
import { selectiveScan } from './kernels/selective-scan.js';
import { CpuRuntime, CpuStorage } from './runtime.js';
import { CONTROL_BYTES } from './threads/control-block.js';
import { decideThreads, probeThreading } from './threads/environment.js';
import { WorkerPool } from './threads/pool.js';
import { compileKernels, DECLARED_MAX_PAGES, PAGE_BYTES } from './wasm/binaries.js';
import { simdSupported } from './wasm/features.js';
import { PARALLEL_KERNELS, type KernelExports } from './wasm/kernel-exports.js';

/** The name the cpu backend registers under. */
export const CPU_BACKEND_NAME = 'cpu';

export interface CpuBackendOptions {
  /**
   * Threads that run kernels, the calling thread included. Default: every
   * core (os.availableParallelism() in Node, navigator.hardwareConcurrency
   * in browsers). Falls back to 1 where shared memory or Atomics.wait is
   * unavailable, and `configuration.threadFallback` then gives the reason.
   */
  threads?: number;
  /** Use the SIMD128 kernels. Default: when the engine supports SIMD. `true` where it does not makes init() fail. */
  simd?: boolean;
  /**
   * Maximum size of the WebAssembly memory in MiB, default 2048, at most
   * 4096. A shared memory reserves this much address space up front.
   */
  maxMemoryMiB?: number;
}

/** Configuration that init() chose. */
export interface CpuBackendConfiguration {
  readonly simd: boolean;
  readonly threads: number;
  /** Reason that fewer threads run than were requested or are available, or null when none were lost. */
  readonly threadFallback: string | null;
  /** The memory is a shared WebAssembly.Memory (true whenever threads > 1). */
  readonly sharedMemory: boolean;
}

/** The cpu backend, with the configuration that init() chose. */
export interface CpuBackend extends Backend {
  /** Null until init() has resolved. */
  readonly configuration: CpuBackendConfiguration | null;
}

/** First byte the allocator uses. The kernel module's own data lies below 64 KiB. */
const HEAP_BASE = 65536;
/** Initial memory: 16 MiB. */
const INITIAL_PAGES = 256;

/**
 * Creates a cpu backend: WebAssembly kernels (SIMD128 where available) on
 * one WebAssembly.Memory, split across worker threads for large
 * convolutions, scans and linear layers. Nothing starts until init().
 */
export function createCpuBackend(options: CpuBackendOptions = {}): CpuBackend {
  const requestedThreads = options.threads;
  if (requestedThreads !== undefined && (!Number.isInteger(requestedThreads) || requestedThreads < 1)) {
    throw new MobileMambaError(`createCpuBackend: threads must be a positive integer, got ${requestedThreads}`);
  }
  const maxMemoryMiB = options.maxMemoryMiB ?? 2048;
  if (!Number.isInteger(maxMemoryMiB) || maxMemoryMiB < 16 || maxMemoryMiB > 4096) {
    throw new MobileMambaError(`createCpuBackend: maxMemoryMiB must be an integer from 16 to 4096, got ${maxMemoryMiB}`);
  }

  let runtime: CpuRuntime | null = null;
  let configuration: CpuBackendConfiguration | null = null;
  let starting: Promise<void> | null = null;

  const active = (): CpuRuntime => {
    if (runtime === null) throw new MobileMambaError('cpu backend: not initialised; await init() first (or it was destroyed)');
    return runtime;
  };

  const start = async (): Promise<void> => {
    if (typeof WebAssembly !== 'object') throw new Error('WebAssembly is not available in this environment');
    const simd = options.simd ?? simdSupported();
    if (simd && !simdSupported()) throw new Error('WebAssembly SIMD is not supported here; pass simd: false to use the scalar kernels');

    const decision = decideThreads(requestedThreads, await probeThreading());
    const shared = decision.threads > 1;
    const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: Math.min(DECLARED_MAX_PAGES, (maxMemoryMiB * 1024 * 1024) / PAGE_BYTES), shared });
    const module = await compileKernels(simd, shared);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const allocator = new SizeClassAllocator(growableHeap(memory), HEAP_BASE);

    let pool: WorkerPool | null = null;
    let threadFallback = decision.fallbackReason;
    if (shared) {
      const control = allocator.allocate(CONTROL_BYTES);
      new Int32Array(memory.buffer, control, CONTROL_BYTES / 4).fill(0);
      try {
        pool = await WorkerPool.start(decision.threads - 1, module, memory, control, PARALLEL_KERNELS);
      } catch (error) {
        threadFallback = `worker threads failed to start: ${error instanceof Error ? error.message : String(error)}`;
      }
    }

    const threads = pool?.threads ?? 1;
    runtime = new CpuRuntime(instance.exports as unknown as KernelExports, memory, allocator, threads, simd, pool);
    configuration = { simd, threads, threadFallback, sharedMemory: shared };
  };

  const kernels: Kernels = {
    add: (a, b, outShape) => binary(active(), 'add', a, b, outShape),
    mul: (a, b, outShape) => binary(active(), 'mul', a, b, outShape),
    relu: (x) => unary(active(), 'relu', x),
    silu: (x) => unary(active(), 'silu', x),
    sigmoid: (x) => unary(active(), 'sigmoid', x),
    softplus: (x) => unary(active(), 'softplus', x),
    layerNorm: (...args) => layerNorm(active(), ...args),
    globalAvgPool: (x) => globalAvgPool(active(), x),
    linear: (...args) => linear(active(), ...args),
    slice: (...args) => slice(active(), ...args),
    concat: (...args) => concat(active(), ...args),
    flip: (...args) => flip(active(), ...args),
    conv2d: (...args) => conv2d(active(), ...args),
    depthwiseConv2d: (...args) => depthwiseConv2d(active(), ...args),
    selectiveScan: (...args) => selectiveScan(active(), ...args),
    dwt2d: (...args) => dwt2d(active(), ...args),
    idwt2d: (...args) => idwt2d(active(), ...args),
    batchNormFold: (...args) => batchNormFold(active(), ...args),
  };

  const storageOf = (handle: DataHandle, size: number, op: string): CpuStorage => {
    const storage = active().storageOf({ handle, shape: [size] }, op);
    if (size > storage.length) {
      throw new MobileMambaError(`cpu backend: ${op} requested ${size} values, but the storage contains only ${storage.length}`);
    }
    return storage;
  };

  const read = (handle: DataHandle, size: number, op: string): Float32Array => {
    const storage = storageOf(handle, size, op);
    const first = storage.offset / 4;
    return active().f32().slice(first, first + size);
  };

  return {
    name: CPU_BACKEND_NAME,
    kernels,

    get configuration() {
      return configuration;
    },

    init: () => {
      starting ??= start().catch((error: unknown) => {
        starting = null;
        throw error;
      });
      return starting;
    },

    isAvailable: async () => typeof WebAssembly === 'object',

    upload: (values: Float32Array, _shape: Shape) => {
      const rt = active();
      const storage = rt.allocate(values.length);
      rt.f32().set(values, storage.offset / 4);
      return storage;
    },

    download: async (handle: DataHandle, size: number) => read(handle, size, 'download'),

    downloadSync: (handle: DataHandle, size: number) => read(handle, size, 'downloadSync'),

    disposeData: (handle: DataHandle) => {
      const storage = storageOf(handle, 0, 'disposeData');
      active().release(storage);
    },

    memory: (): BackendMemory => {
      if (runtime === null) return { bytes: 0, allocations: 0 };
      return {
        bytes: runtime.liveBytes,
        allocations: runtime.liveArrays,
        wasmHeapBytes: runtime.memory.buffer.byteLength,
        blockBytes: runtime.allocator.liveBlockBytes,
        pooledBytes: runtime.allocator.pooledBytes,
        packedWeightBytes: runtime.packedBytes,
        threads: runtime.threads,
      };
    },

    destroy: async () => {
      // An init() still running would otherwise set up a runtime after this returns.
      const pending = starting;
      starting = null;
      await pending?.catch(() => {});
      const stopping = runtime;
      runtime = null;
      configuration = null;
      await stopping?.destroy();
    },
  };
}

/** Lets the allocator grow a WebAssembly.Memory, by at least a quarter of its size at a time. */
function growableHeap(memory: WebAssembly.Memory): GrowableHeap {
  return {
    byteLength: () => memory.buffer.byteLength,
    growTo: (bytes) => {
      const current = memory.buffer.byteLength;
      const needed = Math.ceil((bytes - current) / PAGE_BYTES);
      if (needed <= 0) return true;
      for (const pages of [Math.max(needed, Math.ceil(current / PAGE_BYTES / 4)), needed]) {
        try {
          memory.grow(pages);
          return true;
        } catch {
          // Past the maximum; the exact amount may still fit.
        }
      }
      return false;
    },
  };
}

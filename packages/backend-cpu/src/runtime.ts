import { MobileMambaError, type KernelTensor } from '@mobilemamba/core';
import { SizeClassAllocator } from './allocator.js';
import type { WorkerPool } from './threads/pool.js';
import { PARALLEL_KERNELS, type KernelExports, type ParallelKernel } from './wasm/kernel-exports.js';

/** A weight's panels packed for the matrix multiply, cached until the weight is freed. */
interface PackedPanels {
  readonly offset: number;
  readonly bytes: number;
  readonly groups: number;
  readonly rows: number;
  readonly depth: number;
}

/** The storage handle of the cpu backend: a float32 array in the WebAssembly memory. */
export class CpuStorage {
  /** False once disposed; a kernel that receives it then raises an error. */
  live = true;
  /** The packed form of this array when a convolution used it as a weight. */
  packed: PackedPanels | null = null;

  constructor(
    /** Owner, so that a handle of another cpu backend instance is rejected. */
    readonly runtime: CpuRuntime,
    /** Byte offset in the memory, a multiple of 64. */
    readonly offset: number,
    /** Number of floats. */
    readonly length: number,
  ) {}

  get bytes(): number {
    return this.length * 4;
  }
}

/**
 * Minimum multiply-adds (or comparable steps) for each thread of a kernel
 * call. Below it a call stays on the calling thread, where the hand-off to
 * the workers (estimated at a few microseconds while they poll, tens when
 * they sleep) would cost more than it saves.
 */
const MIN_WORK_PER_THREAD = 50_000;

/** Chunks per thread of a parallel kernel call. */
const CHUNKS_PER_THREAD = 4;

/**
 * One instance of the kernel module with its memory, allocator and worker
 * pool. The kernel wrappers in kernels/ run through it.
 */
export class CpuRuntime {
  /** Live tensor storage, the figures memory() reports. */
  liveArrays = 0;
  liveBytes = 0;
  packedBytes = 0;

  /** 512 bytes for the axis layouts that binary and copy_box read; kernels run one at a time. */
  readonly layout: number;

  private floatView: Float32Array;
  private intView: Int32Array;
  private readonly parallelIndex: Map<string, number>;

  constructor(
    readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    readonly allocator: SizeClassAllocator,
    readonly threads: number,
    readonly simd: boolean,
    private readonly pool: WorkerPool | null,
  ) {
    this.floatView = new Float32Array(memory.buffer);
    this.intView = new Int32Array(memory.buffer);
    this.parallelIndex = new Map(PARALLEL_KERNELS.map((name, index) => [name, index]));
    this.layout = allocator.allocate(512);
  }

  /** Returns a Float32Array over the whole memory, recreated after the memory grows. */
  f32(): Float32Array {
    if (this.floatView.buffer !== this.memory.buffer || this.floatView.length * 4 !== this.memory.buffer.byteLength) {
      this.floatView = new Float32Array(this.memory.buffer);
    }
    return this.floatView;
  }

  /** Returns an Int32Array over the whole memory, recreated after the memory grows. */
  i32(): Int32Array {
    if (this.intView.buffer !== this.memory.buffer || this.intView.length * 4 !== this.memory.buffer.byteLength) {
      this.intView = new Int32Array(this.memory.buffer);
    }
    return this.intView;
  }

  /** Allocates tensor storage of `length` floats; memory() counts it until `release`. */
  allocate(length: number): CpuStorage {
    const storage = new CpuStorage(this, this.allocator.allocate(length * 4), length);
    this.liveArrays++;
    this.liveBytes += storage.bytes;
    return storage;
  }

  /**
   * Allocates output storage of `length` floats and runs `fill` on it. The
   * storage is released when `fill` throws (out of memory for a scratch
   * buffer, a failed worker), so a failed kernel leaves no allocation behind.
   */
  output(length: number, fill: (out: CpuStorage) => void): CpuStorage {
    const out = this.allocate(length);
    try {
      fill(out);
    } catch (error) {
      this.release(out);
      throw error;
    }
    return out;
  }

  /** Frees tensor storage and the packed copy of it, if any. */
  release(storage: CpuStorage): void {
    storage.live = false;
    this.allocator.free(storage.offset, storage.bytes);
    this.liveArrays--;
    this.liveBytes -= storage.bytes;
    if (storage.packed !== null) {
      this.allocator.free(storage.packed.offset, storage.packed.bytes);
      this.packedBytes -= storage.packed.bytes;
      storage.packed = null;
    }
  }

  /** Returns the storage behind a kernel input, checking that it is live storage of this backend. */
  storageOf(tensor: KernelTensor, op: string): CpuStorage {
    const storage = tensor.handle;
    if (!(storage instanceof CpuStorage) || storage.runtime !== this || !storage.live) {
      throw new MobileMambaError(
        `cpu backend: ${op} received a tensor whose storage is not live storage of this backend (disposed, or created on another backend)`,
      );
    }
    return storage;
  }

  /** Allocates a temporary buffer of `bytes`; free it with `freeScratch` before the kernel returns. */
  scratch(bytes: number): number {
    return this.allocator.allocate(bytes);
  }

  freeScratch(offset: number, bytes: number): void {
    this.allocator.free(offset, bytes);
  }

  /**
   * Returns the offset of `weight` [groups * rows, depth] packed into
   * 8-row panels per group, packing it on first use. Storage never changes
   * after a kernel has written it, so the packed copy stays valid until
   * the weight is freed.
   */
  packedPanels(weight: CpuStorage, groups: number, rows: number, depth: number): number {
    const cached = weight.packed;
    if (cached !== null && cached.groups === groups && cached.rows === rows && cached.depth === depth) return cached.offset;
    if (cached !== null) {
      this.allocator.free(cached.offset, cached.bytes);
      this.packedBytes -= cached.bytes;
      // Cleared now, because the allocation below may fail, and release() would then free the old block twice.
      weight.packed = null;
    }

    const bytes = this.exports.packed_panels_bytes(groups, rows, depth);
    const offset = this.allocator.allocate(bytes);
    this.exports.pack_panels(weight.offset, offset, groups, rows, depth);
    weight.packed = { offset, bytes, groups, rows, depth };
    this.packedBytes += bytes;
    return offset;
  }

  /**
   * Runs a kernel over `units` work units, split across threads when
   * `work` (multiply-adds or comparable steps in the whole call) is large
   * enough to pay for the hand-off.
   */
  parallel(kernel: ParallelKernel, args: number[], units: number, work: number): void {
    const run = this.exports[kernel] as (...values: number[]) => void;
    const parts = Math.min(this.threads, units, Math.floor(work / MIN_WORK_PER_THREAD));
    if (this.pool === null || parts <= 1) {
      run(...args, 0, units, 0);
      return;
    }
    // Several chunks per thread, so that a thread that starts late or runs slower leaves its share to the others.
    const chunks = Math.min(units, parts * CHUNKS_PER_THREAD);
    this.pool.run(this.parallelIndex.get(kernel)!, run, args, units, chunks);
  }

  /** Stops the workers. */
  async destroy(): Promise<void> {
    await this.pool?.destroy();
  }
}

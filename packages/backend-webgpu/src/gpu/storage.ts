import type { PooledBuffer } from './buffer-pool.js';

/**
 * The storage handle of one tensor allocation: a pooled GPU buffer of at
 * least `byteLength` bytes on one device. `owner` identifies the runtime
 * (one per device), so a handle from a lost or destroyed device is
 * recognised instead of being bound to a new one.
 */
export class GpuStorage {
  disposed = false;

  constructor(
    readonly owner: object,
    readonly pooled: PooledBuffer,
    /** Bytes of float32 data the tensor holds: 4 times its element count. */
    readonly byteLength: number,
  ) {}

  get buffer(): GPUBuffer {
    return this.pooled.buffer;
  }

  /**
   * Bytes bound for the shaders: the data rounded up to 4, and at least 4,
   * because a binding may not be empty.
   */
  get bindingSize(): number {
    return Math.max(4, this.byteLength);
  }
}

/** Smallest buffer the pool creates, in bytes. */
export const MIN_BUFFER_BYTES = 256;

/**
 * Rounds a byte size up to its bucket: at least 256 bytes, and above that a
 * multiple of a quarter of the largest power of two not above the size
 * (256, 320, 384, 448, 512, 640, ...). A bucket wastes at most a quarter of
 * the request, and nearby sizes share buffers.
 */
export function bucketSize(bytes: number): number {
  if (bytes <= MIN_BUFFER_BYTES) return MIN_BUFFER_BYTES;
  const step = 2 ** (Math.floor(Math.log2(bytes)) - 2);
  return Math.ceil(bytes / step) * step;
}

/** A buffer handed out by the pool, with its bucket size. */
export interface PooledBuffer {
  readonly buffer: GPUBuffer;
  readonly capacity: number;
  readonly usage: number;
}

/** Counts the pool reports through the backend's memory(). */
export interface PoolStatistics {
  /** Buffers waiting for reuse. */
  readonly freeBuffers: number;
  /** Bytes of the buffers waiting for reuse. */
  readonly freeBytes: number;
  /** Buffers created since the pool was made. */
  readonly created: number;
  /** Requests served by a freed buffer. */
  readonly reused: number;
}

/**
 * Keeps freed GPU buffers by (usage, bucket size) and hands them out again.
 * Freed buffers beyond `maxFreeBytes` are destroyed instead, but only at
 * `collect()`, after the commands that may still use them were submitted:
 * a submit that uses a destroyed buffer is a validation error.
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly doomed: GPUBuffer[] = [];
  private freeBytes = 0;
  private freeCount = 0;
  private created = 0;
  private reused = 0;

  constructor(
    /** Creates a buffer of exactly `size` bytes; the runtime wraps it in error scopes. */
    private readonly createBuffer: (size: number, usage: number) => GPUBuffer,
    private readonly maxFreeBytes: number,
  ) {}

  /** Returns a buffer of at least `bytes` bytes with the given usage. */
  acquire(bytes: number, usage: number): PooledBuffer {
    const capacity = bucketSize(bytes);
    const stack = this.free.get(poolKey(usage, capacity));
    const buffer = stack?.pop();
    if (buffer) {
      this.freeBytes -= capacity;
      this.freeCount--;
      this.reused++;
      return { buffer, capacity, usage };
    }

    const created = this.createBuffer(capacity, usage);
    this.created++;
    return { buffer: created, capacity, usage };
  }

  /** Takes a buffer back; the caller must not use it again. */
  release(pooled: PooledBuffer): void {
    if (this.freeBytes + pooled.capacity > this.maxFreeBytes) {
      this.doomed.push(pooled.buffer);
      return;
    }
    const key = poolKey(pooled.usage, pooled.capacity);
    const stack = this.free.get(key);
    if (stack) stack.push(pooled.buffer);
    else this.free.set(key, [pooled.buffer]);
    this.freeBytes += pooled.capacity;
    this.freeCount++;
  }

  /** Destroys the buffers released over the budget; call after submitting pending commands. */
  collect(): void {
    for (const buffer of this.doomed.splice(0)) buffer.destroy();
  }

  /** Destroys every free buffer; call after submitting pending commands. */
  clear(): void {
    for (const stack of this.free.values()) stack.forEach((buffer) => buffer.destroy());
    this.free.clear();
    this.freeBytes = 0;
    this.freeCount = 0;
    this.collect();
  }

  statistics(): PoolStatistics {
    return { freeBuffers: this.freeCount, freeBytes: this.freeBytes, created: this.created, reused: this.reused };
  }
}

function poolKey(usage: number, capacity: number): string {
  return `${usage}:${capacity}`;
}

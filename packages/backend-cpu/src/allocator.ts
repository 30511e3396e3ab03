/** The memory an allocator hands out blocks from: a WebAssembly.Memory, or a stand-in in tests. */
export interface GrowableHeap {
  /** Current size in bytes. */
  byteLength(): number;
  /** Grows the heap to at least `bytes`; returns false when the maximum does not allow it. */
  growTo(bytes: number): boolean;
}

/** Alignment of every block: one cache line, which is also enough for any SIMD load. */
export const BLOCK_ALIGNMENT = 64;

/**
 * Bytes every block keeps free past the requested size. Kernels may read and
 * write up to 3 floats past the end of an array with whole-vector loops.
 */
export const BLOCK_SLACK = 16;

/**
 * Returns the block size for a request: the request plus the slack, rounded
 * up to a size class. Classes are multiples of 64 bytes, spaced at most an
 * eighth of their size apart, so a block wastes at most 12.5% plus 64 bytes.
 */
export function sizeClassOf(bytes: number): number {
  const needed = Math.max(BLOCK_ALIGNMENT, bytes + BLOCK_SLACK);
  const step = Math.max(BLOCK_ALIGNMENT, 2 ** (Math.floor(Math.log2(needed)) - 3));
  return Math.ceil(needed / step) * step;
}

/**
 * A size-class allocator over a growable heap. Freed blocks go to a free
 * list per class and are reused before the heap grows, so a program that
 * repeats the same sequence of allocations (an inference loop) stops
 * growing the heap after its first pass. Blocks are never split or merged.
 */
export class SizeClassAllocator {
  private readonly freeLists = new Map<number, number[]>();
  private top: number;
  private blocksInUse = 0;
  private bytesInUse = 0;
  private pooled = 0;

  /**
   * @param heap where blocks live.
   * @param base first byte the allocator may use; it must be a multiple of 64.
   * @param guard bytes kept free at the end of the heap, so that a kernel's
   *   over-read past the last block stays inside the memory.
   */
  constructor(
    private readonly heap: GrowableHeap,
    base: number,
    private readonly guard = BLOCK_ALIGNMENT,
  ) {
    if (base % BLOCK_ALIGNMENT !== 0) throw new RangeError(`allocator base ${base} is not a multiple of ${BLOCK_ALIGNMENT}`);
    this.top = base;
  }

  /** Returns the offset of a block of at least `bytes` (plus slack); throws when the heap cannot grow. */
  allocate(bytes: number): number {
    const size = sizeClassOf(bytes);
    const reusable = this.freeLists.get(size);
    let offset: number;
    if (reusable !== undefined && reusable.length > 0) {
      offset = reusable.pop()!;
      this.pooled -= size;
    } else {
      offset = this.extend(size);
    }
    this.blocksInUse++;
    this.bytesInUse += size;
    return offset;
  }

  /** Returns a block to its free list; `bytes` must be the size passed to `allocate`. */
  free(offset: number, bytes: number): void {
    const size = sizeClassOf(bytes);
    let list = this.freeLists.get(size);
    if (list === undefined) {
      list = [];
      this.freeLists.set(size, list);
    }
    list.push(offset);
    this.blocksInUse--;
    this.bytesInUse -= size;
    this.pooled += size;
  }

  /** Blocks handed out and not yet freed. */
  get liveBlocks(): number {
    return this.blocksInUse;
  }

  /** Bytes of the blocks handed out and not yet freed, size-class rounding included. */
  get liveBlockBytes(): number {
    return this.bytesInUse;
  }

  /** Bytes of freed blocks waiting in the free lists for reuse. */
  get pooledBytes(): number {
    return this.pooled;
  }

  /** End of the highest block ever handed out. */
  get highWaterMark(): number {
    return this.top;
  }

  private extend(size: number): number {
    const offset = this.top;
    const end = offset + size;
    if (end + this.guard > this.heap.byteLength() && !this.heap.growTo(end + this.guard)) {
      throw new RangeError(
        `cpu backend: out of WebAssembly memory: a block of ${size} bytes would end at byte ${end}, ` +
          `past the maximum memory size; use a smaller input size or batch, free tensors you no longer need, or raise the maxMemoryMiB option`,
      );
    }
    this.top = end;
    return offset;
  }
}

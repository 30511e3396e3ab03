import { describe, expect, it } from 'vitest';
import { BLOCK_SLACK, SizeClassAllocator, sizeClassOf, type GrowableHeap } from '../src/allocator.js';

/** Creates a heap that only counts its size, up to a fixed maximum. */
function fakeHeap(initial: number, maximum: number): GrowableHeap & { grows: number } {
  let size = initial;
  return {
    grows: 0,
    byteLength: () => size,
    growTo(bytes: number) {
      if (bytes > maximum) return false;
      size = Math.max(size, bytes);
      this.grows++;
      return true;
    },
  };
}

describe('sizeClassOf', () => {
  it('covers the request plus slack in 64-byte multiples', () => {
    for (const bytes of [0, 1, 4, 47, 48, 49, 64, 100, 1000, 4096, 65_535, 1_000_000, 37_748_736]) {
      const size = sizeClassOf(bytes);
      expect(size, `class of ${bytes}`).toBeGreaterThanOrEqual(bytes + BLOCK_SLACK);
      expect(size % 64, `class of ${bytes}`).toBe(0);
    }
  });

  it('wastes at most an eighth plus 64 bytes', () => {
    for (let bytes = 1; bytes < 10_000_000; bytes = Math.ceil(bytes * 1.37)) {
      const needed = bytes + BLOCK_SLACK;
      expect(sizeClassOf(bytes) - needed, `class of ${bytes}`).toBeLessThanOrEqual(needed / 8 + 64);
    }
  });

  it('maps nearby sizes to one class', () => {
    expect(sizeClassOf(10_000)).toBe(sizeClassOf(10_001));
  });
});

describe('SizeClassAllocator', () => {
  it('reuses a freed block of the same class', () => {
    const allocator = new SizeClassAllocator(fakeHeap(1 << 20, 1 << 30), 65_536);
    const first = allocator.allocate(1000);
    allocator.free(first, 1000);
    expect(allocator.allocate(1001)).toBe(first);
  });

  it('hands out aligned blocks that do not overlap', () => {
    const allocator = new SizeClassAllocator(fakeHeap(1 << 20, 1 << 30), 65_536);
    const blocks = [10, 5000, 64, 1, 123_456].map((bytes) => ({ offset: allocator.allocate(bytes), end: 0, bytes }));
    for (const block of blocks) block.end = block.offset + block.bytes + BLOCK_SLACK;
    for (const block of blocks) expect(block.offset % 64).toBe(0);
    const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i].offset).toBeGreaterThanOrEqual(sorted[i - 1].end);
  });

  it('counts live blocks and pooled bytes', () => {
    const allocator = new SizeClassAllocator(fakeHeap(1 << 20, 1 << 30), 65_536);
    const a = allocator.allocate(100);
    const b = allocator.allocate(200);
    expect(allocator.liveBlocks).toBe(2);
    expect(allocator.liveBlockBytes).toBe(sizeClassOf(100) + sizeClassOf(200));

    allocator.free(a, 100);
    expect(allocator.liveBlocks).toBe(1);
    expect(allocator.pooledBytes).toBe(sizeClassOf(100));
    allocator.free(b, 200);
    expect(allocator.liveBlockBytes).toBe(0);
  });

  it('stops growing once a repeated sequence is pooled', () => {
    const heap = fakeHeap(65_536, 1 << 30);
    const allocator = new SizeClassAllocator(heap, 65_536);
    const sizes = [4096, 300, 70_000, 4096, 12, 1_000_000, 300];
    const pass = () => {
      const offsets = sizes.map((bytes) => allocator.allocate(bytes));
      offsets.forEach((offset, i) => allocator.free(offset, sizes[i]));
    };

    pass();
    const grows = heap.grows;
    const top = allocator.highWaterMark;
    for (let i = 0; i < 100; i++) pass();
    expect(heap.grows).toBe(grows);
    expect(allocator.highWaterMark).toBe(top);
  });

  it('keeps a guard region below the end of the heap', () => {
    const heap = fakeHeap(65_536 + 128, 1 << 30);
    const allocator = new SizeClassAllocator(heap, 65_536, 64);
    const offset = allocator.allocate(100);
    expect(offset + sizeClassOf(100) + 64).toBeLessThanOrEqual(heap.byteLength());
  });

  it('throws when the heap cannot grow', () => {
    const allocator = new SizeClassAllocator(fakeHeap(65_536, 1 << 20), 65_536);
    expect(() => allocator.allocate(2 << 20)).toThrow(/out of WebAssembly memory/);
  });

  it('rejects an unaligned base', () => {
    expect(() => new SizeClassAllocator(fakeHeap(1 << 20, 1 << 20), 100)).toThrow(RangeError);
  });
});

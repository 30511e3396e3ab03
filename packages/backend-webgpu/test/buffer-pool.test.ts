import { describe, expect, it } from 'vitest';
import { BufferPool, MIN_BUFFER_BYTES, bucketSize } from '../src/gpu/buffer-pool.js';

/** Returns a stand-in for GPUBuffer that records whether it was destroyed. */
function fakeBuffer(size: number): GPUBuffer & { destroyed: boolean } {
  const buffer = { size, destroyed: false, destroy: () => void (buffer.destroyed = true) };
  return buffer as unknown as GPUBuffer & { destroyed: boolean };
}

describe('bucketSize', () => {
  it('rounds small sizes up to the minimum', () => {
    expect(bucketSize(0)).toBe(MIN_BUFFER_BYTES);
    expect(bucketSize(4)).toBe(MIN_BUFFER_BYTES);
    expect(bucketSize(256)).toBe(256);
  });

  it('rounds up to quarter steps of the power of two', () => {
    expect(bucketSize(257)).toBe(320);
    expect(bucketSize(320)).toBe(320);
    expect(bucketSize(321)).toBe(384);
    expect(bucketSize(1000)).toBe(1024);
    expect(bucketSize(1025)).toBe(1280);
    expect(bucketSize(3 * 2 ** 20 + 1)).toBe(3.5 * 2 ** 20);
  });

  it('never wastes more than a quarter', () => {
    for (let bytes = 257; bytes < 200_000; bytes += 97) {
      const bucket = bucketSize(bytes);
      expect(bucket).toBeGreaterThanOrEqual(bytes);
      expect(bucket).toBeLessThanOrEqual(bytes * 1.25);
      expect(bucket % 4).toBe(0);
    }
  });
});

describe('BufferPool', () => {
  it('reuses a released buffer of the same bucket and usage', () => {
    const created: GPUBuffer[] = [];
    const pool = new BufferPool((size) => {
      const buffer = fakeBuffer(size);
      created.push(buffer);
      return buffer;
    }, 1 << 20);

    const first = pool.acquire(1000, 1);
    pool.release(first);
    const second = pool.acquire(1020, 1);

    expect(second.buffer).toBe(first.buffer);
    expect(created).toHaveLength(1);
    expect(pool.statistics()).toMatchObject({ created: 1, reused: 1, freeBuffers: 0, freeBytes: 0 });
  });

  it('keeps usages apart', () => {
    const pool = new BufferPool((size) => fakeBuffer(size), 1 << 20);
    const storage = pool.acquire(512, 0x80);
    pool.release(storage);

    const staging = pool.acquire(512, 0x09);

    expect(staging.buffer).not.toBe(storage.buffer);
    expect(pool.statistics().freeBuffers).toBe(1);
  });

  it('destroys buffers over the budget only at collect', () => {
    const pool = new BufferPool((size) => fakeBuffer(size), 1024);
    const kept = pool.acquire(1024, 1);
    const extra = pool.acquire(1024, 1);
    pool.release(kept);
    pool.release(extra);

    const extraBuffer = extra.buffer as GPUBuffer & { destroyed: boolean };
    expect(extraBuffer.destroyed).toBe(false);
    pool.collect();
    expect(extraBuffer.destroyed).toBe(true);
    expect((kept.buffer as GPUBuffer & { destroyed: boolean }).destroyed).toBe(false);
    expect(pool.statistics()).toMatchObject({ freeBuffers: 1, freeBytes: 1024 });
  });

  it('destroys every free buffer at clear', () => {
    const pool = new BufferPool((size) => fakeBuffer(size), 1 << 20);
    const buffers = [pool.acquire(300, 1), pool.acquire(5000, 1)];
    buffers.forEach((pooled) => pool.release(pooled));

    pool.clear();

    expect(buffers.map((pooled) => (pooled.buffer as GPUBuffer & { destroyed: boolean }).destroyed)).toEqual([true, true]);
    expect(pool.statistics()).toMatchObject({ freeBuffers: 0, freeBytes: 0 });
  });
});

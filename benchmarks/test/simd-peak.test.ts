import { describe, expect, it } from 'vitest';
import { measureSimdPeak } from '../src/simd-peak.js';

describe('measureSimdPeak', () => {
  it('measures one and two threads', async () => {
    // Short samples keep the test fast, so the figures need to be plausible, not accurate.
    const peak = await measureSimdPeak({ threads: 2, samples: 2, sampleMs: 10, warmupMs: 20 });

    expect(peak.threads).toBe(2);
    expect(peak.samples).toBe(2);
    expect(peak.one_thread_gflops).toBeGreaterThan(0);
    expect(Number.isFinite(peak.one_thread_gflops)).toBe(true);
    expect(peak.all_threads_gflops).toBeGreaterThan(0);
    expect(Number.isFinite(peak.all_threads_gflops)).toBe(true);
    expect(peak.kernel).toContain('f32x4');
  });

  it('runs on one thread when asked', async () => {
    const peak = await measureSimdPeak({ threads: 1, samples: 1, sampleMs: 10, warmupMs: 20 });

    expect(peak.threads).toBe(1);
    expect(peak.all_threads_gflops).toBe(peak.one_thread_gflops);
  });
});

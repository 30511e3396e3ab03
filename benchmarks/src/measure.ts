/** Sampling settings of one case. */
export interface SampleSettings {
  /** Maximum untimed calls before the timed samples, the first call included; at least 1. */
  warmup: number;
  /** Untimed calls made whatever the time limit, the first call included; at least 1. */
  minWarmup: number;
  /** Maximum timed samples. */
  runs: number;
  /** Timed samples taken whatever the time limit. */
  minRuns: number;
  /**
   * Time limit of the case in seconds, counted from the end of its first
   * call. Beyond the minimum counts, a warm-up call or sample starts only
   * when the time spent so far plus the expected time of that call stays
   * within the limit. Warm-up calls may use a quarter of it. The expected
   * time is the median sample so far, or before any sample the last untimed
   * call.
   */
  maxSeconds: number;
  /**
   * Repeat a fast call until one sample lasts about this long, in
   * milliseconds, and report the time per call; 0 times every call alone.
   */
  targetSampleMs: number;
}

/** Timing of one case. All times are per call, in milliseconds. */
export interface Measurement {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  /** Timed samples taken. */
  runs: number;
  /** Calls per timed sample. */
  calls_per_sample: number;
  /** Untimed calls made before the samples, the first call included. */
  warmup_calls: number;
  /** Time of the first call, which is the first warm-up call; includes compilation and first-touch costs. */
  first_ms: number;
  samples_ms: number[];
}

/**
 * Runs `calls` calls of the operation under test and returns once its
 * result is on the host, so that queued work is finished inside the timing.
 */
export type Workload = (calls: number) => Promise<void>;

/** Share of a case's time limit that warm-up calls after the first may use, so that a slow case spends its time on samples. */
const WARMUP_SHARE = 0.25;

/**
 * Times a workload: the warm-up calls (the first of them timed on its own),
 * a calibration call when samples repeat the call, then the timed samples.
 * `settings.maxSeconds` decides how many warm-up calls and samples a slow
 * case gets.
 */
export async function measure(workload: Workload, settings: SampleSettings): Promise<Measurement> {
  const first = await timeSample(workload, 1);
  const started = performance.now();
  const limitMs = settings.maxSeconds * 1000;
  const fits = (expectedMs: number, shareOfLimit: number) => performance.now() - started + expectedMs <= limitMs * shareOfLimit;

  let lastCallMs = first;
  let warmupCalls = 1;
  while (warmupCalls < settings.warmup && (warmupCalls < settings.minWarmup || fits(lastCallMs, WARMUP_SHARE))) {
    lastCallMs = await timeSample(workload, 1);
    warmupCalls++;
  }

  let calls = 1;
  if (settings.targetSampleMs > 0) {
    lastCallMs = Math.max(await timeSample(workload, 1), 1e-3);
    calls = Math.min(10_000, Math.max(1, Math.round(settings.targetSampleMs / lastCallMs)));
  }

  const samples: number[] = [];
  while (samples.length < settings.runs) {
    const expectedMs = samples.length === 0 ? lastCallMs * calls : median(samples) * calls;
    if (samples.length >= settings.minRuns && !fits(expectedMs, 1)) break;
    samples.push((await timeSample(workload, calls)) / calls);
  }

  return summarize(samples, calls, warmupCalls, first);
}

async function timeSample(workload: Workload, calls: number): Promise<number> {
  const started = performance.now();
  await workload(calls);
  return performance.now() - started;
}

/** Returns the median of a non-empty list; the mean of the middle two for an even length. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function summarize(samples: number[], calls: number, warmupCalls: number, first: number): Measurement {
  return {
    median_ms: round(median(samples)),
    min_ms: round(Math.min(...samples)),
    max_ms: round(Math.max(...samples)),
    runs: samples.length,
    calls_per_sample: calls,
    warmup_calls: warmupCalls,
    first_ms: round(first),
    samples_ms: samples.map(round),
  };
}

/** Rounds to four significant digits, which is finer than the run-to-run spread. */
export function round(value: number): number {
  return Number(value.toPrecision(4));
}

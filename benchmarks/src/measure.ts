/** Sampling settings of one case. */
export interface SampleSettings {
  /** Untimed calls before the timed samples, the first call included; at least 1. */
  warmup: number;
  /** Timed samples to take. */
  runs: number;
  /**
   * Time cap per case in seconds: once it has passed and at least `minRuns`
   * samples are taken, sampling stops early. The result records how many
   * samples were taken.
   */
  maxSeconds: number;
  minRuns: number;
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
  /** Time of the first call, which is the first warm-up call; includes compilation and first-touch costs. */
  first_ms: number;
  samples_ms: number[];
}

/**
 * Runs `calls` calls of the operation under test and returns once its
 * result is on the host, so that queued work is finished inside the timing.
 */
export type Workload = (calls: number) => Promise<void>;

/**
 * Times a workload: the warm-up calls (the first of them timed on its own),
 * a calibration call when samples repeat the call, then the timed samples.
 */
export async function measure(workload: Workload, settings: SampleSettings): Promise<Measurement> {
  const first = await timeSample(workload, 1);
  for (let i = 1; i < settings.warmup; i++) await workload(1);

  let calls = 1;
  if (settings.targetSampleMs > 0) {
    const single = Math.max(await timeSample(workload, 1), 1e-3);
    calls = Math.min(10_000, Math.max(1, Math.round(settings.targetSampleMs / single)));
  }

  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < settings.runs) {
    samples.push((await timeSample(workload, calls)) / calls);
    const elapsedSeconds = (performance.now() - started) / 1000;
    if (elapsedSeconds > settings.maxSeconds && samples.length >= settings.minRuns) break;
  }

  return summarize(samples, calls, first);
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

function summarize(samples: number[], calls: number, first: number): Measurement {
  return {
    median_ms: round(median(samples)),
    min_ms: round(Math.min(...samples)),
    max_ms: round(Math.max(...samples)),
    runs: samples.length,
    calls_per_sample: calls,
    first_ms: round(first),
    samples_ms: samples.map(round),
  };
}

/** Rounds to four significant digits, which is finer than the run-to-run spread. */
export function round(value: number): number {
  return Number(value.toPrecision(4));
}

import { Worker } from 'node:worker_threads';
import { SIMD_PEAK_WASM } from './generated/simd-peak-wasm.js';

/** The measured WebAssembly SIMD peak of the machine, as the report records it. */
export interface SimdPeak {
  /** Description of the timed kernel and its FLOP count. */
  kernel: string;
  /** GFLOP/s of one thread, the best of its samples. */
  one_thread_gflops: number;
  /** Threads that ran at once for `all_threads_gflops`. */
  threads: number;
  /** GFLOP/s of all threads together, the best of its samples. */
  all_threads_gflops: number;
  /** Timed samples per measurement. */
  samples: number;
  /** Planned length of one sample in milliseconds. */
  sample_ms: number;
}

/** Settings of one probe run. */
export interface SimdPeakSettings {
  /** Threads for the all-threads measurement. */
  threads: number;
  /** Timed samples per measurement; the best one counts. */
  samples: number;
  /** Length of one sample in milliseconds. */
  sampleMs: number;
  /** Untimed calls per thread before the samples, in milliseconds. */
  warmupMs: number;
}

/** Description of the probe kernel and its FLOP count, as the report states it. */
export const SIMD_PEAK_KERNEL =
  'f32x4.mul then f32x4.add (a = a * m + c) on 12 independent chains of WebAssembly SIMD128 vectors, 1 FLOP per lane for each instruction';

/** Defaults that keep the probe under about one second. */
export const DEFAULT_SIMD_PEAK_SETTINGS: Omit<SimdPeakSettings, 'threads'> = { samples: 5, sampleMs: 60, warmupMs: 100 };

/**
 * Code of one probe thread, run with `eval`. It makes calls of growing
 * length for `warmupMs`, so that V8 moves the function from its baseline
 * compiler (Liftoff) to its optimising one (TurboFan), which happens between
 * calls. It then reports its pace and times each requested call with
 * absolute timestamps, so that the main thread can tell how long the
 * threads ran together.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { exports } = new WebAssembly.Instance(workerData.module, {});
const run = (iterations) => exports.mul_add_chains(iterations, 0.999, 0.001);
const now = () => performance.timeOrigin + performance.now();

let iterations = 1000;
let iterationsPerMs = 0;
const warmupEnd = performance.now() + workerData.warmupMs;
for (;;) {
  const started = performance.now();
  run(iterations);
  const elapsed = Math.max(performance.now() - started, 1e-3);
  iterationsPerMs = iterations / elapsed;
  if (performance.now() >= warmupEnd) break;
  if (elapsed < 10) iterations *= 2;
}
parentPort.postMessage({ iterationsPerMs });

parentPort.on('message', ({ iterations }) => {
  const start = now();
  const checksum = run(iterations);
  const end = now();
  parentPort.postMessage({ start, end, checksum });
});
`;

interface TimedCall {
  /** Start and end of the call, in milliseconds since the epoch. */
  start: number;
  end: number;
  checksum: number;
}

/** Resolves with the worker's next message, or rejects when it fails or exits first. */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (message: T) => {
      cleanup();
      resolve(message);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`a SIMD probe thread exited with code ${code} before it returned a result`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}

/**
 * Runs the timed samples on the given threads at once and returns the best
 * rate in GFLOP/s. A sample lasts from the first thread's start to the last
 * thread's end, so threads that do not overlap lower the rate rather than
 * raise it.
 */
async function bestRate(workers: readonly Worker[], iterations: number, flopsPerIteration: number, samples: number): Promise<number> {
  let best = 0;
  for (let sample = 0; sample < samples; sample++) {
    const replies = workers.map((worker) => nextMessage<TimedCall>(worker));
    for (const worker of workers) worker.postMessage({ iterations });
    const calls = await Promise.all(replies);

    if (calls.some((call) => !Number.isFinite(call.checksum))) {
      throw new Error('the SIMD probe kernel returned a non-finite checksum');
    }
    const elapsedMs = Math.max(...calls.map((call) => call.end)) - Math.min(...calls.map((call) => call.start));
    const flops = workers.length * iterations * flopsPerIteration;
    best = Math.max(best, flops / (elapsedMs * 1e6));
  }
  return best;
}

/** Rounds a rate to three significant digits, finer than its run-to-run spread. */
function roundRate(value: number): number {
  return Number(value.toPrecision(3));
}

/**
 * Measures the peak f32x4 multiply-add throughput of WebAssembly SIMD on
 * this machine, first on one thread, then on `settings.threads` threads at
 * once. Every thread runs in a worker of its own; the main thread only
 * waits. Throws when the engine lacks WebAssembly SIMD.
 */
export async function measureSimdPeak(settings: SimdPeakSettings): Promise<SimdPeak> {
  const module = await WebAssembly.compile(Buffer.from(SIMD_PEAK_WASM, 'base64'));
  const probe = new WebAssembly.Instance(module, {}).exports as { flops_per_iteration: () => number };
  const flopsPerIteration = probe.flops_per_iteration();

  const threads = Math.max(1, settings.threads);
  const workers = Array.from(
    { length: threads },
    () => new Worker(WORKER_SOURCE, { eval: true, workerData: { module, warmupMs: settings.warmupMs } }),
  );
  try {
    const paces = await Promise.all(workers.map((worker) => nextMessage<{ iterationsPerMs: number }>(worker)));
    const iterations = Math.max(1, Math.round(paces[0].iterationsPerMs * settings.sampleMs));

    const oneThread = await bestRate(workers.slice(0, 1), iterations, flopsPerIteration, settings.samples);
    const allThreads = threads === 1 ? oneThread : await bestRate(workers, iterations, flopsPerIteration, settings.samples);
    return {
      kernel: SIMD_PEAK_KERNEL,
      one_thread_gflops: roundRate(oneThread),
      threads,
      all_threads_gflops: roundRate(allThreads),
      samples: settings.samples,
      sample_ms: settings.sampleMs,
    };
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

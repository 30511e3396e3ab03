import type { AdapterDescription } from '@mobilemamba/backend-webgpu';
import { tensor, type Backend, type Tensor } from '@mobilemamba/core';
import {
  MobileMamba,
  VARIANTS,
  loadModel,
  planFromConfig,
  randomStateDict,
  type ModelChoice,
  type VariantName,
} from '@mobilemamba/models';
import { selectBackend } from '../backends.js';
import { CommandError } from '../errors.js';
import { createProgress } from '../progress.js';
import type { Reporter } from '../reporter.js';

export interface BenchOptions {
  /** A released variant, or 'auto' to infer it from --weights. Default: t2, or auto with --weights. */
  model?: ModelChoice;
  /** Checkpoint to run; default seeded random weights for the variant. */
  weights?: string;
  backend?: string;
  entry?: 'net' | 'net_E';
  /** Images per forward pass. */
  batch: number;
  /** Timed forward passes. */
  runs: number;
  /** Untimed forward passes before the timed ones. */
  warmup: number;
  /** Seed of the random weights. */
  seed: number;
  /** Input resolution; default the model's native one. */
  size?: number;
  json: boolean;
}

/** The figures `--json` prints; the first seven keys are fixed, later ones may grow. */
export interface BenchResult {
  backend: string;
  model: string;
  batch: number;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  warmup: number;
  /** The very first forward pass on the loaded model, readback included. */
  first_inference_ms: number;
  images_per_second: number;
  /** GFLOP/s at the median time, counting 2 FLOPs per multiply-add of countMacs. */
  gflops: number;
  macs_per_image: number;
  img_size: number;
  weights: string;
  /** Every timed pass, in order. */
  times_ms: number[];
  /**
   * The adapter of a backend that reports one (webgpu), such as
   * "llvmpipe-llvm-15-0-6-256-bits- (software)"; absent otherwise. A
   * software adapter runs the GPU kernels on the CPU.
   */
  device?: string;
}

/**
 * Times forward passes of a model on one backend: `warmup` untimed passes,
 * then `runs` timed ones. Each pass runs the network on one uploaded input
 * batch and reads the logits back to the host, so a GPU backend's queue is
 * drained inside the timing.
 */
export async function benchCommand(options: BenchOptions, reporter: Reporter): Promise<BenchResult> {
  const choice = options.model ?? (options.weights ? 'auto' : 't2');
  if (!options.weights && choice === 'auto') {
    throw new CommandError('--model auto needs --weights to infer the architecture; name a variant (t2, t4, s6, b1, b2, b4) to benchmark random weights');
  }
  const backend = await selectBackend(options.backend, reporter.debug);
  const { model, weights } = await buildModel(options.weights, choice, options, backend);

  try {
    const size = model.imgSize;
    const input = tensor(inputPattern(options.batch * 3 * size * size), [options.batch, 3, size, size], backend);
    let firstInferenceMs = 0;
    const times: number[] = [];
    const progress = createProgress(options.warmup + options.runs, 'passes');
    try {
      for (let pass = 0; pass < options.warmup + options.runs; pass++) {
        const elapsed = await timeForwardPass(model, input);
        if (pass === 0) firstInferenceMs = elapsed;
        if (pass >= options.warmup) times.push(elapsed);
        progress.update(pass + 1);
      }
    } finally {
      progress.stop();
      input.dispose();
    }

    const result = summarize(options, model, backend, weights, firstInferenceMs, times);
    if (options.json) reporter.info(JSON.stringify(result, null, 2));
    else printResult(result, reporter);
    return result;
  } finally {
    model.dispose();
  }
}

/** Loads the checkpoint, or without one builds the variant with seeded random fused weights. */
async function buildModel(
  checkpoint: string | undefined,
  choice: ModelChoice,
  options: BenchOptions,
  backend: Backend,
): Promise<{ model: MobileMamba; weights: string }> {
  const imgSize = options.size ? { imgSize: options.size } : {};
  if (checkpoint) {
    const model = await loadModel(checkpoint, {
      model: choice,
      backend,
      ...imgSize,
      ...(options.entry ? { entry: options.entry } : {}),
    });
    return { model, weights: checkpoint };
  }

  // program.ts restricts --model to the variant names and 'auto', and benchCommand has rejected 'auto' here.
  const variant = choice as VariantName;
  const stateDict = randomStateDict(planFromConfig(VARIANTS[variant]), options.seed);
  const model = MobileMamba.fromStateDict(stateDict, { model: variant, backend, ...imgSize });
  return { model, weights: `random (seed ${options.seed})` };
}

/** Runs one forward pass and reads the logits back; returns the elapsed milliseconds. */
async function timeForwardPass(model: MobileMamba, input: Tensor): Promise<number> {
  const started = performance.now();
  const logits = model.forward(input);
  try {
    await logits.data();
    return performance.now() - started;
  } finally {
    logits.dispose();
  }
}

/** Returns input values in [-1, 1] from a fixed pattern, the same on every run. */
function inputPattern(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(0.37 * i));
}

/** Names the adapter of a backend that reports one, as the webgpu backend does; undefined for other backends. */
function describeDevice(backend: Backend): string | undefined {
  const adapter = (backend as { adapter?: AdapterDescription | null }).adapter;
  if (!adapter) return undefined;
  const name = adapter.device || adapter.description || adapter.vendor || 'unnamed adapter';
  return adapter.software ? `${name} (software)` : name;
}

function summarize(
  options: BenchOptions,
  model: MobileMamba,
  backend: Backend,
  weights: string,
  firstInferenceMs: number,
  times: number[],
): BenchResult {
  const sorted = [...times].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  const macs = model.description.macs;
  const device = describeDevice(backend);

  return {
    backend: backend.name,
    model: model.description.variant ?? 'custom',
    batch: options.batch,
    runs: options.runs,
    median_ms: round(median),
    min_ms: round(sorted[0]),
    max_ms: round(sorted[sorted.length - 1]),
    warmup: options.warmup,
    first_inference_ms: round(firstInferenceMs),
    images_per_second: round((1000 * options.batch) / median),
    gflops: round((2 * macs * options.batch) / (median * 1e6)),
    macs_per_image: macs,
    img_size: model.imgSize,
    weights,
    times_ms: times.map(round),
    ...(device === undefined ? {} : { device }),
  };
}

/** Rounds to three decimals, which is microseconds for times in milliseconds. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function printResult(result: BenchResult, reporter: Reporter): void {
  const name = result.model === 'custom' ? 'custom MobileMamba' : `MobileMamba ${result.model.toUpperCase()}`;
  reporter.info(
    `${name} on backend ${result.backend}${result.device ? `, device ${result.device}` : ''}, batch ${result.batch}, ` +
      `${result.img_size} x ${result.img_size}, weights ${result.weights}`,
  );
  reporter.info(`  first inference  ${result.first_inference_ms.toFixed(1)} ms`);
  reporter.info(
    `  median           ${result.median_ms.toFixed(1)} ms (min ${result.min_ms.toFixed(1)}, max ${result.max_ms.toFixed(1)}) ` +
      `over ${result.runs} run${result.runs === 1 ? '' : 's'} after ${result.warmup} warm-up`,
  );
  reporter.info(`  throughput       ${result.images_per_second.toFixed(2)} images/s, ${result.gflops.toFixed(2)} GFLOP/s`);
}

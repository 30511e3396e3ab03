import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnnxModel, ortNodeTasks, ortWebTask } from './anchors/onnx.js';
import { loadTfjs, tfjsTasks, TFJS_ANCHOR } from './anchors/tfjs.js';
import { BACKEND_NAMES, destroyBackends, loadBackends, type BackendName, type LoadedBackend } from './backends.js';
import { modelTasks } from './cases/models.js';
import { OP_GROUPS, t2OpCases, type OpCase } from './cases/op-cases.js';
import { opTasks } from './cases/ops.js';
import { ISOLATED_BACKENDS, runBackendInChild, workerFromEnv, writePart } from './isolation.js';
import { cpuActivity, describeMachine, loadAverage, takeCpuSnapshot } from './machine.js';
import type { SampleSettings } from './measure.js';
import { parseOptions, USAGE, UsageError, type BenchConfig } from './options.js';
import { OutputFolderError, prepareOutputFolder, writeOutputs, type OutputPaths } from './output-files.js';
import { ChildProgress, ProgressBoard, type TaskProgress } from './progress.js';
import { PYTORCH_T2_QUOTE, type BackendReport, type RunReport } from './report.js';
import type { AbsentEntry, ResultRow, Section, Task } from './results.js';
import { runTasks } from './run-tasks.js';
import { DEFAULT_SIMD_PEAK_SETTINGS, measureSimdPeak, type SimdPeak } from './simd-peak.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Intra-op thread counts of the onnxruntime-node anchor. */
const ORT_NODE_THREADS = [1, 2];

/** Names a loaded backend for the progress output, such as "webgpu on llvmpipe (software), init 125 ms". */
function describeLoaded(loaded: LoadedBackend): string {
  return `${loaded.name}${loaded.device ? ` on ${loaded.device.name}` : ''}, init ${loaded.initMs} ms`;
}

/** Keeps the op cases whose group or id the --ops list names. */
function selectOpCases(requested: readonly string[]): OpCase[] {
  const cases = t2OpCases();
  if (requested.length === 0) return cases;
  const known = new Set<string>([...OP_GROUPS, ...cases.map((opCase) => opCase.id)]);
  const unknown = requested.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new UsageError(`--ops: unknown ${unknown.map((name) => `'${name}'`).join(', ')} (groups: ${OP_GROUPS.join(', ')}; cases: ${cases.map((c) => c.id).join(', ')})`);
  }
  return cases.filter((opCase) => requested.includes(opCase.group) || requested.includes(opCase.id));
}

/**
 * Sample settings per section; --runs, --warmup and --max-seconds override
 * the defaults. The time limit, not the backend's name, decides how many
 * calls a slow case gets.
 */
function settingsFor(config: BenchConfig) {
  const make = (defaults: { warmup: number; runs: number; minRuns: number; maxSeconds: number; targetSampleMs: number }): SampleSettings => {
    const runs = config.runs ?? defaults.runs;
    return {
      warmup: config.warmup ?? defaults.warmup,
      // An explicit --warmup is made in full; the default stops early on a slow case.
      minWarmup: config.warmup ?? 1,
      runs,
      minRuns: Math.min(defaults.minRuns, runs),
      maxSeconds: config.maxSeconds ?? defaults.maxSeconds,
      targetSampleMs: defaults.targetSampleMs,
    };
  };
  return {
    // Op calls take microseconds to milliseconds, so each sample repeats the call for about 5 ms.
    ops: make({ warmup: 3, runs: 20, minRuns: 3, maxSeconds: 3, targetSampleMs: 5 }),
    // A B1 pass at batch 8 takes tens of seconds on the reference and software GPU backends,
    // so such a case gets its first call and one sample.
    models: make({ warmup: 2, runs: 10, minRuns: 1, maxSeconds: 10, targetSampleMs: 0 }),
    // The fixture documentation timed onnxruntime with 3 warm-up runs and 20 timed runs.
    onnx: make({ warmup: 3, runs: 20, minRuns: 3, maxSeconds: 10, targetSampleMs: 0 }),
  };
}

/**
 * Loads the requested anchor runtimes and returns their tasks. A runtime
 * that fails to load is recorded as absent.
 */
async function anchorTasks(config: BenchConfig, opCases: readonly OpCase[], absent: AbsentEntry[]): Promise<Task[]> {
  const settings = settingsFor(config);
  const tasks: Task[] = [];
  const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

  if (config.anchors.includes('tfjs-wasm') && opCases.some((opCase) => opCase.conv)) {
    try {
      tasks.push(...tfjsTasks(await loadTfjs(), opCases, settings.ops));
    } catch (error) {
      absent.push({ section: 'anchors', backend: TFJS_ANCHOR, reason: reason(error) });
    }
  }

  const wantsNode = config.anchors.includes('onnxruntime-node');
  const wantsWeb = config.anchors.includes('onnxruntime-web');
  if (!wantsNode && !wantsWeb) return tasks;
  let modelPath: string;
  try {
    modelPath = findOnnxModel();
  } catch (error) {
    if (wantsNode) absent.push({ section: 'anchors', backend: 'onnxruntime-node', reason: reason(error) });
    if (wantsWeb) absent.push({ section: 'anchors', backend: 'onnxruntime-web', reason: reason(error) });
    return tasks;
  }
  if (wantsNode) {
    try {
      tasks.push(...ortNodeTasks(modelPath, ORT_NODE_THREADS, settings.onnx));
    } catch (error) {
      absent.push({ section: 'anchors', backend: 'onnxruntime-node', reason: reason(error) });
    }
  }
  if (wantsWeb) tasks.push(ortWebTask(modelPath, settings.onnx));
  return tasks;
}

/** Returns the section that lists a backend missing from the whole run. */
function absentBackendSection(config: BenchConfig): Section {
  return config.sections.includes('ops') ? 'ops' : 'models';
}

function backendReport({ name, device, initMs }: LoadedBackend): BackendReport {
  return { name, ...(device ? { device: device.name, device_details: device.details } : {}), init_ms: initMs };
}

/**
 * Loads the named backends in this process and runs their op and
 * whole-model cases. Backends that do not load and cases that fail are
 * added to `absent`.
 */
async function measureBackends(
  names: readonly BackendName[],
  config: BenchConfig,
  opCases: readonly OpCase[],
  absent: AbsentEntry[],
  progress: TaskProgress,
  afterTask?: (part: { backends: BackendReport[]; rows: readonly ResultRow[] }) => Promise<void>,
): Promise<{ backends: BackendReport[]; rows: ResultRow[] }> {
  const { loaded, absent: missing } = await loadBackends(names);
  for (const entry of missing) {
    absent.push({ section: absentBackendSection(config), backend: entry.name, reason: entry.reason });
    progress.log(`backend ${entry.name} absent: ${entry.reason}`);
  }
  progress.log(`backends: ${loaded.map(describeLoaded).join('; ') || 'none'}`);
  const backends = loaded.map(backendReport);
  await afterTask?.({ backends, rows: [] });

  const settings = settingsFor(config);
  const tasks: Task[] = [];
  if (config.sections.includes('ops')) tasks.push(...opTasks(opCases, loaded, settings.ops));
  if (config.sections.includes('models')) tasks.push(...modelTasks(config.models, config.batches, loaded, settings.models));
  try {
    const rows = await runTasks(tasks, absent, progress, async (rowsSoFar) => afterTask?.({ backends, rows: rowsSoFar }));
    return { backends, rows };
  } finally {
    await destroyBackends(loaded);
  }
}

/**
 * Runs one isolated backend's cases as the child process that
 * runBackendInChild started, and writes them to its part file.
 */
async function runWorker(worker: { backend: BackendName; partFile: string }, config: BenchConfig, opCases: readonly OpCase[]): Promise<number> {
  const absent: AbsentEntry[] = [];
  await measureBackends([worker.backend], config, opCases, absent, new ChildProgress(), async ({ backends, rows }) => {
    await writePart(worker.partFile, { backends, rows: [...rows], absent });
  });
  return 0;
}

/**
 * Counts the tasks the run plans before anything loads: the op and model
 * cases of each backend, and the anchor tasks. The progress display starts
 * from this total and takes off what could not run.
 */
function planTasks(config: BenchConfig, opCases: readonly OpCase[]): { perBackend: number; anchors: number } {
  const ops = config.sections.includes('ops') ? opCases.length : 0;
  const models = config.sections.includes('models') ? config.models.length * config.batches.length : 0;
  if (!config.sections.includes('anchors')) return { perBackend: ops + models, anchors: 0 };

  const tfjs = config.anchors.includes('tfjs-wasm') ? opCases.filter((opCase) => opCase.conv).length : 0;
  const ortNode = config.anchors.includes('onnxruntime-node') ? ORT_NODE_THREADS.length : 0;
  const ortWeb = config.anchors.includes('onnxruntime-web') ? 1 : 0;
  return { perBackend: ops + models, anchors: tfjs + ortNode + ortWeb };
}

/**
 * Measures the WebAssembly SIMD peak on one thread and on as many threads
 * as the cpu backend uses by default (os.availableParallelism()). A
 * failure is recorded, not raised, so the benchmarks still run.
 */
async function probeSimdPeak(): Promise<{ peak: SimdPeak | null; error?: string }> {
  const threads = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  try {
    const peak = await measureSimdPeak({ ...DEFAULT_SIMD_PEAK_SETTINGS, threads });
    log(`WebAssembly SIMD peak: ${peak.one_thread_gflops} GFLOP/s on 1 thread, ${peak.all_threads_gflops} GFLOP/s on ${peak.threads} threads`);
    return { peak };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`WebAssembly SIMD peak not measured: ${reason}`);
    return { peak: null, error: reason };
  }
}

/**
 * Reminds the user to point the repository README at the new chart when a
 * run wrote into this package's own folder and the README links another.
 */
async function checkReadmeLink(config: BenchConfig, paths: OutputPaths): Promise<void> {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  if (resolve(config.outputDir) !== resolve(packageDir)) return;

  const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url));
  const chart = `benchmarks/results/${basename(paths.chart)}`;
  try {
    const readme = await readFile(readmePath, 'utf8');
    if (!readme.includes(chart)) log(`README.md does not link the new chart yet: point its Benchmarks section at ${chart}`);
  } catch {
    // Outside a checkout of the repository there is no README to check.
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let config: BenchConfig;
  let opCases: OpCase[];
  try {
    config = parseOptions(argv);
    opCases = config.sections.includes('ops') || config.sections.includes('anchors') ? selectOpCases(config.ops) : [];
  } catch (error) {
    log(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const worker = workerFromEnv();
  if (worker) return runWorker(worker, config, opCases);

  try {
    prepareOutputFolder(config.outputDir);
  } catch (error) {
    if (!(error instanceof OutputFolderError)) throw error;
    log(`bench: ${error.message}`);
    return 2;
  }

  const started = performance.now();
  const cpuAtStart = takeCpuSnapshot();
  const loadAtStart = loadAverage()[0];
  const machine = describeMachine();
  log(`machine: ${machine.cpu} (id ${machine.id}), ${machine.cores} logical cores, Node ${machine.node}, ${machine.os}, load average ${loadAtStart}`);
  const simd = await probeSimdPeak();

  const plan = planTasks(config, opCases);
  const progress = new ProgressBoard(plan.perBackend * config.backends.length + plan.anchors);
  const absent: AbsentEntry[] = [];
  const backends: BackendReport[] = [];
  const rows: ResultRow[] = [];
  try {
    if (plan.perBackend > 0) {
      const inProcess = config.backends.filter((name) => !ISOLATED_BACKENDS.includes(name));
      if (inProcess.length > 0) {
        const measured = await measureBackends(inProcess, config, opCases, absent, progress);
        backends.push(...measured.backends);
        rows.push(...measured.rows);
        progress.endPhase(plan.perBackend * inProcess.length);
      }
      for (const name of BACKEND_NAMES.filter((known) => ISOLATED_BACKENDS.includes(known) && config.backends.includes(known))) {
        const part = await runBackendInChild(name, argv, absentBackendSection(config), progress);
        backends.push(...part.backends);
        rows.push(...part.rows);
        absent.push(...part.absent);
        progress.endPhase(plan.perBackend);
      }
    }
    if (config.sections.includes('anchors')) {
      rows.push(...(await runTasks(await anchorTasks(config, opCases, absent), absent, progress)));
      progress.endPhase(plan.anchors);
    }
  } finally {
    progress.stop();
  }

  const report: RunReport = {
    generated_at: new Date().toISOString(),
    arguments: argv.filter((arg) => arg !== '--'),
    machine,
    simd_peak: simd.peak,
    ...(simd.error ? { simd_peak_error: simd.error } : {}),
    load_average: { start: loadAtStart, end: loadAverage()[0] },
    cpu_activity: cpuActivity(cpuAtStart, takeCpuSnapshot()),
    duration_s: Math.round((performance.now() - started) / 1000),
    quoted: PYTORCH_T2_QUOTE,
    backends,
    rows: rows.map((row) => ({ machine: machine.id, ...row })),
    absent,
  };
  const { paths, markdown } = await writeOutputs(config.outputDir, report);

  process.stdout.write(markdown);
  log(`wrote ${paths.newestMarkdown}, ${paths.json}, ${paths.markdown} and ${paths.chart}`);
  await checkReadmeLink(config, paths);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);

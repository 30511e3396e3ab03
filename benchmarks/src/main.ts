import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
import { renderMarkdown, PYTORCH_T2_QUOTE, type BackendReport, type RunReport } from './report.js';
import type { AbsentEntry, ResultRow, Section, Task } from './results.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

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
      tasks.push(...ortNodeTasks(modelPath, [1, 2], settings.onnx));
    } catch (error) {
      absent.push({ section: 'anchors', backend: 'onnxruntime-node', reason: reason(error) });
    }
  }
  if (wantsWeb) tasks.push(ortWebTask(modelPath, settings.onnx));
  return tasks;
}

/**
 * Runs the tasks one after another, printing a progress line per task on
 * stderr. `afterTask` receives the rows so far after each task.
 */
async function runTasks(
  tasks: readonly Task[],
  absent: AbsentEntry[],
  afterTask: (rows: readonly ResultRow[]) => Promise<void> = async () => {},
): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const [index, task] of tasks.entries()) {
    const prefix = `[${index + 1}/${tasks.length}] ${task.section} ${task.backend} ${task.label}`;
    try {
      const taskRows = await task.run();
      rows.push(...taskRows);
      const medians = taskRows.map((row) => `${row.op ? `${row.op} ` : ''}median ${row.median_ms} ms over ${row.runs} runs`);
      log(`${prefix}: ${medians.join(', ')}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      absent.push({ section: task.section, backend: task.backend, case: task.case, reason });
      log(`${prefix}: failed: ${reason}`);
    }
    await afterTask(rows);
  }
  return rows;
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
  afterTask?: (part: { backends: BackendReport[]; rows: readonly ResultRow[] }) => Promise<void>,
): Promise<{ backends: BackendReport[]; rows: ResultRow[] }> {
  const { loaded, absent: missing } = await loadBackends(names);
  for (const entry of missing) {
    absent.push({ section: absentBackendSection(config), backend: entry.name, reason: entry.reason });
    log(`backend ${entry.name} absent: ${entry.reason}`);
  }
  log(`backends: ${loaded.map(describeLoaded).join('; ') || 'none'}`);
  const backends = loaded.map(backendReport);
  await afterTask?.({ backends, rows: [] });

  const settings = settingsFor(config);
  const tasks: Task[] = [];
  if (config.sections.includes('ops')) tasks.push(...opTasks(opCases, loaded, settings.ops));
  if (config.sections.includes('models')) tasks.push(...modelTasks(config.models, config.batches, loaded, settings.models));
  try {
    const rows = await runTasks(tasks, absent, async (rowsSoFar) => afterTask?.({ backends, rows: rowsSoFar }));
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
  await measureBackends([worker.backend], config, opCases, absent, async ({ backends, rows }) => {
    await writePart(worker.partFile, { backends, rows: [...rows], absent });
  });
  return 0;
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

  const started = performance.now();
  const cpuAtStart = takeCpuSnapshot();
  const loadAtStart = loadAverage()[0];
  const machine = describeMachine();
  log(`machine: ${machine.cpu}, ${machine.cores} logical cores, Node ${machine.node}, ${machine.os}, load average ${loadAtStart}`);

  const absent: AbsentEntry[] = [];
  const backends: BackendReport[] = [];
  const rows: ResultRow[] = [];
  if (config.sections.includes('ops') || config.sections.includes('models')) {
    const inProcess = config.backends.filter((name) => !ISOLATED_BACKENDS.includes(name));
    if (inProcess.length > 0) {
      const measured = await measureBackends(inProcess, config, opCases, absent);
      backends.push(...measured.backends);
      rows.push(...measured.rows);
    }
    for (const name of BACKEND_NAMES.filter((known) => ISOLATED_BACKENDS.includes(known) && config.backends.includes(known))) {
      const part = await runBackendInChild(name, argv, absentBackendSection(config), log);
      backends.push(...part.backends);
      rows.push(...part.rows);
      absent.push(...part.absent);
    }
  }
  if (config.sections.includes('anchors')) rows.push(...(await runTasks(await anchorTasks(config, opCases, absent), absent)));

  const report: RunReport = {
    generated_at: new Date().toISOString(),
    arguments: argv.filter((arg) => arg !== '--'),
    machine,
    load_average: { start: loadAtStart, end: loadAverage()[0] },
    cpu_activity: cpuActivity(cpuAtStart, takeCpuSnapshot()),
    duration_s: Math.round((performance.now() - started) / 1000),
    quoted: PYTORCH_T2_QUOTE,
    backends,
    rows,
    absent,
  };
  const markdown = renderMarkdown(report);
  await mkdir(join(config.outputDir, 'results'), { recursive: true });
  await writeFile(join(config.outputDir, 'RESULTS.md'), markdown);
  await writeFile(join(config.outputDir, 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);

  process.stdout.write(markdown);
  log(`wrote ${join(config.outputDir, 'RESULTS.md')} and ${join(config.outputDir, 'results', 'latest.json')}`);
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

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findOnnxModel, ortNodeTasks, ortWebTask } from './anchors/onnx.js';
import { loadTfjs, tfjsTasks, TFJS_ANCHOR } from './anchors/tfjs.js';
import { destroyBackends, loadBackends, type LoadedBackend } from './backends.js';
import { modelTasks } from './cases/models.js';
import { OP_GROUPS, t2OpCases, type OpCase } from './cases/op-cases.js';
import { opTasks } from './cases/ops.js';
import { cpuActivity, describeMachine, loadAverage, takeCpuSnapshot } from './machine.js';
import type { SampleSettings } from './measure.js';
import { parseOptions, USAGE, UsageError, type BenchConfig } from './options.js';
import { renderMarkdown, PYTORCH_T2_QUOTE, type RunReport } from './report.js';
import type { AbsentEntry, ResultRow, Task } from './results.js';

const log = (line: string) => process.stderr.write(`${line}\n`);

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

/** Sample settings per section; --runs, --warmup and --max-seconds override the defaults. */
function settingsFor(config: BenchConfig) {
  const make = (warmup: number, runs: number, targetSampleMs: number): SampleSettings => {
    const finalRuns = config.runs ?? runs;
    return {
      warmup: config.warmup ?? warmup,
      runs: finalRuns,
      minRuns: Math.min(3, finalRuns),
      maxSeconds: config.maxSeconds,
      targetSampleMs,
    };
  };
  return {
    // Op calls take microseconds to milliseconds, so each sample repeats the call for about 5 ms.
    ops: make(3, 20, 5),
    model: (backend: LoadedBackend) => (backend.slow ? make(1, 3, 0) : make(2, 10, 0)),
    // The fixture documentation timed onnxruntime with 3 warm-up runs and 20 timed runs.
    onnx: make(3, 20, 0),
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

/** Runs the tasks one after another, printing a progress line per task on stderr. */
async function runTasks(tasks: readonly Task[], absent: AbsentEntry[]): Promise<ResultRow[]> {
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
  }
  return rows;
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

  const started = performance.now();
  const cpuAtStart = takeCpuSnapshot();
  const loadAtStart = loadAverage()[0];
  const machine = describeMachine();
  log(`machine: ${machine.cpu}, ${machine.cores} logical cores, Node ${machine.node}, ${machine.os}, load average ${loadAtStart}`);

  const absent: AbsentEntry[] = [];
  const wantsOurs = config.sections.includes('ops') || config.sections.includes('models');
  const { loaded, absent: missing } = wantsOurs ? await loadBackends(config.backends) : { loaded: [], absent: [] };
  for (const entry of missing) {
    absent.push({ section: config.sections.includes('ops') ? 'ops' : 'models', backend: entry.name, reason: entry.reason });
    log(`backend ${entry.name} absent: ${entry.reason}`);
  }
  log(`backends: ${loaded.map((b) => b.name).join(', ') || 'none'}`);

  const settings = settingsFor(config);
  const tasks: Task[] = [];
  if (config.sections.includes('ops')) tasks.push(...opTasks(opCases, loaded, settings.ops));
  if (config.sections.includes('models')) tasks.push(...modelTasks(config.models, config.batches, loaded, settings.model));
  if (config.sections.includes('anchors')) tasks.push(...(await anchorTasks(config, opCases, absent)));

  let rows: ResultRow[];
  try {
    rows = await runTasks(tasks, absent);
  } finally {
    await destroyBackends(loaded);
  }

  const report: RunReport = {
    generated_at: new Date().toISOString(),
    arguments: argv.filter((arg) => arg !== '--'),
    machine,
    load_average: { start: loadAtStart, end: loadAverage()[0] },
    cpu_activity: cpuActivity(cpuAtStart, takeCpuSnapshot()),
    duration_s: Math.round((performance.now() - started) / 1000),
    quoted: PYTORCH_T2_QUOTE,
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

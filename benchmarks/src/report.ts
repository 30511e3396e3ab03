import type { CpuActivity, MachineDescription } from './machine.js';
import type { AbsentEntry, ResultRow } from './results.js';

/**
 * PyTorch's time for the fused T2 at batch 1, quoted from fixtures/README.md
 * (section "anchors/") and not measured by this program. It is PyTorch
 * 1.13.1 on the CPU with one thread: the median of 20 runs after 3 warm-up
 * runs, on a two-core machine.
 */
export const PYTORCH_T2_QUOTE = {
  runtime: 'PyTorch 1.13.1 CPU, fused T2, 1 thread',
  median_ms: 25,
  source: 'fixtures/README.md, section "anchors/"',
} as const;

/** One of our backends as loaded for the run. */
export interface BackendReport {
  name: string;
  /** The device of a GPU backend, such as "llvmpipe (software)". */
  device?: string;
  /** Driver, version and how the device was found. */
  device_details?: string;
  /** Milliseconds that init() took. */
  init_ms: number;
}

/** Everything one run produced, as latest.json stores it. */
export interface RunReport {
  generated_at: string;
  /** The options as given on the command line. */
  arguments: string[];
  machine: MachineDescription;
  /** 1-minute load average when the run started and when it ended. */
  load_average: { start: number; end: number };
  /** Share of the cores in use during the run, split between this program and other processes. */
  cpu_activity: CpuActivity | null;
  duration_s: number;
  quoted: typeof PYTORCH_T2_QUOTE;
  /** Our backends that loaded; those that did not are in `absent`. */
  backends: BackendReport[];
  rows: ResultRow[];
  absent: AbsentEntry[];
}

/** Formats milliseconds with three or four significant digits. */
function ms(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Formats the fastest and slowest sample, or '-' for a single sample. */
function spread(row: ResultRow): string {
  return row.runs > 1 ? `${ms(row.min_ms)}-${ms(row.max_ms)}` : '-';
}

/** Names the backend and, for a GPU backend, its device: "webgpu on llvmpipe (software)". */
function backendLabel(row: ResultRow): string {
  return row.device ? `${row.backend} on ${row.device}` : row.backend;
}

function gflops(row: ResultRow): string {
  return row.gflops === null ? '-' : row.gflops.toPrecision(3);
}

/** Our median over the anchor's: 2.00x means ours takes twice as long. */
function ratio(ours: number, anchor: number): string {
  return `${(ours / anchor).toFixed(2)}x`;
}

function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function opTable(rows: readonly ResultRow[]): string {
  const ours = rows.filter((row) => row.section === 'ops');
  const anchors = rows.filter((row) => row.section === 'anchors' && row.case !== 't2');
  if (ours.length === 0) return '_Not run._';

  return table(
    ['backend', 'case', 'shape', 'median (ms)', 'spread (ms)', 'first call (ms)', 'GFLOP/s', 'vs tfjs-wasm'],
    ours.map((row) => {
      const matches = anchors.filter((anchor) => anchor.case === row.case);
      const ratios = matches.map((anchor) => `${ratio(row.median_ms, anchor.median_ms)} ${anchor.op ?? anchor.backend}`).join(', ');
      return [backendLabel(row), row.case, row.shape, ms(row.median_ms), spread(row), ms(row.first_ms), gflops(row), ratios || '-'];
    }),
  );
}

function modelTable(rows: readonly ResultRow[]): string {
  const ours = rows.filter((row) => row.section === 'models');
  const anchors = rows.filter((row) => row.section === 'anchors' && row.case === 't2');
  if (ours.length === 0) return '_Not run._';

  const header = ['backend', 'model', 'input', 'median (ms)', 'spread (ms)', 'runs', 'first call (ms)', 'images/s', 'GFLOP/s'];
  header.push(...anchors.map((anchor) => `vs ${anchor.backend}`), `vs PyTorch (quoted, ${PYTORCH_T2_QUOTE.median_ms} ms)`);
  return table(
    header,
    ours.map((row) => {
      // The anchors run T2 at batch 1 only, so only those rows get ratios.
      const comparable = row.case === 't2' && row.batch === 1;
      return [
        backendLabel(row),
        row.case.toUpperCase(),
        row.shape,
        ms(row.median_ms),
        spread(row),
        String(row.runs),
        ms(row.first_ms),
        (row.images_per_second ?? 0).toPrecision(3),
        gflops(row),
        ...anchors.map((anchor) => (comparable ? ratio(row.median_ms, anchor.median_ms) : '-')),
        comparable ? ratio(row.median_ms, PYTORCH_T2_QUOTE.median_ms) : '-',
      ];
    }),
  );
}

/** Lists each anchor runtime's versions and settings once, then a row per measured case. */
function anchorTable(rows: readonly ResultRow[]): string {
  const anchors = rows.filter((row) => row.section === 'anchors');
  if (anchors.length === 0) return '_Not run._';

  const notes = new Map<string, string>();
  for (const row of anchors) if (row.notes) notes.set(row.backend, row.notes);
  const runtimes = [...notes].map(([backend, note]) => `- ${backend}: ${note}`).join('\n');
  const rowsTable = table(
    ['runtime', 'op', 'case', 'shape', 'median (ms)', 'spread (ms)', 'GFLOP/s'],
    anchors.map((row) => [row.backend, row.op ?? '-', row.case, row.shape, ms(row.median_ms), spread(row), gflops(row)]),
  );
  return `${runtimes}\n\n${rowsTable}`;
}

/** Lists the backends that loaded, with the device of each GPU backend and the time init() took. */
function backendTable(backends: readonly BackendReport[]): string {
  if (backends.length === 0) return '_None loaded._';
  return table(
    ['backend', 'device', 'init (ms)', 'details'],
    backends.map((backend) => [backend.name, backend.device ?? 'host CPU', String(backend.init_ms), backend.device_details ?? '-']),
  );
}

function absentList(absent: readonly AbsentEntry[]): string {
  if (absent.length === 0) return 'Every requested backend, anchor and case ran.';
  return absent
    .map((entry) => `- ${entry.section}, ${entry.backend}${entry.case ? `, ${entry.case}` : ''}: ${entry.reason.replace(/\s+/g, ' ')}`)
    .join('\n');
}

/** States how much of the machine other processes used, which slows every case and widens the spread. */
function describeActivity(report: RunReport): string {
  const load = `1-minute load average ${report.load_average.start} at the start and ${report.load_average.end} at the end`;
  const activity = report.cpu_activity;
  if (!activity) return `${load}; per-process CPU figures are not available on this system.`;
  return (
    `During the run the cores were ${activity.all_percent}% busy: ${activity.this_process_percent}% this program, ` +
    `${activity.other_processes_percent}% other processes (from /proc/stat, /proc/self/stat and process.cpuUsage()); ${load}.`
  );
}

/** Renders RESULTS.md. */
export function renderMarkdown(report: RunReport): string {
  const { machine } = report;
  const options = report.arguments.length > 0 ? `\`${report.arguments.join(' ')}\`` : 'the default options';
  return `# Benchmark results

Produced by \`pnpm bench\` at the repository root on ${report.generated_at.slice(0, 10)} (${report.generated_at}), with ${options}, in ${report.duration_s} s including model building. \`pnpm bench -- --help\` lists the options; [README.md](README.md) says what each section measures.

## Machine

- CPU: ${machine.cpu}, ${machine.cores} logical cores, ${machine.memory_gib} GiB memory
- Node ${machine.node}, ${machine.os}
- ${describeActivity(report)}

## How to read the tables

- Times are per call in milliseconds: the median of the timed samples, and the spread from the fastest to the slowest sample ('-' for a single sample). Every call ends with the output read back to the host.
- "first call" is the first call of the case, timed on its own before the other warm-up calls. The webgl backend compiles its shaders there, for each new shape; the webgpu backend compiles its pipelines in init(), listed under Backends.
- A backend "on llvmpipe (software)" runs its GPU kernels on Mesa's llvmpipe, which rasterizes on the CPU cores. Its figures say nothing about a GPU.
- Slow cases get fewer samples: each case stops once the next sample is expected to end past its time limit (\`--max-seconds\`), after at least 3 samples per op case and 1 per model case. The model table gives the number of samples.
- GFLOP/s counts 2 FLOPs per multiply-add at the median time. Whole models use \`countMacs\` from @mobilemamba/models, the authors' counting rule.
- A ratio divides our median by the anchor's median: 2.00x means our backend takes twice as long, 0.50x half as long.
- PyTorch is quoted, not measured here: ${PYTORCH_T2_QUOTE.runtime}, median ${PYTORCH_T2_QUOTE.median_ms} ms at batch 1 (20 runs after 3 warm-up runs, on a two-core machine). Source: ${PYTORCH_T2_QUOTE.source}.

## Backends

${backendTable(report.backends)}

## Per-op cases

${opTable(report.rows)}

## Whole model

${modelTable(report.rows)}

## Anchors

${anchorTable(report.rows)}

## Not measured

${absentList(report.absent)}
`;
}

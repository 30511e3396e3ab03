import { backendLabel, formatMs } from './format.js';
import { PYTORCH_T2_QUOTE, type BackendReport, type RunReport } from './report.js';
import type { AbsentEntry, ResultRow } from './results.js';

/** Relative links from a markdown file to the other outputs of its run. */
export interface MarkdownLinks {
  /** The benchmarks README, which describes what each section measures. */
  readme: string;
  /** The SVG chart of the run. */
  chart: string;
  /** The JSON file of the run, with every sample. */
  json: string;
}

/** Formats the fastest and slowest sample, or '-' for a single sample. */
function spread(row: ResultRow): string {
  return row.runs > 1 ? `${formatMs(row.min_ms)}-${formatMs(row.max_ms)}` : '-';
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
      return [backendLabel(row), row.case, row.shape, formatMs(row.median_ms), spread(row), formatMs(row.first_ms), gflops(row), ratios || '-'];
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
        formatMs(row.median_ms),
        spread(row),
        String(row.runs),
        formatMs(row.first_ms),
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
    anchors.map((row) => [row.backend, row.op ?? '-', row.case, row.shape, formatMs(row.median_ms), spread(row), gflops(row)]),
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

/** States the measured SIMD peak, or why there is none. */
function describeSimdPeak(report: RunReport): string {
  const peak = report.simd_peak;
  if (!peak) return `WebAssembly SIMD peak: not measured (${report.simd_peak_error ?? 'no reason recorded'}).`;
  return (
    `WebAssembly SIMD peak, measured at the start of the run: ${peak.one_thread_gflops} GFLOP/s on 1 thread and ` +
    `${peak.all_threads_gflops} GFLOP/s on ${peak.threads} threads at once, the best of ${peak.samples} samples of about ${peak.sample_ms} ms. ` +
    `The probe runs ${peak.kernel}.`
  );
}

/**
 * Renders the markdown report of a run: RESULTS.md, and the dated copy
 * beside the run's JSON file and chart. `links` are relative to the file.
 */
export function renderMarkdown(report: RunReport, links: MarkdownLinks): string {
  const { machine } = report;
  const options = report.arguments.length > 0 ? `\`${report.arguments.join(' ')}\`` : 'the default options';
  return `# Benchmark results

Produced by \`pnpm bench\` at the repository root on ${report.generated_at.slice(0, 10)} (${report.generated_at}), with ${options}, in ${report.duration_s} s including model building. \`pnpm bench -- --help\` lists the options; [README.md](${links.readme}) says what each section measures. Every sample is in [${links.json.split('/').pop()}](${links.json}).

![Whole-model latency per backend and per-op GFLOP/s against the SIMD peak, on ${machine.cpu}](${links.chart})

## Machine

Every row below was measured on this machine, whose id \`${machine.id}\` names the output files and is stored on every row of the JSON file.

- CPU: ${machine.cpu}, ${machine.cores} logical cores, ${machine.memory_gib} GiB memory
- Node ${machine.node}, ${machine.os}
- ${describeSimdPeak(report)}
- ${describeActivity(report)}

## How to read the tables

- Times are per call in milliseconds: the median of the timed samples, and the spread from the fastest to the slowest sample ('-' for a single sample). Every call ends with the output read back to the host.
- "first call" is the first call of the case, timed on its own before the other warm-up calls. The webgl backend compiles its shaders there, for each new shape; the webgpu backend compiles its pipelines in init(), listed under Backends.
- A backend "on llvmpipe (software)" runs its GPU kernels on Mesa's llvmpipe, which rasterizes on the CPU cores. Its figures say nothing about a GPU.
- Slow cases get fewer samples: each case stops once the next sample is expected to end past its time limit (\`--max-seconds\`), after at least 3 samples per op case and 1 per model case. The model table gives the number of samples.
- GFLOP/s counts 2 FLOPs per multiply-add at the median time. Whole models use \`countMacs\` from @mobilemamba/models, the authors' counting rule. The SIMD peak counts a multiply and an add as one FLOP each, the same rule, so the two compare directly.
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

import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { VARIANT_NAMES, type VariantName } from '@mobilemamba/models';
import { BACKEND_NAMES, type BackendName } from './backends.js';
import { OP_GROUPS } from './cases/op-cases.js';
import type { Section } from './results.js';

export const SECTIONS: readonly Section[] = ['ops', 'models', 'anchors'];

/**
 * Largest --batches value. 256 images of B1 at 256 x 256 pixels are 200 MB
 * of input alone, and larger batches fail inside a backend instead of here.
 */
export const MAX_BATCH = 256;
export const ANCHOR_NAMES = ['tfjs-wasm', 'onnxruntime-node', 'onnxruntime-web'] as const;
export type AnchorName = (typeof ANCHOR_NAMES)[number];

/** Settings of one run of the program, after defaults. */
export interface BenchConfig {
  sections: Section[];
  backends: BackendName[];
  models: VariantName[];
  batches: number[];
  /** Op groups or case ids to run; empty runs every op case. */
  ops: string[];
  anchors: AnchorName[];
  /** Maximum timed samples per case; undefined keeps each section's default. */
  runs?: number;
  /** Untimed calls per case, the first call included; undefined keeps each section's default. */
  warmup?: number;
  /** Time limit per case in seconds, after its first call; undefined keeps each section's default. */
  maxSeconds?: number;
  /** Folder that receives RESULTS.md and the dated files in results/. */
  outputDir: string;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [-- options]

Options (lists are comma-separated):
  --sections <list>     sections to run: ${SECTIONS.join(', ')} (default: all)
  --backends <list>     our backends: ${BACKEND_NAMES.join(', ')} (default: all that load); webgpu and webgl
                        run in a child process each, webgl under xvfb-run -a when DISPLAY is unset
  --models <list>       variants for the whole-model section: ${VARIANT_NAMES.join(', ')} (default: t2,s6,b1)
  --batches <list>      batch sizes for the whole-model section, each at most ${MAX_BATCH} (default: 1,8)
  --ops <list>          op groups (${OP_GROUPS.join(', ')}) or case ids (default: all)
  --anchors <list>      anchor runtimes: ${ANCHOR_NAMES.join(', ')} (default: all)
  --runs <n>            maximum timed samples per case (default: 20 per op case, 10 per model case)
  --warmup <n>          untimed calls per case, the first call included, at least 1 (default: up to 3 per op
                        case and 2 per model case, fewer when they would take a quarter of --max-seconds)
  --max-seconds <s>     time limit per case, counted after its first call: once an op case has 3 samples and a
                        whole-model case 1, a warm-up call or sample starts only if it is expected to end within
                        the limit (default: 3 per op case, 10 per whole-model case, the same for the anchors)
  --output <dir>        folder for RESULTS.md and results/<date>-<machine id>.json, .md and .svg (default: the
                        benchmarks package, whose files are committed; pass another folder for partial runs)
  --help                print this text`;

/** Raised for an invalid command line; the program prints it with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseList<T extends string>(option: string, value: string | undefined, allowed: readonly T[], fallback: readonly T[]): T[] {
  if (value === undefined) return [...fallback];
  const items = value.split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--${option}: the list is empty (known: ${allowed.join(', ')})`);
  const unknown = items.filter((item) => !allowed.includes(item as T));
  if (unknown.length > 0) {
    throw new UsageError(`--${option}: unknown ${unknown.map((item) => `'${item}'`).join(', ')} (known: ${allowed.join(', ')})`);
  }
  return [...new Set(items)] as T[];
}

function parseCount(option: string, value: string | undefined, minimum: number, maximum = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  // Decimal digits only: Number() would also accept '0x2', '1e3' and ' 2'.
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < minimum || parsed > maximum) {
    throw new UsageError(`--${option} must be an integer from ${minimum} to ${maximum}, got '${value}'`);
  }
  return parsed;
}

/** Reads --ops; without it every op case runs, but an empty list is a mistake, not a request for all. */
function parseOps(value: string | undefined): string[] {
  if (value === undefined) return [];
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new UsageError(`--ops: the list is empty (groups: ${OP_GROUPS.join(', ')})`);
  return items;
}

/** Parses the command line; a bare `--` that pnpm or turbo pass through is ignored. */
export function parseOptions(argv: readonly string[]): BenchConfig {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      sections: { type: 'string' },
      backends: { type: 'string' },
      models: { type: 'string' },
      batches: { type: 'string' },
      ops: { type: 'string' },
      anchors: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      'max-seconds': { type: 'string' },
      output: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });

  const batchItems = (values.batches ?? '1,8').split(',').map((item) => item.trim()).filter(Boolean);
  if (batchItems.length === 0) throw new UsageError('--batches: the list is empty');
  const batches = batchItems.map((item) => parseCount('batches', item, 1, MAX_BATCH)!);
  const maxSeconds = values['max-seconds'] === undefined ? undefined : Number(values['max-seconds']);
  if (maxSeconds !== undefined && (!Number.isFinite(maxSeconds) || maxSeconds <= 0)) {
    throw new UsageError(`--max-seconds must be a positive number, got '${values['max-seconds']}'`);
  }

  return {
    sections: parseList('sections', values.sections, SECTIONS, SECTIONS),
    backends: parseList('backends', values.backends, BACKEND_NAMES, BACKEND_NAMES),
    models: parseList('models', values.models, VARIANT_NAMES, ['t2', 's6', 'b1']),
    batches: [...new Set(batches)],
    ops: parseOps(values.ops),
    anchors: parseList('anchors', values.anchors, ANCHOR_NAMES, ANCHOR_NAMES),
    runs: parseCount('runs', values.runs, 1),
    warmup: parseCount('warmup', values.warmup, 1),
    maxSeconds,
    outputDir: values.output ?? fileURLToPath(new URL('..', import.meta.url)),
    help: values.help ?? false,
  };
}

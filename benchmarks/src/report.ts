import type { CpuActivity, MachineDescription } from './machine.js';
import type { AbsentEntry, ResultRow } from './results.js';
import type { SimdPeak } from './simd-peak.js';

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

/** A result row as the report stores it, with the id of the machine that measured it. */
export type ReportRow = ResultRow & { machine: string };

/** Everything one run produced, as the dated JSON file stores it. */
export interface RunReport {
  generated_at: string;
  /** The options as given on the command line. */
  arguments: string[];
  machine: MachineDescription;
  /** The WebAssembly SIMD peak measured at the start of the run, or null with the reason in `simd_peak_error`. */
  simd_peak: SimdPeak | null;
  simd_peak_error?: string;
  /** 1-minute load average when the run started and when it ended. */
  load_average: { start: number; end: number };
  /** Share of the cores in use during the run, split between this program and other processes. */
  cpu_activity: CpuActivity | null;
  duration_s: number;
  quoted: typeof PYTORCH_T2_QUOTE;
  /** Our backends that loaded; those that did not are in `absent`. */
  backends: BackendReport[];
  rows: ReportRow[];
  absent: AbsentEntry[];
}

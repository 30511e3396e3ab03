import type { ReportRow, RunReport } from '../src/report.js';
import { PYTORCH_T2_QUOTE } from '../src/report.js';
import type { Section } from '../src/results.js';

/** Builds a result row with a given median. The spread is ±10 %, and `gflops` follows from the FLOPs at the median. */
export function row(section: Section, backend: string, caseId: string, median: number, extra: Partial<ReportRow> = {}): ReportRow {
  const flops = extra.flops === undefined ? 1e9 : extra.flops;
  return {
    machine: 'test-cpu-4c',
    section,
    backend,
    case: caseId,
    label: caseId,
    shape: '[1, 3, 192, 192]',
    flops,
    gflops: flops === null ? null : Number((flops / (median * 1e6)).toPrecision(4)),
    median_ms: median,
    min_ms: median * 0.9,
    max_ms: median * 1.1,
    runs: 10,
    calls_per_sample: 1,
    warmup_calls: 2,
    first_ms: median * 2,
    samples_ms: [median],
    ...extra,
  };
}

/** Builds a small run: two backends on two op cases and on T2 at batch 1 and 8, with tfjs and onnxruntime anchors. */
export function sampleReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    generated_at: '2026-12-04T21:59:25.313Z',
    arguments: [],
    machine: { id: 'test-cpu-4c', cpu: 'Test CPU <Model> & Co', cores: 4, node: 'v20.20.2', os: 'Linux test x64', memory_gib: 16 },
    simd_peak: {
      kernel: 'test kernel',
      one_thread_gflops: 40,
      threads: 4,
      all_threads_gflops: 150,
      samples: 5,
      sample_ms: 60,
    },
    load_average: { start: 0.5, end: 0.7 },
    cpu_activity: { all_percent: 60, this_process_percent: 55, other_processes_percent: 5 },
    duration_s: 12,
    quoted: PYTORCH_T2_QUOTE,
    backends: [
      { name: 'cpu', init_ms: 20 },
      { name: 'webgpu', device: 'llvmpipe (software)', init_ms: 250 },
    ],
    rows: [
      row('ops', 'cpu', 'conv1x1-256', 0.5, { flops: 2e7 }),
      row('ops', 'cpu', 'stem1', 0.2, { flops: 8e6 }),
      row('ops', 'webgpu', 'conv1x1-256', 10, { flops: 2e7, device: 'llvmpipe (software)' }),
      row('ops', 'webgpu', 'stem1', 12, { flops: 8e6, device: 'llvmpipe (software)' }),
      row('models', 'cpu', 't2', 18, { batch: 1 }),
      row('models', 'cpu', 't2', 100, { batch: 8 }),
      row('models', 'webgpu', 't2', 600, { batch: 1, device: 'llvmpipe (software)' }),
      row('models', 'webgpu', 't2', 4400, { batch: 8, device: 'llvmpipe (software)', runs: 1 }),
      row('anchors', 'tfjs-wasm', 'conv1x1-256', 1, { flops: 2e7, op: 'tf.conv2d' }),
      row('anchors', 'tfjs-wasm', 'conv1x1-256', 1.1, { flops: 2e7, op: 'tf.matMul' }),
      row('anchors', 'onnxruntime-node 1 thread', 't2', 44, { batch: 1 }),
    ],
    absent: [],
    ...overrides,
  };
}

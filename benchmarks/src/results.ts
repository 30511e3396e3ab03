import type { Measurement } from './measure.js';

export type Section = 'ops' | 'models' | 'anchors';

/** One measured case on one backend or anchor runtime. */
export interface ResultRow extends Measurement {
  section: Section;
  /** Our backend's name, or the anchor runtime's name. */
  backend: string;
  /** The device of a GPU backend, such as "llvmpipe (software)"; absent for backends on the host CPU and for anchors. */
  device?: string;
  /** Case id; anchor rows that measure the same work as an op case carry its id. */
  case: string;
  /** Human-readable description of the case. */
  label: string;
  shape: string;
  /** Floating-point operations per call, or null where the case counts none. */
  flops: number | null;
  /** flops divided by the median time, or null. */
  gflops: number | null;
  /** The anchor's op where it differs from the case's, such as tf.matMul for a 1x1 conv. */
  op?: string;
  /** Images per call, for whole-model cases. */
  batch?: number;
  images_per_second?: number;
  /** Details such as thread counts and versions. */
  notes?: string;
}

/** A backend, anchor or single case that could not run, with the reason. */
export interface AbsentEntry {
  section: Section;
  backend: string;
  /** The case that failed; absent when the whole backend or anchor is missing. */
  case?: string;
  reason: string;
}

/** One unit of work in the run order; the runner prints a progress line per task. */
export interface Task {
  section: Section;
  backend: string;
  case: string;
  /** Describes the case in the progress line. */
  label: string;
  run(): Promise<ResultRow[]>;
}

/** Builds a row from a measurement, filling in GFLOP/s. */
export function makeRow(fields: Omit<ResultRow, keyof Measurement | 'gflops'>, measurement: Measurement): ResultRow {
  const gflops = fields.flops === null ? null : Number((fields.flops / (measurement.median_ms * 1e6)).toPrecision(4));
  const row: ResultRow = { ...fields, ...measurement, gflops };
  if (fields.batch !== undefined) row.images_per_second = Number(((1000 * fields.batch) / measurement.median_ms).toPrecision(4));
  return row;
}

/** Formats a shape as [1, 3, 192, 192]. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

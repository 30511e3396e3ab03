import type { ResultRow } from './results.js';

/** Formats milliseconds with three or four significant digits. */
export function formatMs(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  if (value >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Names the backend and, for a GPU backend, its device: "webgpu on llvmpipe (software)". */
export function backendLabel(row: ResultRow): string {
  return row.device ? `${row.backend} on ${row.device}` : row.backend;
}

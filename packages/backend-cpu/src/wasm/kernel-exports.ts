/**
 * The functions the kernel module exports (see assembly/index.ts). Pointers
 * are byte offsets into the shared memory; 0 stands for an absent optional
 * array. Functions that end in (begin, end, worker) run a range of work
 * units and can be split across threads.
 */
export interface KernelExports {
  pack_panels(weight: number, packed: number, groups: number, rows: number, depth: number): void;
  packed_panels_bytes(groups: number, rows: number, depth: number): number;
  packed_tiles_bytes(depth: number, columns: number): number;
  pack_tiles(x: number, ldx: number, columns: number, depth: number, packed: number, begin: number, end: number, worker: number): void;
  gemm_units(rows: number, columns: number): number;
  gemm(
    packedWeights: number, packedInputs: number, bias: number, out: number, ldc: number,
    rows: number, depth: number, columns: number, relu: number,
    begin: number, end: number, worker: number,
  ): void;
  im2col(
    x: number, packed: number, depth: number,
    inH: number, inW: number, kh: number, kw: number, sy: number, sx: number, top: number, left: number, outH: number, outW: number,
    begin: number, end: number, worker: number,
  ): void;
  depthwise(
    x: number, weight: number, bias: number, out: number, channels: number,
    inH: number, inW: number, kh: number, kw: number, sy: number, sx: number, top: number, left: number, outH: number, outW: number,
    scratch: number, paddedH: number, paddedW: number,
    begin: number, end: number, worker: number,
  ): void;
  selective_scan(
    u: number, delta: number, A: number, B: number, C: number, D: number, deltaBias: number, out: number,
    channels: number, length: number, groups: number, states: number, softplus: number,
    scratch: number, begin: number, end: number, worker: number,
  ): void;
  dwt2d(x: number, out: number, height: number, width: number, tap: number, begin: number, end: number, worker: number): void;
  idwt2d(x: number, out: number, halfH: number, halfW: number, outH: number, outW: number, tap: number, begin: number, end: number, worker: number): void;
  binary(op: number, a: number, b: number, out: number, rank: number, layout: number): void;
  unary(op: number, x: number, out: number, count: number): void;
  layer_norm(x: number, weight: number, bias: number, out: number, batch: number, channels: number, positions: number, eps: number): void;
  global_avg_pool(x: number, out: number, planes: number, area: number): void;
  linear(x: number, weight: number, bias: number, out: number, inFeatures: number, outFeatures: number, begin: number, end: number, worker: number): void;
  copy_box(source: number, target: number, rank: number, layout: number, contiguous: number): void;
  reverse_rows(x: number, out: number, rows: number, length: number): void;
}

/** Kernels that take (begin, end, worker) and may run on worker threads, by index in this list. */
export const PARALLEL_KERNELS = ['gemm', 'pack_tiles', 'im2col', 'depthwise', 'selective_scan', 'dwt2d', 'idwt2d', 'linear'] as const;

export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

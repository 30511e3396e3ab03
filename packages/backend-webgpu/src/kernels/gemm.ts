import type { GpuRuntime } from '../gpu/runtime.js';
import type { GpuStorage } from '../gpu/storage.js';
import { Params } from '../gpu/uniforms.js';
import { gemmProgram, tileFor, tileSize } from '../shaders/gemm.js';

/**
 * Sizes and element strides of C[z][m, n] = bias[g*M + m] + sum_k A[g][m, k] B[z][k, n]
 * for z = item * groups + g (see shaders/gemm.ts).
 */
export interface GemmShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number;
  readonly groups: number;
  readonly aStrideM: number;
  readonly aStrideK: number;
  readonly bStrideK: number;
  readonly bStrideN: number;
  readonly cStrideM: number;
  readonly cStrideN: number;
  /** Offset between the A matrices of consecutive groups. */
  readonly aGroup: number;
  readonly bBatch: number;
  readonly bGroup: number;
  readonly cBatch: number;
  readonly cGroup: number;
}

/** Records the tiled GEMM: one workgroup per tile of C and per (item, group), with the tile shape chosen by N. */
export function gemm(
  runtime: GpuRuntime,
  op: string,
  a: GpuStorage,
  b: GpuStorage,
  bias: GpuStorage | null,
  c: GpuStorage,
  shape: GemmShape,
): void {
  const params = new Params().u32(
    shape.m, shape.n, shape.k, shape.groups,
    shape.aStrideM, shape.aStrideK, shape.bStrideK, shape.bStrideN,
    shape.cStrideM, shape.cStrideN, shape.aGroup, shape.bBatch,
    shape.bGroup, shape.cBatch, shape.cGroup,
  );
  const tile = tileFor(shape.n);
  const { rows, columns } = tileSize(tile);
  const workgroups = [Math.ceil(shape.n / columns), Math.ceil(shape.m / rows), shape.batch * shape.groups] as const;
  const buffers = bias === null ? [a, b, c] : [a, b, bias, c];
  runtime.dispatch(op, gemmProgram(tile, bias !== null), buffers, params, workgroups);
}

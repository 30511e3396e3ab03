import type { ShaderProgram } from '../gpu/pipeline-cache.js';

/**
 * The shape of one workgroup's tile. The workgroup has `threadsX` x
 * `threadsY` invocations (128 in both shapes), each computing a 4 x 4 block
 * of C, so a tile covers 4 * threadsY rows (M) and 4 * threadsX columns (N).
 * Each K step stages `k` columns of A and `k` rows of B.
 */
export interface GemmTile {
  readonly name: string;
  readonly threadsX: number;
  readonly threadsY: number;
  readonly k: number;
}

/** A 32 x 64 tile (6 KiB of workgroup memory), for wide matrices such as 1x1 convs over many positions. */
export const WIDE_TILE: GemmTile = { name: 'wide', threadsX: 16, threadsY: 8, k: 16 };

/**
 * A 128 x 16 tile (4.5 KiB), for fewer than 64 columns: late-stage 1x1
 * convs over 6x6 or 3x3 positions, and linear layers, whose columns are the
 * batch. The wide tile would leave most of its columns idle there.
 */
export const NARROW_TILE: GemmTile = { name: 'narrow', threadsX: 4, threadsY: 32, k: 8 };

/** Returns the tile shape for a product with `columns` columns of C. */
export function tileFor(columns: number): GemmTile {
  return columns < 4 * WIDE_TILE.threadsX ? NARROW_TILE : WIDE_TILE;
}

/** Rows and columns of C one workgroup computes. */
export function tileSize(tile: GemmTile): { rows: number; columns: number } {
  return { rows: 4 * tile.threadsY, columns: 4 * tile.threadsX };
}

/** The (i, j) pairs of the 4 x 4 block each invocation computes. */
const BLOCK: readonly (readonly [number, number])[] = [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => [i, j] as const));

/**
 * Batched, grouped matrix multiply with workgroup-memory tiles, for 1x1
 * convolutions and linear layers:
 *
 *   C[z][m, n] = bias[g * M + m] + sum_k A[g][m, k] * B[z][k, n]
 *
 * where workgroup z covers batch item z / groups and group g = z % groups.
 * Every operand is addressed through strides, so the same shader reads a
 * conv weight [M, K] against activations [K, N] (1x1 conv) and a linear
 * weight [out, in] against x [batch, in] read transposed (linear).
 *
 * Per K step the workgroup stages a tile of A and a tile of B in workgroup
 * memory. Then each invocation accumulates its 4 x 4 block of C, at rows
 * local.y + threadsY * i and columns local.x + threadsX * j.
 */
export function gemmProgram(tile: GemmTile, withBias: boolean): ShaderProgram {
  const { rows: tileM, columns: tileN } = tileSize(tile);
  const invocations = tile.threadsX * tile.threadsY;
  return {
    key: `gemm/${tile.name}/${withBias ? 'bias' : 'no-bias'}`,
    bindings: withBias ? ['read', 'read', 'read', 'write'] : ['read', 'read', 'write'],
    source: () => /* wgsl */ `
struct Params {
  m: u32, n: u32, k: u32, groups: u32,
  aStrideM: u32, aStrideK: u32, bStrideK: u32, bStrideN: u32,
  cStrideM: u32, cStrideN: u32, aGroup: u32, bBatch: u32,
  bGroup: u32, cBatch: u32, cGroup: u32,
}
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
${withBias
  ? `@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;`
  : '@group(0) @binding(3) var<storage, read_write> c: array<f32>;'}

const TILE_M = ${tileM}u;
const TILE_N = ${tileN}u;
const TILE_K = ${tile.k}u;
const INVOCATIONS = ${invocations}u;
var<workgroup> tileA: array<f32, ${tileM * tile.k}>;
var<workgroup> tileB: array<f32, ${tile.k * tileN}>;

fn store(index: u32, row: u32, column: u32, value: f32) {
  if (row < params.m && column < params.n) {
    c[index] = value;
  }
}

@compute @workgroup_size(${tile.threadsX}, ${tile.threadsY}, 1)
fn main(
  @builtin(workgroup_id) group: vec3<u32>,
  @builtin(local_invocation_id) local: vec3<u32>,
  @builtin(local_invocation_index) localIndex: u32,
) {
  let item = group.z / params.groups;
  let g = group.z % params.groups;
  let aBase = g * params.aGroup;
  let bBase = item * params.bBatch + g * params.bGroup;
  let cBase = item * params.cBatch + g * params.cGroup;
  let firstRow = group.y * TILE_M;
  let firstColumn = group.x * TILE_N;

${declareSums()}
  for (var k0 = 0u; k0 < params.k; k0 += TILE_K) {
    // Stage A[firstRow.., k0..] and B[k0.., firstColumn..], zero outside the matrices.
    for (var step = 0u; step < TILE_M * TILE_K / INVOCATIONS; step++) {
      let e = localIndex + step * INVOCATIONS;
      let row = firstRow + e / TILE_K;
      let k = k0 + e % TILE_K;
      var value = 0.0;
      if (row < params.m && k < params.k) {
        value = a[aBase + row * params.aStrideM + k * params.aStrideK];
      }
      tileA[e] = value;
    }
    for (var step = 0u; step < TILE_K * TILE_N / INVOCATIONS; step++) {
      let e = localIndex + step * INVOCATIONS;
      let k = k0 + e / TILE_N;
      let column = firstColumn + e % TILE_N;
      var value = 0.0;
      if (column < params.n && k < params.k) {
        value = b[bBase + k * params.bStrideK + column * params.bStrideN];
      }
      tileB[e] = value;
    }
    workgroupBarrier();

    for (var k = 0u; k < TILE_K; k++) {
${accumulateSums(tile)}
    }
    // The next step overwrites the tiles, so every invocation must be done reading them.
    workgroupBarrier();
  }

${storeSums(tile, withBias)}
}`,
  };
}

/**
 * Declares the 4 x 4 block of sums as 16 scalars (sum_i_j) rather than an
 * array, because a dynamically indexed private array may live in memory.
 * On llvmpipe (Mesa 22.3.6) the array version took about a third longer
 * in one T2 forward pass.
 */
function declareSums(): string {
  return BLOCK.map(([i, j]) => `  var sum_${i}_${j} = 0.0;`).join('\n');
}

/** Emits one k step: 4 values of A and 4 of B from the tiles, then 16 multiply-adds. */
function accumulateSums(tile: GemmTile): string {
  const loads = [0, 1, 2, 3].flatMap((i) => [
    `      let a${i} = tileA[(local.y + ${tile.threadsY * i}u) * TILE_K + k];`,
    `      let b${i} = tileB[k * TILE_N + local.x + ${tile.threadsX * i}u];`,
  ]);
  const sums = BLOCK.map(([i, j]) => `      sum_${i}_${j} += a${i} * b${j};`);
  return [...loads, ...sums].join('\n');
}

/** Emits the stores of the block to C, skipping elements outside it, with the bias of each row added. */
function storeSums(tile: GemmTile, withBias: boolean): string {
  const rows = [0, 1, 2, 3].flatMap((i) => [
    `  let row${i} = firstRow + local.y + ${tile.threadsY * i}u;`,
    // min() keeps the bias read in bounds for rows past M, whose sums are not stored.
    `  let offset${i} = ${withBias ? `bias[g * params.m + min(row${i}, params.m - 1u)]` : '0.0'};`,
  ]);
  const columns = [0, 1, 2, 3].map((j) => `  let column${j} = firstColumn + local.x + ${tile.threadsX * j}u;`);
  const stores = BLOCK.map(
    ([i, j]) => `  store(cBase + row${i} * params.cStrideM + column${j} * params.cStrideN, row${i}, column${j}, sum_${i}_${j} + offset${i});`,
  );
  return [...rows, ...columns, ...stores].join('\n');
}

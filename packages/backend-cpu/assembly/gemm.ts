// Matrix multiply for convolutions: C[m, n] = bias[m] + sum_k W[m, k] X[k, n].
//
// W is a layer's weight seen as [M, K], Cout x Cin*kh*kw of one group. X is
// the input seen as [K, N]: K input planes, or the im2col matrix, of N
// positions. C is the output [M, N] with row stride ldc. NCHW makes N
// the spatial positions, so the matrices are short and wide at the stem and
// tall and narrow in late stages (N = 9 at 3x3).
//
// Both operands are packed first. W goes into panels of 8 output channels,
// Wp[panel][k][0..7], zero rows padding the last panel; a layer packs once
// and reuses it. X goes into tiles of 4 positions, Xp[tile][k][0..3], per
// call (im2col writes this layout directly). The micro-kernel keeps an
// 8-channel x 4-position tile of C in eight SIMD registers and per k loads
// two weight vectors and splats 4 inputs, all from sequential memory. The
// last tile of a row of C runs a 1-, 2- or 3-position variant, so N = 9
// costs 9 columns of work rather than 12.

/** Output channels per weight panel, and the SIMD tile height. */
const PANEL: i32 = 8;
/** Positions per input tile. */
const TILE: i32 = 4;
/**
 * Positions per column block of a work unit: the unit's packed inputs
 * (K x 64 floats, 272 KiB at K = 1088) stay in L2 while one weight panel,
 * which fits in L1 up to K of about 1000, passes over them.
 */
const COLUMN_BLOCK: i32 = 64;

// @ts-ignore: decorator
@inline
function panelCount(rows: i32): i32 {
  return (rows + PANEL - 1) / PANEL;
}

// @ts-ignore: decorator
@inline
function tileCount(columns: i32): i32 {
  return (columns + TILE - 1) / TILE;
}

/**
 * Packs W [groups][rows][depth] into Wp [groups][panel][depth][8], with
 * zeros past the last row of each group.
 */
export function pack_panels(w: usize, packed: usize, groups: i32, rows: i32, depth: i32): void {
  const panels = panelCount(rows);
  let target = packed;
  for (let g = 0; g < groups; g++) {
    const groupWeights = w + ((<usize>g * rows * depth) << 2);
    for (let p = 0; p < panels; p++) {
      for (let k = 0; k < depth; k++) {
        for (let i = 0; i < PANEL; i++) {
          const row = p * PANEL + i;
          const value: f32 = row < rows ? load<f32>(groupWeights + ((<usize>row * depth + k) << 2)) : 0;
          store<f32>(target, value);
          target += 4;
        }
      }
    }
  }
}

/** Bytes of the packed form of W [groups][rows][depth]. */
export function packed_panels_bytes(groups: i32, rows: i32, depth: i32): i32 {
  return groups * panelCount(rows) * depth * PANEL * 4;
}

/** Bytes of the packed form of X [depth][columns]. */
export function packed_tiles_bytes(depth: i32, columns: i32): i32 {
  return tileCount(columns) * depth * TILE * 4;
}

/**
 * Packs rows [begin, end) of X [depth][columns] (row stride ldx) into
 * Xp [tile][depth][4]. Lanes past the last column are left unset: no
 * kernel reads them.
 */
export function pack_tiles(x: usize, ldx: i32, columns: i32, depth: i32, packed: usize, begin: i32, end: i32, worker: i32): void {
  const tiles = tileCount(columns);
  const tileBytes = (<usize>depth * TILE) << 2;
  for (let k = begin; k < end; k++) {
    const row = x + ((<usize>k * ldx) << 2);
    let target = packed + ((<usize>k * TILE) << 2);
    for (let t = 0; t < tiles; t++) {
      if (ASC_FEATURE_SIMD) {
        // A partial last tile reads past the row end into the next row or the block's slack.
        v128.store(target, v128.load(row + ((<usize>t * TILE) << 2)));
      } else {
        const count = min(TILE, columns - t * TILE);
        for (let j = 0; j < count; j++) store<f32>(target + (<usize>j << 2), load<f32>(row + ((<usize>(t * TILE + j)) << 2)));
      }
      target += tileBytes;
    }
  }
}

/**
 * Computes C = bias + Wp Xp for the work units [begin, end). A unit is one
 * panel of 8 output channels over one block of 64 positions; consecutive
 * units share the block. `bias` may be 0 (none). With `relu` set, negative
 * outputs become 0.
 */
export function gemm(
  packedWeights: usize, packedInputs: usize, bias: usize, out: usize, ldc: i32,
  rows: i32, depth: i32, columns: i32, relu: i32,
  begin: i32, end: i32, worker: i32,
): void {
  const panels = panelCount(rows);
  const tileBytes = (<usize>depth * TILE) << 2;

  for (let unit = begin; unit < end; unit++) {
    const panel = unit % panels;
    const block = unit / panels;
    const firstRow = panel * PANEL;
    const firstColumn = block * COLUMN_BLOCK;
    const lastColumn = min(firstColumn + COLUMN_BLOCK, columns);
    const panelWeights = packedWeights + ((<usize>panel * depth * PANEL) << 2);
    const validRows = min(PANEL, rows - firstRow);
    const target = out + ((<usize>firstRow * ldc) << 2);

    for (let n = firstColumn; n < lastColumn; n += TILE) {
      const tile = packedInputs + <usize>(n / TILE) * tileBytes;
      const width = min(TILE, lastColumn - n);
      const tileTarget = target + (<usize>n << 2);
      if (ASC_FEATURE_SIMD) {
        if (width == 4) tileSimd(panelWeights, tile, depth, bias, firstRow, validRows, tileTarget, ldc, relu, 4);
        else if (width == 3) tileSimd(panelWeights, tile, depth, bias, firstRow, validRows, tileTarget, ldc, relu, 3);
        else if (width == 2) tileSimd(panelWeights, tile, depth, bias, firstRow, validRows, tileTarget, ldc, relu, 2);
        else tileSimd(panelWeights, tile, depth, bias, firstRow, validRows, tileTarget, ldc, relu, 1);
      } else {
        for (let j = 0; j < width; j++) columnScalar(panelWeights, tile + (<usize>j << 2), depth, bias, firstRow, validRows, tileTarget + (<usize>j << 2), ldc, relu);
      }
    }
  }
}

/** Number of work units `gemm` splits a product into. */
export function gemm_units(rows: i32, columns: i32): i32 {
  return panelCount(rows) * ((columns + COLUMN_BLOCK - 1) / COLUMN_BLOCK);
}

/** Loads bias[first .. first + 3], reading only the first `count` entries (the rest are 0). */
// @ts-ignore: decorator
@inline
function loadBias(bias: usize, first: i32, count: i32): v128 {
  if (bias == 0 || count <= 0) return f32x4.splat(0);
  const at = bias + (<usize>first << 2);
  if (count >= 4) return v128.load(at);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(at));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(at, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(at, 8));
  return v;
}

/**
 * Computes an 8-channel x `width`-position tile of C with SIMD, width
 * a constant from 1 to 4 at each call site. Accumulator a{j}{h} contains
 * position j, channels 0-3 (h = 0) or 4-7 (h = 1) of the panel.
 */
// @ts-ignore: decorator
@inline
function tileSimd(
  panelWeights: usize, tile: usize, depth: i32, bias: usize, firstRow: i32, validRows: i32,
  target: usize, ldc: i32, relu: i32, width: i32,
): void {
  const biasLow = loadBias(bias, firstRow, validRows);
  const biasHigh = loadBias(bias, firstRow + 4, validRows - 4);
  let a00 = biasLow, a01 = biasHigh, a10 = biasLow, a11 = biasHigh;
  let a20 = biasLow, a21 = biasHigh, a30 = biasLow, a31 = biasHigh;
  let w = panelWeights;
  let x = tile;

  for (let k = 0; k < depth; k++) {
    const w0 = v128.load(w);
    const w1 = v128.load(w, 16);
    let s = v128.load32_splat(x);
    a00 = f32x4.add(a00, f32x4.mul(w0, s));
    a01 = f32x4.add(a01, f32x4.mul(w1, s));
    if (width > 1) {
      s = v128.load32_splat(x, 4);
      a10 = f32x4.add(a10, f32x4.mul(w0, s));
      a11 = f32x4.add(a11, f32x4.mul(w1, s));
    }
    if (width > 2) {
      s = v128.load32_splat(x, 8);
      a20 = f32x4.add(a20, f32x4.mul(w0, s));
      a21 = f32x4.add(a21, f32x4.mul(w1, s));
    }
    if (width > 3) {
      s = v128.load32_splat(x, 12);
      a30 = f32x4.add(a30, f32x4.mul(w0, s));
      a31 = f32x4.add(a31, f32x4.mul(w1, s));
    }
    w += 32;
    x += 16;
  }

  if (relu) {
    const zero = f32x4.splat(0);
    a00 = f32x4.pmax(a00, zero); a01 = f32x4.pmax(a01, zero);
    a10 = f32x4.pmax(a10, zero); a11 = f32x4.pmax(a11, zero);
    a20 = f32x4.pmax(a20, zero); a21 = f32x4.pmax(a21, zero);
    a30 = f32x4.pmax(a30, zero); a31 = f32x4.pmax(a31, zero);
  }

  if (width == 4) {
    // A 4x4 transpose turns position vectors into channel rows of 4 positions.
    storeTransposed(target, ldc, a00, a10, a20, a30, min(validRows, 4));
    if (validRows > 4) storeTransposed(target + ((<usize>ldc * 4) << 2), ldc, a01, a11, a21, a31, validRows - 4);
  } else {
    storeColumn(target, ldc, a00, a01, validRows);
    if (width > 1) storeColumn(target + 4, ldc, a10, a11, validRows);
    if (width > 2) storeColumn(target + 8, ldc, a20, a21, validRows);
  }
}

/**
 * Stores four position vectors p0..p3 (4 channels each) as `count` channel
 * rows of 4 positions at `target`, rows `ldc` floats apart.
 */
// @ts-ignore: decorator
@inline
function storeTransposed(target: usize, ldc: i32, p0: v128, p1: v128, p2: v128, p3: v128, count: i32): void {
  const t0 = i32x4.shuffle(p0, p1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(p2, p3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(p0, p1, 2, 6, 3, 7);
  const t3 = i32x4.shuffle(p2, p3, 2, 6, 3, 7);
  const rowBytes = <usize>ldc << 2;
  v128.store(target, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  if (count > 1) v128.store(target + rowBytes, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  if (count > 2) v128.store(target + 2 * rowBytes, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  if (count > 3) v128.store(target + 3 * rowBytes, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/** Stores one position's 8 channels (low: 0-3, high: 4-7) down a column of C, `count` of them. */
// @ts-ignore: decorator
@inline
function storeColumn(target: usize, ldc: i32, low: v128, high: v128, count: i32): void {
  const rowBytes = <usize>ldc << 2;
  v128.store32_lane(target, low, 0);
  if (count > 1) v128.store32_lane(target + rowBytes, low, 1);
  if (count > 2) v128.store32_lane(target + 2 * rowBytes, low, 2);
  if (count > 3) v128.store32_lane(target + 3 * rowBytes, low, 3);
  if (count > 4) v128.store32_lane(target + 4 * rowBytes, high, 0);
  if (count > 5) v128.store32_lane(target + 5 * rowBytes, high, 1);
  if (count > 6) v128.store32_lane(target + 6 * rowBytes, high, 2);
  if (count > 7) v128.store32_lane(target + 7 * rowBytes, high, 3);
}

/** Scalar form of the micro-kernel: one position (lane of a packed tile) with 8 accumulators. */
function columnScalar(
  panelWeights: usize, x: usize, depth: i32, bias: usize, firstRow: i32, validRows: i32,
  target: usize, ldc: i32, relu: i32,
): void {
  let c0: f32 = 0, c1: f32 = 0, c2: f32 = 0, c3: f32 = 0, c4: f32 = 0, c5: f32 = 0, c6: f32 = 0, c7: f32 = 0;
  let w = panelWeights;
  for (let k = 0; k < depth; k++) {
    const v = load<f32>(x);
    c0 += load<f32>(w) * v;
    c1 += load<f32>(w, 4) * v;
    c2 += load<f32>(w, 8) * v;
    c3 += load<f32>(w, 12) * v;
    c4 += load<f32>(w, 16) * v;
    c5 += load<f32>(w, 20) * v;
    c6 += load<f32>(w, 24) * v;
    c7 += load<f32>(w, 28) * v;
    w += 32;
    x += 16;
  }

  const rowBytes = <usize>ldc << 2;
  storeScalar(target, bias, firstRow, 0, validRows, c0, relu, rowBytes);
  storeScalar(target, bias, firstRow, 1, validRows, c1, relu, rowBytes);
  storeScalar(target, bias, firstRow, 2, validRows, c2, relu, rowBytes);
  storeScalar(target, bias, firstRow, 3, validRows, c3, relu, rowBytes);
  storeScalar(target, bias, firstRow, 4, validRows, c4, relu, rowBytes);
  storeScalar(target, bias, firstRow, 5, validRows, c5, relu, rowBytes);
  storeScalar(target, bias, firstRow, 6, validRows, c6, relu, rowBytes);
  storeScalar(target, bias, firstRow, 7, validRows, c7, relu, rowBytes);
}

/** Adds the bias to row `i` of a scalar column, applies ReLU if asked, and stores it when the row exists. */
// @ts-ignore: decorator
@inline
function storeScalar(target: usize, bias: usize, firstRow: i32, i: i32, validRows: i32, sum: f32, relu: i32, rowBytes: usize): void {
  if (i >= validRows) return;
  let value = sum + (bias == 0 ? <f32>0 : load<f32>(bias + (<usize>(firstRow + i) << 2)));
  if (relu && value < 0) value = 0;
  store<f32>(target + <usize>i * rowBytes, value);
}

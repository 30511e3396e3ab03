// One-level 2-D Haar transform per plane, as a stride-2 2x2 filter bank.
// With s the tap and the 2x2 block [a, b; c, d] at rows 2i, 2i+1 and
// columns 2j, 2j+1, subband k of plane p is output plane 4p + k:
//   k = 0: s (a + b + c + d)   k = 1: s (a + b - c - d)
//   k = 2: s (a - b + c - d)   k = 3: s (a - b - c + d)
// Odd sizes read zeros past the bottom and right edge. The synthesis
// inverts it and crops the 2h x 2w result to outH x outW.

/** Haar analysis of planes [begin, end) of x [planes, H, W] into out [planes, 4, ceil(H/2), ceil(W/2)]. */
export function dwt2d(x: usize, out: usize, height: i32, width: i32, tap: f32, begin: i32, end: i32, worker: i32): void {
  const halfH = (height + 1) >> 1;
  const halfW = (width + 1) >> 1;
  const subband = <usize>halfH * halfW;

  for (let plane = begin; plane < end; plane++) {
    const source = x + ((<usize>plane * height * width) << 2);
    const target = out + ((<usize>plane * 4 * subband) << 2);
    for (let i = 0; i < halfH; i++) {
      const top = source + ((<usize>(2 * i) * width) << 2);
      const hasBottom = 2 * i + 1 < height;
      const bottom = top + (<usize>width << 2);
      const outRow = target + ((<usize>i * halfW) << 2);

      let j = 0;
      if (ASC_FEATURE_SIMD) {
        if (hasBottom) j = analysisRowSimd(top, bottom, outRow, width, subband, tap);
      }
      for (; j < halfW; j++) {
        const hasRight = 2 * j + 1 < width;
        const a = load<f32>(top + (<usize>(2 * j) << 2));
        const b: f32 = hasRight ? load<f32>(top + (<usize>(2 * j + 1) << 2)) : 0;
        const c: f32 = hasBottom ? load<f32>(bottom + (<usize>(2 * j) << 2)) : 0;
        const d: f32 = hasBottom && hasRight ? load<f32>(bottom + (<usize>(2 * j + 1) << 2)) : 0;
        const o = outRow + (<usize>j << 2);
        store<f32>(o, tap * (a + b + c + d));
        store<f32>(o + (subband << 2), tap * (a + b - c - d));
        store<f32>(o + (subband << 3), tap * (a - b + c - d));
        store<f32>(o + subband * 12, tap * (a - b - c + d));
      }
    }
  }
}

/**
 * Haar synthesis of planes [begin, end) of x [planes, 4, h, w] into
 * out [planes, outH, outW], where outH is 2h or 2h - 1 and likewise outW:
 *   y[2i, 2j] = s (LL + H1 + H2 + H3)     y[2i, 2j+1] = s (LL + H1 - H2 - H3)
 *   y[2i+1, 2j] = s (LL - H1 + H2 - H3)   y[2i+1, 2j+1] = s (LL - H1 - H2 + H3)
 */
export function idwt2d(x: usize, out: usize, halfH: i32, halfW: i32, outH: i32, outW: i32, tap: f32, begin: i32, end: i32, worker: i32): void {
  const subband = <usize>halfH * halfW;

  for (let plane = begin; plane < end; plane++) {
    const source = x + ((<usize>plane * 4 * subband) << 2);
    const target = out + ((<usize>plane * outH * outW) << 2);
    for (let i = 0; i < halfH; i++) {
      const inRow = source + ((<usize>i * halfW) << 2);
      const top = target + ((<usize>(2 * i) * outW) << 2);
      const hasBottom = 2 * i + 1 < outH;
      const bottom = top + (<usize>outW << 2);

      let j = 0;
      if (ASC_FEATURE_SIMD) {
        if (hasBottom) j = synthesisRowSimd(inRow, top, bottom, outW, halfW, subband, tap);
      }
      for (; j < halfW; j++) {
        const at = inRow + (<usize>j << 2);
        const low = load<f32>(at), rows = load<f32>(at + (subband << 2));
        const columns = load<f32>(at + (subband << 3)), diagonal = load<f32>(at + subband * 12);
        const hasRight = 2 * j + 1 < outW;
        store<f32>(top + (<usize>(2 * j) << 2), tap * (low + rows + columns + diagonal));
        if (hasRight) store<f32>(top + (<usize>(2 * j + 1) << 2), tap * (low + rows - columns - diagonal));
        if (hasBottom) {
          store<f32>(bottom + (<usize>(2 * j) << 2), tap * (low - rows + columns - diagonal));
          if (hasRight) store<f32>(bottom + (<usize>(2 * j + 1) << 2), tap * (low - rows - columns + diagonal));
        }
      }
    }
  }
}

/**
 * Computes 4 outputs of each subband per step from 8 columns of the two
 * input rows, stopping before an odd edge column; returns the first output
 * column left for the scalar loop.
 */
function analysisRowSimd(top: usize, bottom: usize, outRow: usize, width: i32, subband: usize, tap: f32): i32 {
  const s = f32x4.splat(tap);
  let j = 0;
  for (; 2 * j + 8 <= width; j += 4) {
    const at = <usize>j << 3;
    const t0 = v128.load(top + at), t1 = v128.load(top + at, 16);
    const b0 = v128.load(bottom + at), b1 = v128.load(bottom + at, 16);
    const a = i32x4.shuffle(t0, t1, 0, 2, 4, 6), b = i32x4.shuffle(t0, t1, 1, 3, 5, 7);
    const c = i32x4.shuffle(b0, b1, 0, 2, 4, 6), d = i32x4.shuffle(b0, b1, 1, 3, 5, 7);
    const sumTop = f32x4.add(a, b), differenceTop = f32x4.sub(a, b);
    const sumBottom = f32x4.add(c, d), differenceBottom = f32x4.sub(c, d);
    const o = outRow + (<usize>j << 2);
    v128.store(o, f32x4.mul(s, f32x4.add(sumTop, sumBottom)));
    v128.store(o + (subband << 2), f32x4.mul(s, f32x4.sub(sumTop, sumBottom)));
    v128.store(o + (subband << 3), f32x4.mul(s, f32x4.add(differenceTop, differenceBottom)));
    v128.store(o + subband * 12, f32x4.mul(s, f32x4.sub(differenceTop, differenceBottom)));
  }
  return j;
}

/**
 * Writes 8 columns of both output rows per step from 4 values of each
 * subband, stopping before a cropped edge column; returns the first input
 * column left for the scalar loop.
 */
function synthesisRowSimd(inRow: usize, top: usize, bottom: usize, outW: i32, halfW: i32, subband: usize, tap: f32): i32 {
  const s = f32x4.splat(tap);
  let j = 0;
  for (; 2 * j + 8 <= outW && j + 4 <= halfW; j += 4) {
    const at = inRow + (<usize>j << 2);
    const low = v128.load(at), rows = v128.load(at + (subband << 2));
    const columns = v128.load(at + (subband << 3)), diagonal = v128.load(at + subband * 12);
    const lowPlusRows = f32x4.add(low, rows), lowMinusRows = f32x4.sub(low, rows);
    const columnsPlusDiagonal = f32x4.add(columns, diagonal), columnsMinusDiagonal = f32x4.sub(columns, diagonal);
    const p00 = f32x4.mul(s, f32x4.add(lowPlusRows, columnsPlusDiagonal));
    const p01 = f32x4.mul(s, f32x4.sub(lowPlusRows, columnsPlusDiagonal));
    const p10 = f32x4.mul(s, f32x4.add(lowMinusRows, columnsMinusDiagonal));
    const p11 = f32x4.mul(s, f32x4.sub(lowMinusRows, columnsMinusDiagonal));
    const o = <usize>j << 3;
    // Interleave the even and odd columns of each output row.
    v128.store(top + o, i32x4.shuffle(p00, p01, 0, 4, 1, 5));
    v128.store(top + o, i32x4.shuffle(p00, p01, 2, 6, 3, 7), 16);
    v128.store(bottom + o, i32x4.shuffle(p10, p11, 0, 4, 1, 5));
    v128.store(bottom + o, i32x4.shuffle(p10, p11, 2, 6, 3, 7), 16);
  }
  return j;
}

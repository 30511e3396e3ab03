// im2col: lays out the input windows of a general convolution as the
// matrix X of gemm.ts, already packed into tiles of 4 positions.
//
// For one batch item and group with C input channels, row r = (c kh + ky) kw + kx
// of X [C*kh*kw, outH*outW] contains, at column p = oy*outW + ox,
// x[c, oy*sy - top + ky, ox*sx - left + kx], or 0 where that lies in the
// padding. The row order matches the weight layout [Cout, C, kh, kw].
// Element (r, p) is stored at Xp[p / 4][r][p % 4]; work units are tiles.

/**
 * Writes tiles [begin, end) of the packed im2col matrix, `depth` rows deep,
 * of the planes at `x` (C planes of inH x inW) to `packed`. Each tile's
 * rows are written in order, so the stores are sequential. An interior tile
 * reads each row's 4 inputs as one run, and a tile at the border reads one
 * lane at a time.
 */
export function im2col(
  x: usize, packed: usize, depth: i32,
  inH: i32, inW: i32, kh: i32, kw: i32, sy: i32, sx: i32, top: i32, left: i32, outH: i32, outW: i32,
  begin: i32, end: i32, worker: i32,
): void {
  const positions = outH * outW;
  const tileBytes = <usize>depth << 4;
  const rowWrap = <usize>(inW - kw) << 2;
  const planeWrap = (<usize>(inH - kh) * inW) << 2;

  // (oy, ox) is the output position of the tile's first lane.
  let oy = (begin * 4) / outW;
  let ox = begin * 4 - oy * outW;
  for (let t = begin; t < end; t++) {
    let target = packed + <usize>t * tileBytes;
    const iy = oy * sy - top;
    const ix = ox * sx - left;
    // Every tap of all 4 lanes lies inside the input and in one output row.
    const interior = ox + 4 <= outW && iy >= 0 && iy + kh <= inH && ix >= 0 && ix + 3 * sx + kw <= inW;

    if (interior) {
      // Walk the rows (c, ky, kx) in order. The input address moves by one float per kx,
      // to the next input row per ky, and to the next plane per c.
      let source = x + ((<usize>iy * inW + ix) << 2);
      let kx = 0;
      let ky = 0;
      for (let r = 0; r < depth; r++) {
        storeRun(source, target, sx);
        target += 16;
        source += 4;
        if (++kx == kw) {
          kx = 0;
          source += rowWrap;
          if (++ky == kh) {
            ky = 0;
            source += planeWrap;
          }
        }
      }
    } else {
      borderTile(x, target, depth, t * 4, positions, oy, ox, inH, inW, kh, kw, sy, sx, top, left, outW);
    }

    ox += 4;
    while (ox >= outW) {
      ox -= outW;
      oy++;
    }
  }
}

/** Copies 4 inputs taken `sx` floats apart into one packed lane group. */
// @ts-ignore: decorator
@inline
function storeRun(source: usize, target: usize, sx: i32): void {
  if (ASC_FEATURE_SIMD) {
    if (sx == 1) {
      v128.store(target, v128.load(source));
      return;
    }
    if (sx == 2) {
      // The even lanes of 8 consecutive floats.
      v128.store(target, i32x4.shuffle(v128.load(source), v128.load(source, 16), 0, 2, 4, 6));
      return;
    }
  }
  const step = <usize>sx << 2;
  store<f32>(target, load<f32>(source));
  store<f32>(target, load<f32>(source + step), 4);
  store<f32>(target, load<f32>(source + 2 * step), 8);
  store<f32>(target, load<f32>(source + 3 * step), 12);
}

/**
 * Writes a tile that touches the padding (or spans two output rows), lane
 * by lane with bounds checks. Lanes past the last position are left unset.
 * (oy, ox) is the output position of lane 0.
 */
function borderTile(
  x: usize, target: usize, depth: i32, first: i32, positions: i32, oy: i32, ox: i32,
  inH: i32, inW: i32, kh: i32, kw: i32, sy: i32, sx: i32, top: i32, left: i32, outW: i32,
): void {
  // Top-left input corner of each lane's window; a lane past the row end starts the next row.
  const count = min(4, positions - first);
  let y0 = 0, x0 = 0, y1 = 0, x1 = 0, y2 = 0, x2 = 0, y3 = 0, x3 = 0;
  let laneY = oy;
  let laneX = ox;
  for (let j = 0; j < count; j++) {
    const y = laneY * sy - top;
    const xx = laneX * sx - left;
    if (j == 0) { y0 = y; x0 = xx; } else if (j == 1) { y1 = y; x1 = xx; } else if (j == 2) { y2 = y; x2 = xx; } else { y3 = y; x3 = xx; }
    if (++laneX == outW) {
      laneX = 0;
      laneY++;
    }
  }

  const planeBytes = (<usize>inH * inW) << 2;
  let plane = x;
  let kx = 0;
  let ky = 0;
  for (let r = 0; r < depth; r++) {
    store<f32>(target, tap(plane, y0 + ky, x0 + kx, inH, inW));
    if (count > 1) store<f32>(target, tap(plane, y1 + ky, x1 + kx, inH, inW), 4);
    if (count > 2) store<f32>(target, tap(plane, y2 + ky, x2 + kx, inH, inW), 8);
    if (count > 3) store<f32>(target, tap(plane, y3 + ky, x3 + kx, inH, inW), 12);
    target += 16;
    if (++kx == kw) {
      kx = 0;
      if (++ky == kh) {
        ky = 0;
        plane += planeBytes;
      }
    }
  }
}

/** Reads plane[y, x], or 0 outside the inH x inW plane. */
// @ts-ignore: decorator
@inline
function tap(plane: usize, y: i32, x: i32, inH: i32, inW: i32): f32 {
  return <u32>y < <u32>inH && <u32>x < <u32>inW ? load<f32>(plane + ((<usize>y * inW + x) << 2)) : 0;
}

// Depthwise 2-D convolution, one kh x kw filter per channel:
// y[b, c, oy, ox] = bias[c] + sum_{ky, kx} w[c, ky, kx] x[b, c, oy*sy - top + ky, ox*sx - left + kx],
// with zeros outside the input.
//
// Each plane is first copied into a zero-bordered scratch plane of
// paddedH x paddedW floats, so the inner loops need no bounds checks and
// may compute up to 3 output columns past the row end (those are not
// stored). The caller sizes the scratch plane for those extra reads. The
// SIMD build computes 4 output columns per vector, with the taps unrolled
// for 3x3, 5x5 and 7x7 filters at stride 1 and 2.

/**
 * Convolves planes [begin, end) of x [planes, inH, inW] (plane = b*C + c).
 * `scratch` has room for one padded plane per worker.
 */
export function depthwise(
  x: usize, w: usize, bias: usize, out: usize, channels: i32,
  inH: i32, inW: i32, kh: i32, kw: i32, sy: i32, sx: i32, top: i32, left: i32, outH: i32, outW: i32,
  scratch: usize, paddedH: i32, paddedW: i32,
  begin: i32, end: i32, worker: i32,
): void {
  const padded = scratch + ((<usize>worker * paddedH * paddedW) << 2);

  for (let plane = begin; plane < end; plane++) {
    const channel = plane % channels;
    padPlane(x + ((<usize>plane * inH * inW) << 2), padded, inH, inW, top, left, paddedH, paddedW);
    const filter = w + ((<usize>channel * kh * kw) << 2);
    const offset: f32 = bias == 0 ? 0 : load<f32>(bias + (<usize>channel << 2));
    const target = out + ((<usize>plane * outH * outW) << 2);

    if (ASC_FEATURE_SIMD) {
      const square = kh == kw && sy == sx;
      if (square && kh == 3 && sy == 1) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 3, 3, 1, 1);
      else if (square && kh == 3 && sy == 2) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 3, 3, 2, 2);
      else if (square && kh == 5 && sy == 1) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 5, 5, 1, 1);
      else if (square && kh == 5 && sy == 2) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 5, 5, 2, 2);
      else if (square && kh == 7 && sy == 1) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 7, 7, 1, 1);
      else if (square && kh == 7 && sy == 2) planeSimd(padded, paddedW, filter, offset, target, outH, outW, 7, 7, 2, 2);
      else if (sx <= 2) planeSimdGeneral(padded, paddedW, filter, offset, target, outH, outW, kh, kw, sy, sx);
      else planeScalar(padded, paddedW, filter, offset, target, outH, outW, kh, kw, sy, sx);
    } else {
      planeScalar(padded, paddedW, filter, offset, target, outH, outW, kh, kw, sy, sx);
    }
  }
}

/**
 * Copies one inH x inW plane into the scratch plane at row `top`, column
 * `left`, with zeros around it. Planes are small (often under 100 floats a
 * row), so plain loops beat memory.fill and memory.copy, which V8 runs as
 * calls out of the compiled code.
 */
function padPlane(source: usize, padded: usize, inH: i32, inW: i32, top: i32, left: i32, paddedH: i32, paddedW: i32): void {
  // paddedW is a multiple of 4, so whole vectors clear the plane.
  const total = paddedH * paddedW;
  for (let i = 0; i < total; i += 4) {
    if (ASC_FEATURE_SIMD) v128.store(padded + (<usize>i << 2), f32x4.splat(0));
    else {
      const at = padded + (<usize>i << 2);
      store<f32>(at, 0);
      store<f32>(at, 0, 4);
      store<f32>(at, 0, 8);
      store<f32>(at, 0, 12);
    }
  }

  // Rows and columns past the scratch plane are never read by any output, so they are left out.
  const rows = min(inH, paddedH - top);
  const columns = min(inW, paddedW - left);
  for (let iy = 0; iy < rows; iy++) {
    const from = source + ((<usize>iy * inW) << 2);
    const to = padded + ((<usize>(iy + top) * paddedW + left) << 2);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      for (; i + 4 <= columns; i += 4) v128.store(to + (<usize>i << 2), v128.load(from + (<usize>i << 2)));
    }
    for (; i < columns; i++) store<f32>(to + (<usize>i << 2), load<f32>(from + (<usize>i << 2)));
  }
}

/** Returns the 4 inputs that tap kx meets for 4 consecutive outputs starting at `row`. */
// @ts-ignore: decorator
@inline
function tapInputs(row: usize, kx: i32, sx: i32): v128 {
  const at = row + (<usize>kx << 2);
  // At stride 2 the 4 outputs read every other input, the even lanes of 8 floats.
  return sx == 1 ? v128.load(at) : i32x4.shuffle(v128.load(at), v128.load(at, 16), 0, 2, 4, 6);
}

/** Returns acc + weight times the 4 inputs that tap kx meets for 4 consecutive outputs. */
// @ts-ignore: decorator
@inline
function weightedAdd(acc: v128, weight: v128, row: usize, kx: i32, sx: i32): v128 {
  return f32x4.add(acc, f32x4.mul(weight, tapInputs(row, kx, sx)));
}

/** Adds one tap's weight times the 4 inputs it meets for 4 consecutive outputs. */
// @ts-ignore: decorator
@inline
function tap(row: usize, filter: usize, kx: i32, sx: i32, acc: v128): v128 {
  return weightedAdd(acc, v128.load32_splat(filter + (<usize>kx << 2)), row, kx, sx);
}

/** Adds one filter row for 4 outputs; kw is a constant at the unrolled call sites. */
// @ts-ignore: decorator
@inline
function filterRow(row: usize, filter: usize, kw: i32, sx: i32, acc: v128): v128 {
  acc = tap(row, filter, 0, sx, acc);
  acc = tap(row, filter, 1, sx, acc);
  acc = tap(row, filter, 2, sx, acc);
  if (kw == 3) return acc;
  acc = tap(row, filter, 3, sx, acc);
  acc = tap(row, filter, 4, sx, acc);
  if (kw == 5) return acc;
  acc = tap(row, filter, 5, sx, acc);
  acc = tap(row, filter, 6, sx, acc);
  return acc;
}

/** Stores the first `count` (1 to 4) lanes of `value` at `target`. */
// @ts-ignore: decorator
@inline
function storeLanes(target: usize, value: v128, count: i32): void {
  if (count >= 4) {
    v128.store(target, value);
    return;
  }
  v128.store32_lane(target, value, 0);
  if (count > 1) v128.store32_lane(target, value, 1, 4);
  if (count > 2) v128.store32_lane(target, value, 2, 8);
}

/**
 * Convolves one plane with SIMD, taps unrolled for a k x k filter (k = 3, 5
 * or 7) at stride 1 or 2. Two vectors of outputs (8 columns) go together
 * where the row has them, so that each weight is splatted once for both.
 */
// @ts-ignore: decorator
@inline
function planeSimd(
  padded: usize, paddedW: i32, filter: usize, offset: f32, target: usize,
  outH: i32, outW: i32, kh: i32, kw: i32, sy: i32, sx: i32,
): void {
  const rowBytes = <usize>paddedW << 2;
  // The second vector's 4 outputs start 4 * sx inputs to the right.
  const secondOffset = <usize>(16 * sx);
  for (let oy = 0; oy < outH; oy++) {
    const firstRow = padded + <usize>(oy * sy) * rowBytes;
    const outRow = target + ((<usize>oy * outW) << 2);
    let ox = 0;

    for (; ox + 4 < outW; ox += 8) {
      let row = firstRow + ((<usize>ox * sx) << 2);
      let filterRowStart = filter;
      let first = f32x4.splat(offset);
      let second = first;
      for (let ky = 0; ky < kh; ky++) {
        // Taps kx = 0 .. kw - 1, unrolled; kw is a constant, so the guarded taps drop out for 3x3 and 5x5.
        let weight = v128.load32_splat(filterRowStart);
        first = weightedAdd(first, weight, row, 0, sx);
        second = weightedAdd(second, weight, row + secondOffset, 0, sx);
        weight = v128.load32_splat(filterRowStart, 4);
        first = weightedAdd(first, weight, row, 1, sx);
        second = weightedAdd(second, weight, row + secondOffset, 1, sx);
        weight = v128.load32_splat(filterRowStart, 8);
        first = weightedAdd(first, weight, row, 2, sx);
        second = weightedAdd(second, weight, row + secondOffset, 2, sx);
        if (kw > 3) {
          weight = v128.load32_splat(filterRowStart, 12);
          first = weightedAdd(first, weight, row, 3, sx);
          second = weightedAdd(second, weight, row + secondOffset, 3, sx);
          weight = v128.load32_splat(filterRowStart, 16);
          first = weightedAdd(first, weight, row, 4, sx);
          second = weightedAdd(second, weight, row + secondOffset, 4, sx);
        }
        if (kw > 5) {
          weight = v128.load32_splat(filterRowStart, 20);
          first = weightedAdd(first, weight, row, 5, sx);
          second = weightedAdd(second, weight, row + secondOffset, 5, sx);
          weight = v128.load32_splat(filterRowStart, 24);
          first = weightedAdd(first, weight, row, 6, sx);
          second = weightedAdd(second, weight, row + secondOffset, 6, sx);
        }
        row += rowBytes;
        filterRowStart += <usize>kw << 2;
      }
      v128.store(outRow + (<usize>ox << 2), first);
      storeLanes(outRow + (<usize>(ox + 4) << 2), second, outW - ox - 4);
    }

    for (; ox < outW; ox += 4) {
      let row = firstRow + ((<usize>ox * sx) << 2);
      let acc = f32x4.splat(offset);
      for (let ky = 0; ky < kh; ky++) {
        acc = filterRow(row, filter + ((<usize>ky * kw) << 2), kw, sx, acc);
        row += rowBytes;
      }
      storeLanes(outRow + (<usize>ox << 2), acc, outW - ox);
    }
  }
}

/** Convolves one plane with SIMD, for any filter size at horizontal stride 1 or 2. */
function planeSimdGeneral(
  padded: usize, paddedW: i32, filter: usize, offset: f32, target: usize,
  outH: i32, outW: i32, kh: i32, kw: i32, sy: i32, sx: i32,
): void {
  const rowBytes = <usize>paddedW << 2;
  for (let oy = 0; oy < outH; oy++) {
    const firstRow = padded + <usize>(oy * sy) * rowBytes;
    const outRow = target + ((<usize>oy * outW) << 2);
    for (let ox = 0; ox < outW; ox += 4) {
      let acc = f32x4.splat(offset);
      for (let ky = 0; ky < kh; ky++) {
        const row = firstRow + <usize>ky * rowBytes + ((<usize>ox * sx) << 2);
        const filterRowStart = filter + ((<usize>ky * kw) << 2);
        for (let kx = 0; kx < kw; kx++) {
          if (sx == 1) acc = tap(row, filterRowStart, kx, 1, acc);
          else acc = tap(row, filterRowStart, kx, 2, acc);
        }
      }
      storeLanes(outRow + (<usize>ox << 2), acc, outW - ox);
    }
  }
}

/** Convolves one plane one output at a time: any filter size and stride, and the scalar build. */
function planeScalar(
  padded: usize, paddedW: i32, filter: usize, offset: f32, target: usize,
  outH: i32, outW: i32, kh: i32, kw: i32, sy: i32, sx: i32,
): void {
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      let sum = offset;
      for (let ky = 0; ky < kh; ky++) {
        const row = padded + ((<usize>(oy * sy + ky) * paddedW + ox * sx) << 2);
        const filterRowStart = filter + ((<usize>ky * kw) << 2);
        for (let kx = 0; kx < kw; kx++) sum += load<f32>(filterRowStart + (<usize>kx << 2)) * load<f32>(row + (<usize>kx << 2));
      }
      store<f32>(target + ((<usize>oy * outW + ox) << 2), sum);
    }
  }
}

import { expVector, softplusScalar, softplusVector } from './vector-math';

// Selective scan (Mamba's S6 recurrence), per batch item b and channel c of
// group k = floor(c / (channels / groups)):
//   d_t = delta[b, c, t] + deltaBias[c], then softplus(d_t) when the flag is set
//   h_t[n] = exp(d_t A[c, n]) h_{t-1}[n] + d_t B[b, k, n, t] u[b, c, t],  h_0 = 0
//   y[b, c, t] = sum_n h_t[n] C[b, k, n, t] + D[c] u[b, c, t]
// The state is float32. exp(d A) underflowing to 0 only clears the state.
//
// The SIMD build runs 4 channels of one group per vector. Sequences are
// rows of `length` floats, so 4 steps of 4 channels are loaded as 4 row
// vectors and transposed; B and C are shared by the group and splatted.
// d_state = 1 (MobileMamba's setting) keeps the state in a register.

/**
 * Runs work units [begin, end): unit = b * quads + q covers channels
 * 4q .. 4q + 3 of batch item b. D and deltaBias may be 0 (absent).
 * `scratch` has room for 32 * states bytes per worker, used when states > 1.
 */
export function selective_scan(
  u: usize, delta: usize, A: usize, B: usize, C: usize, D: usize, deltaBias: usize, out: usize,
  channels: i32, length: i32, groups: i32, states: i32, softplus: i32,
  scratch: usize, begin: i32, end: i32, worker: i32,
): void {
  const quads = (channels + 3) / 4;
  const perGroup = channels / groups;
  const stateScratch = scratch + ((<usize>worker * states) << 5);

  for (let unit = begin; unit < end; unit++) {
    const item = unit / quads;
    const first = (unit % quads) * 4;
    const count = min(4, channels - first);
    const group = first / perGroup;
    const sameGroup = (first + count - 1) / perGroup == group;

    let done = false;
    if (ASC_FEATURE_SIMD) {
      if (count == 4 && sameGroup) {
        const sequences = (<usize>item * channels + first) * length;
        const projections = (<usize>(item * groups + group) * states) * length;
        if (states == 1) {
          quadSingleState(u, delta, A, B, C, D, deltaBias, out, sequences, projections, first, length, softplus);
        } else {
          quadStates(u, delta, A, B, C, D, deltaBias, out, sequences, projections, first, length, states, softplus, stateScratch);
        }
        done = true;
      }
    }
    if (!done) {
      for (let c = first; c < first + count; c++) {
        channelScalar(u, delta, A, B, C, D, deltaBias, out, item, c, length, groups, perGroup, states, softplus, stateScratch);
      }
    }
  }
}

/** Loads x[first .. first + 3] as a vector, or zeros when the array is absent. */
// @ts-ignore: decorator
@inline
function loadChannels(array: usize, first: i32): v128 {
  return array == 0 ? f32x4.splat(0) : v128.load(array + (<usize>first << 2));
}

/** Gathers A[first + i, n] for the 4 channels of a quad. */
// @ts-ignore: decorator
@inline
function gatherDecay(A: usize, first: i32, states: i32, n: i32): v128 {
  const at = A + ((<usize>first * states + n) << 2);
  const stride = <usize>states << 2;
  let v = f32x4.splat(load<f32>(at));
  v = f32x4.replace_lane(v, 1, load<f32>(at + stride));
  v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * stride));
  return f32x4.replace_lane(v, 3, load<f32>(at + 3 * stride));
}

/** Returns column `column` (0 to 3, a constant) of the 4x4 block whose rows are r0..r3. */
// @ts-ignore: decorator
@inline
function blockColumn(r0: v128, r1: v128, r2: v128, r3: v128, column: i32): v128 {
  // Column j of the block is lane j of every row.
  const low = column < 2 ? i32x4.shuffle(r0, r1, 0, 4, 1, 5) : i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const high = column < 2 ? i32x4.shuffle(r2, r3, 0, 4, 1, 5) : i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  return (column & 1) == 0 ? i32x4.shuffle(low, high, 0, 1, 4, 5) : i32x4.shuffle(low, high, 2, 3, 6, 7);
}

/** Computes d = delta + deltaBias, then softplus when asked, for 4 channels. */
// @ts-ignore: decorator
@inline
function stepSize(raw: v128, bias: v128, softplus: i32): v128 {
  const d = f32x4.add(raw, bias);
  return softplus ? softplusVector(d) : d;
}

/** Gathers the value at step t of the 4 sequences starting at `rows`, `length` floats apart. */
// @ts-ignore: decorator
@inline
function gatherStep(rows: usize, length: i32, t: i32): v128 {
  const at = rows + (<usize>t << 2);
  const stride = <usize>length << 2;
  let v = f32x4.splat(load<f32>(at));
  v = f32x4.replace_lane(v, 1, load<f32>(at + stride));
  v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * stride));
  return f32x4.replace_lane(v, 3, load<f32>(at + 3 * stride));
}

/** Scatters the 4 lanes of `value` to step t of the 4 sequences at `rows`. */
// @ts-ignore: decorator
@inline
function scatterStep(rows: usize, length: i32, t: i32, value: v128): void {
  const at = rows + (<usize>t << 2);
  const stride = <usize>length << 2;
  v128.store32_lane(at, value, 0);
  v128.store32_lane(at + stride, value, 1);
  v128.store32_lane(at + 2 * stride, value, 2);
  v128.store32_lane(at + 3 * stride, value, 3);
}

/** Scans one quad of channels with d_state = 1. */
function quadSingleState(
  u: usize, delta: usize, A: usize, B: usize, C: usize, D: usize, deltaBias: usize, out: usize,
  sequences: usize, projections: usize, first: i32, length: i32, softplus: i32,
): void {
  const decay = gatherDecay(A, first, 1, 0);
  const skip = loadChannels(D, first);
  const bias = loadChannels(deltaBias, first);
  const uRows = u + (sequences << 2);
  const dRows = delta + (sequences << 2);
  const outRows = out + (sequences << 2);
  const bRow = B + (projections << 2);
  const cRow = C + (projections << 2);
  const rowBytes = <usize>length << 2;

  let h = f32x4.splat(0);
  let t = 0;
  for (; t + 4 <= length; t += 4) {
    const at = <usize>t << 2;
    const u0 = v128.load(uRows + at), u1 = v128.load(uRows + rowBytes + at);
    const u2 = v128.load(uRows + 2 * rowBytes + at), u3 = v128.load(uRows + 3 * rowBytes + at);
    const d0 = v128.load(dRows + at), d1 = v128.load(dRows + rowBytes + at);
    const d2 = v128.load(dRows + 2 * rowBytes + at), d3 = v128.load(dRows + 3 * rowBytes + at);
    const bStep = v128.load(bRow + at);
    const cStep = v128.load(cRow + at);

    // Step t + j: column j of the u and delta blocks is the 4 channels' value.
    let x = blockColumn(u0, u1, u2, u3, 0);
    let d = stepSize(blockColumn(d0, d1, d2, d3, 0), bias, softplus);
    h = f32x4.add(f32x4.mul(expVector(f32x4.mul(d, decay)), h), f32x4.mul(f32x4.mul(d, x), f32x4.splat(f32x4.extract_lane(bStep, 0))));
    const y0 = f32x4.add(f32x4.mul(h, f32x4.splat(f32x4.extract_lane(cStep, 0))), f32x4.mul(skip, x));

    x = blockColumn(u0, u1, u2, u3, 1);
    d = stepSize(blockColumn(d0, d1, d2, d3, 1), bias, softplus);
    h = f32x4.add(f32x4.mul(expVector(f32x4.mul(d, decay)), h), f32x4.mul(f32x4.mul(d, x), f32x4.splat(f32x4.extract_lane(bStep, 1))));
    const y1 = f32x4.add(f32x4.mul(h, f32x4.splat(f32x4.extract_lane(cStep, 1))), f32x4.mul(skip, x));

    x = blockColumn(u0, u1, u2, u3, 2);
    d = stepSize(blockColumn(d0, d1, d2, d3, 2), bias, softplus);
    h = f32x4.add(f32x4.mul(expVector(f32x4.mul(d, decay)), h), f32x4.mul(f32x4.mul(d, x), f32x4.splat(f32x4.extract_lane(bStep, 2))));
    const y2 = f32x4.add(f32x4.mul(h, f32x4.splat(f32x4.extract_lane(cStep, 2))), f32x4.mul(skip, x));

    x = blockColumn(u0, u1, u2, u3, 3);
    d = stepSize(blockColumn(d0, d1, d2, d3, 3), bias, softplus);
    h = f32x4.add(f32x4.mul(expVector(f32x4.mul(d, decay)), h), f32x4.mul(f32x4.mul(d, x), f32x4.splat(f32x4.extract_lane(bStep, 3))));
    const y3 = f32x4.add(f32x4.mul(h, f32x4.splat(f32x4.extract_lane(cStep, 3))), f32x4.mul(skip, x));

    // Transposing the 4 step vectors back gives each channel's 4 consecutive outputs.
    v128.store(outRows + at, blockColumn(y0, y1, y2, y3, 0));
    v128.store(outRows + rowBytes + at, blockColumn(y0, y1, y2, y3, 1));
    v128.store(outRows + 2 * rowBytes + at, blockColumn(y0, y1, y2, y3, 2));
    v128.store(outRows + 3 * rowBytes + at, blockColumn(y0, y1, y2, y3, 3));
  }

  for (; t < length; t++) {
    const x = gatherStep(uRows, length, t);
    const d = stepSize(gatherStep(dRows, length, t), bias, softplus);
    const at = <usize>t << 2;
    h = f32x4.add(f32x4.mul(expVector(f32x4.mul(d, decay)), h), f32x4.mul(f32x4.mul(d, x), f32x4.splat(load<f32>(bRow + at))));
    scatterStep(outRows, length, t, f32x4.add(f32x4.mul(h, f32x4.splat(load<f32>(cRow + at))), f32x4.mul(skip, x)));
  }
}

/** Scans one quad of channels for any d_state, with the states and decays in scratch. */
function quadStates(
  u: usize, delta: usize, A: usize, B: usize, C: usize, D: usize, deltaBias: usize, out: usize,
  sequences: usize, projections: usize, first: i32, length: i32, states: i32, softplus: i32, scratch: usize,
): void {
  // scratch[2n] = decay vector of state n, scratch[2n + 1] = state n.
  for (let n = 0; n < states; n++) {
    const slot = scratch + (<usize>n << 5);
    v128.store(slot, gatherDecay(A, first, states, n));
    v128.store(slot, f32x4.splat(0), 16);
  }
  const skip = loadChannels(D, first);
  const bias = loadChannels(deltaBias, first);
  const uRows = u + (sequences << 2);
  const dRows = delta + (sequences << 2);
  const outRows = out + (sequences << 2);
  const stateRowBytes = <usize>length << 2;

  for (let t = 0; t < length; t++) {
    const x = gatherStep(uRows, length, t);
    const d = stepSize(gatherStep(dRows, length, t), bias, softplus);
    const dx = f32x4.mul(d, x);
    let y = f32x4.mul(skip, x);
    let at = ((projections + <usize>t) << 2);
    for (let n = 0; n < states; n++) {
      const slot = scratch + (<usize>n << 5);
      const h = f32x4.add(
        f32x4.mul(expVector(f32x4.mul(d, v128.load(slot))), v128.load(slot, 16)),
        f32x4.mul(dx, f32x4.splat(load<f32>(B + at))),
      );
      v128.store(slot, h, 16);
      y = f32x4.add(y, f32x4.mul(h, f32x4.splat(load<f32>(C + at))));
      at += stateRowBytes;
    }
    scatterStep(outRows, length, t, y);
  }
}

/**
 * Scans one channel, one step at a time, for the scalar build and for quads
 * that straddle two groups or run past the last channel. The states live in
 * the worker's scratch.
 */
function channelScalar(
  u: usize, delta: usize, A: usize, B: usize, C: usize, D: usize, deltaBias: usize, out: usize,
  item: i32, channel: i32, length: i32, groups: i32, perGroup: i32, states: i32, softplus: i32, scratch: usize,
): void {
  const group = channel / perGroup;
  const sequence = (<usize>item * (groups * perGroup) + channel) * length;
  const projections = (<usize>(item * groups + group) * states) * length;
  const skip: f32 = D == 0 ? 0 : load<f32>(D + (<usize>channel << 2));
  const bias: f32 = deltaBias == 0 ? 0 : load<f32>(deltaBias + (<usize>channel << 2));
  const decay = A + ((<usize>channel * states) << 2);
  memory.fill(scratch, 0, <usize>states << 2);

  for (let t = 0; t < length; t++) {
    const x = load<f32>(u + ((sequence + t) << 2));
    let d = load<f32>(delta + ((sequence + t) << 2)) + bias;
    if (softplus) d = softplusScalar(d);
    let y = skip * x;
    for (let n = 0; n < states; n++) {
      const at = (projections + <usize>n * length + t) << 2;
      const slot = scratch + (<usize>n << 2);
      const h = Mathf.exp(d * load<f32>(decay + (<usize>n << 2))) * load<f32>(slot) + d * load<f32>(B + at) * x;
      store<f32>(slot, h);
      y += h * load<f32>(C + at);
    }
    store<f32>(out + ((sequence + t) << 2), y);
  }
}

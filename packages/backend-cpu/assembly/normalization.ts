// Reductions: LayerNorm over channels, global average pooling and the fully
// connected layer. LayerNorm and pooling sum up to thousands of values, so
// they accumulate in float64 lanes; the float32 rounding of a long sum would
// otherwise approach the 1e-4 relative error bound.

/**
 * LayerNorm over axis 1 of x [batch, channels, positions], at every position:
 * y = (x - mean) / sqrt(var + eps) * weight[c] + bias[c], with the biased
 * variance, from two passes (mean, then squared deviations).
 */
export function layer_norm(x: usize, weight: usize, bias: usize, out: usize, batch: i32, channels: i32, positions: i32, eps: f64): void {
  const planeBytes = <usize>positions << 2;
  for (let item = 0; item < batch; item++) {
    const base = (<usize>item * channels * positions) << 2;
    let p = 0;
    if (ASC_FEATURE_SIMD) p = layerNormVectors(x + base, weight, bias, out + base, channels, positions, planeBytes, eps);
    for (; p < positions; p++) {
      const at = base + (<usize>p << 2);
      layerNormPosition(x + at, weight, bias, out + at, channels, planeBytes, eps);
    }
  }
}

/** LayerNorm of one position, whose channel values are planeBytes apart. */
function layerNormPosition(x: usize, weight: usize, bias: usize, out: usize, channels: i32, planeBytes: usize, eps: f64): void {
  let sum: f64 = 0;
  for (let c = 0; c < channels; c++) sum += <f64>load<f32>(x + <usize>c * planeBytes);
  const mean = sum / channels;

  let squares: f64 = 0;
  for (let c = 0; c < channels; c++) {
    const deviation = <f64>load<f32>(x + <usize>c * planeBytes) - mean;
    squares += deviation * deviation;
  }
  const inverse = 1 / Math.sqrt(squares / channels + eps);

  for (let c = 0; c < channels; c++) {
    const at = <usize>c * planeBytes;
    const normalized = (<f64>load<f32>(x + at) - mean) * inverse;
    store<f32>(out + at, <f32>(normalized * load<f32>(weight + (<usize>c << 2)) + load<f32>(bias + (<usize>c << 2))));
  }
}

/** LayerNorm of 4 positions per step; returns the first position left for the scalar loop. */
function layerNormVectors(x: usize, weight: usize, bias: usize, out: usize, channels: i32, positions: i32, planeBytes: usize, eps: f64): i32 {
  const count = f64x2.splat(<f64>channels);
  const epsilon = f64x2.splat(eps);
  const one = f64x2.splat(1);
  let p = 0;
  for (; p + 4 <= positions; p += 4) {
    const first = x + (<usize>p << 2);

    // Pass 1: the mean, in two float64 pairs (positions p, p+1 and p+2, p+3).
    let low = f64x2.splat(0);
    let high = f64x2.splat(0);
    for (let c = 0; c < channels; c++) {
      const v = v128.load(first + <usize>c * planeBytes);
      low = f64x2.add(low, f64x2.promote_low_f32x4(v));
      high = f64x2.add(high, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
    }
    const meanLow = f64x2.div(low, count);
    const meanHigh = f64x2.div(high, count);

    // Pass 2: the biased variance from squared deviations.
    low = f64x2.splat(0);
    high = f64x2.splat(0);
    for (let c = 0; c < channels; c++) {
      const v = v128.load(first + <usize>c * planeBytes);
      const deviationLow = f64x2.sub(f64x2.promote_low_f32x4(v), meanLow);
      const deviationHigh = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), meanHigh);
      low = f64x2.add(low, f64x2.mul(deviationLow, deviationLow));
      high = f64x2.add(high, f64x2.mul(deviationHigh, deviationHigh));
    }
    const inverseLow = f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(low, count), epsilon)));
    const inverseHigh = f64x2.div(one, f64x2.sqrt(f64x2.add(f64x2.div(high, count), epsilon)));

    // Pass 3 in float32: (x - mean) * inverse * weight + bias.
    const mean = i32x4.shuffle(f32x4.demote_f64x2_zero(meanLow), f32x4.demote_f64x2_zero(meanHigh), 0, 1, 4, 5);
    const inverse = i32x4.shuffle(f32x4.demote_f64x2_zero(inverseLow), f32x4.demote_f64x2_zero(inverseHigh), 0, 1, 4, 5);
    const target = out + (<usize>p << 2);
    for (let c = 0; c < channels; c++) {
      const at = <usize>c * planeBytes;
      const scale = f32x4.mul(inverse, v128.load32_splat(weight + (<usize>c << 2)));
      const normalized = f32x4.mul(f32x4.sub(v128.load(first + at), mean), scale);
      v128.store(target + at, f32x4.add(normalized, v128.load32_splat(bias + (<usize>c << 2))));
    }
  }
  return p;
}

/** Mean over each plane of `area` floats: out[plane] = sum / area, summed in float64. */
export function global_avg_pool(x: usize, out: usize, planes: i32, area: i32): void {
  for (let plane = 0; plane < planes; plane++) {
    const source = x + ((<usize>plane * area) << 2);
    let sum: f64 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let low = f64x2.splat(0);
      let high = f64x2.splat(0);
      for (; i + 4 <= area; i += 4) {
        const v = v128.load(source + (<usize>i << 2));
        low = f64x2.add(low, f64x2.promote_low_f32x4(v));
        high = f64x2.add(high, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
      }
      const total = f64x2.add(low, high);
      sum = f64x2.extract_lane(total, 0) + f64x2.extract_lane(total, 1);
    }
    for (; i < area; i++) sum += <f64>load<f32>(source + (<usize>i << 2));
    store<f32>(out + (<usize>plane << 2), <f32>(sum / area));
  }
}

/**
 * Fully connected layer for outputs [begin, end) of the batch * outFeatures
 * outputs: y[b, o] = bias[o] + sum_i x[b, i] weight[o, i]. Each dot product
 * runs over two contiguous rows, in float32 with 8 partial sums.
 */
export function linear(x: usize, weight: usize, bias: usize, out: usize, inFeatures: i32, outFeatures: i32, begin: i32, end: i32, worker: i32): void {
  for (let unit = begin; unit < end; unit++) {
    const item = unit / outFeatures;
    const feature = unit % outFeatures;
    const row = x + ((<usize>item * inFeatures) << 2);
    const filter = weight + ((<usize>feature * inFeatures) << 2);

    let sum: f32 = 0;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      let first = f32x4.splat(0);
      let second = f32x4.splat(0);
      for (; i + 8 <= inFeatures; i += 8) {
        const at = <usize>i << 2;
        first = f32x4.add(first, f32x4.mul(v128.load(row + at), v128.load(filter + at)));
        second = f32x4.add(second, f32x4.mul(v128.load(row + at, 16), v128.load(filter + at, 16)));
      }
      const total = f32x4.add(first, second);
      sum = f32x4.extract_lane(total, 0) + f32x4.extract_lane(total, 1) + f32x4.extract_lane(total, 2) + f32x4.extract_lane(total, 3);
    }
    for (; i < inFeatures; i++) sum += load<f32>(row + (<usize>i << 2)) * load<f32>(filter + (<usize>i << 2));
    if (bias != 0) sum += load<f32>(bias + (<usize>feature << 2));
    store<f32>(out + (<usize>unit << 2), sum);
  }
}

// Transcendental functions on four float32 lanes, for the SIMD build.
//
// exp and log use the polynomials of the Cephes single-precision routines
// (degree 5 for exp after reducing to |r| <= ln(2)/2, degree 8 for log of
// a mantissa in [sqrt(1/2), sqrt(2))). The conformance suite's softplus,
// sigmoid and SiLU cases check them against float64 over [-100, 100]. The
// scalar build uses Mathf instead.

// Below this exp() is smaller than the smallest float32 normal number, so the
// result is flushed to 0. Clamping also turns -Infinity into 0 rather than NaN.
const EXP_MIN: f32 = -87.33654;
// exp(88) is about 1.7e38, near the float32 maximum. Clamping here keeps n <= 127 in
// the range reduction, so 2^n never becomes Infinity.
const EXP_MAX: f32 = 88.0;
const LOG2E: f32 = 1.44269504088896341;
// ln(2) split into a part exact in float32 and the remainder, for the range reduction.
const LN2_HIGH: f32 = 0.693359375;
const LN2_LOW: f32 = -2.12194440e-4;
const SQRT_HALF: f32 = 0.707106781186547524;
// 1.5 * 2^23 + 127: adding it to a float below 2^22 in magnitude rounds it to an integer.
const ROUNDING_SHIFT: f32 = 12583039.0;
// PyTorch's softplus returns x itself above this threshold.
export const SOFTPLUS_THRESHOLD: f32 = 20.0;

/** Computes exp(x) per lane; inputs below EXP_MIN give 0 and NaN stays NaN. */
// @ts-ignore: decorator
@inline
export function expVector(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(EXP_MIN));
  // pmax and pmin (a < b ? b : a and b < a ? b : a) are single x86 instructions, unlike max
  // and min, and they keep a NaN x as it is.
  const clamped = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));

  // x = n ln2 + r with n = round(x / ln2). Adding 1.5 * 2^23 + 127 rounds x / ln2 to an
  // integer held in the low mantissa bits of `shifted`, already offset by the exponent bias 127.
  const shifted = f32x4.add(f32x4.mul(clamped, f32x4.splat(LOG2E)), f32x4.splat(ROUNDING_SHIFT));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDING_SHIFT));
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(LN2_HIGH)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LOW)));

  const r2 = f32x4.mul(r, r);
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, r2), r), f32x4.splat(1.0));

  // 2^n from its exponent bits: n + 127 moves from the low mantissa bits into the exponent
  // field. n >= -126 after the clamp, so the bits stay a normal number.
  const exponent = i32x4.shl(shifted, 23);
  const result = f32x4.mul(p, exponent);
  return v128.bitselect(f32x4.splat(0.0), result, underflow);
}

/** Computes log(x) per lane for finite x > 0. */
// @ts-ignore: decorator
@inline
function logVector(x: v128): v128 {
  // x = m 2^e with m in [0.5, 1), read from the float32 bits.
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(x, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));

  // Move m into [sqrt(1/2), sqrt(2)) so that m - 1 is small, then take m - 1.
  const small = f32x4.lt(m, f32x4.splat(SQRT_HALF));
  e = f32x4.sub(e, v128.and(f32x4.splat(1.0), small));
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), f32x4.splat(1.0));

  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);

  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(LN2_LOW)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(e, f32x4.splat(LN2_HIGH)));
}

/**
 * Computes log(1 + y) per lane for y >= 0. Forming u = 1 + y rounds away
 * low bits of a small y; the term (y - (u - 1)) / u adds them back.
 */
// @ts-ignore: decorator
@inline
function log1pVector(y: v128): v128 {
  const u = f32x4.add(y, f32x4.splat(1.0));
  const correction = f32x4.div(f32x4.sub(y, f32x4.sub(u, f32x4.splat(1.0))), u);
  return f32x4.add(logVector(u), correction);
}

/** PyTorch's softplus per lane: x above 20, else log(1 + exp(x)). */
// @ts-ignore: decorator
@inline
export function softplusVector(x: v128): v128 {
  const large = f32x4.gt(x, f32x4.splat(SOFTPLUS_THRESHOLD));
  // exp(20) is about 4.9e8, so the clamp keeps exp and log finite on the lanes that use them.
  const bounded = f32x4.pmin(x, f32x4.splat(SOFTPLUS_THRESHOLD));
  return v128.bitselect(x, log1pVector(expVector(bounded)), large);
}

/** Computes the logistic sigmoid per lane, 1 / (1 + exp(-x)). */
// @ts-ignore: decorator
@inline
export function sigmoidVector(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expVector(f32x4.neg(x))));
}

/** PyTorch's softplus on one value: x above 20, else log1p(exp(x)). */
// @ts-ignore: decorator
@inline
export function softplusScalar(x: f32): f32 {
  return x > SOFTPLUS_THRESHOLD ? x : Mathf.log1p(Mathf.exp(x));
}

/** Computes the logistic sigmoid of one value. When exp(-x) overflows to Infinity the result is 0. */
// @ts-ignore: decorator
@inline
export function sigmoidScalar(x: f32): f32 {
  return 1.0 / (1.0 + Mathf.exp(-x));
}

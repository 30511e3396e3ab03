import { validatePositiveInteger } from './image.js';

/**
 * Fractional bits of Pillow's fixed-point weights for 8-bit images
 * (32 - 8 - 2, so that a sum of 8-bit values times weights fits in int32).
 */
export const PRECISION_BITS = 22;

/** Reach of the unstretched bicubic kernel, in input pixels on each side. */
const BICUBIC_SUPPORT = 2;

/**
 * Pillow's bicubic kernel: Keys' cubic with a = -0.5. The polynomials are
 * evaluated in the same form as Pillow's C code, so the doubles agree.
 */
export function bicubicKernel(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** The fixed-point resampling weights of one axis, one row of taps per output index. */
export interface AxisWeights {
  readonly inSize: number;
  readonly outSize: number;
  /** First input index read by each output index. */
  readonly start: Int32Array;
  /** Number of input indices read by each output index. */
  readonly count: Int32Array;
  /** Row length of `weights`: the largest possible tap count. */
  readonly stride: number;
  /** Weights with PRECISION_BITS fractional bits. Row i starts at index i * stride. */
  readonly weights: Int32Array;
}

/**
 * Computes Pillow's bicubic weights for resizing one axis from `inSize` to
 * `outSize` (Pillow 9.4, `precompute_coeffs` and `normalize_coeffs_8bpc`).
 *
 * With f = inSize / outSize, output i is centred at (i + 0.5) * f. When
 * reducing, the kernel is stretched by f, so it reaches 2 * f input pixels
 * on each side. Taps run from trunc(centre - reach + 0.5) to, but not
 * including, trunc(centre + reach + 0.5), cut to the image, and tap x gets
 * kernel((x + 0.5 - centre) / max(f, 1)). Weights are divided by their sum
 * (there is no border padding), then scaled by 2^22 and rounded half away
 * from zero.
 */
export function computeAxisWeights(inSize: number, outSize: number): AxisWeights {
  validatePositiveInteger('computeAxisWeights', 'inSize', inSize);
  validatePositiveInteger('computeAxisWeights', 'outSize', outSize);

  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = BICUBIC_SUPPORT * filterScale;
  const stride = Math.ceil(support) * 2 + 1;

  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * stride);
  const taps = new Float64Array(stride);
  const unit = 2 ** PRECISION_BITS;
  // Pillow multiplies by the reciprocal of the kernel scale instead of dividing,
  // which can change the last bit of a tap and so, rarely, a rounded weight.
  const inverseFilterScale = 1 / filterScale;

  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const first = Math.max(Math.trunc(centre - support + 0.5), 0);
    const end = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const n = end - first;

    let sum = 0;
    for (let t = 0; t < n; t++) {
      taps[t] = bicubicKernel((t + first - centre + 0.5) * inverseFilterScale);
      sum += taps[t];
    }

    for (let t = 0; t < n; t++) {
      const normalized = sum !== 0 ? taps[t] / sum : taps[t];
      weights[i * stride + t] = roundHalfAwayFromZero(normalized * unit);
    }
    start[i] = first;
    count[i] = n;
  }

  return { inSize, outSize, start, count, stride, weights };
}

function roundHalfAwayFromZero(value: number): number {
  return value < 0 ? Math.trunc(value - 0.5) : Math.trunc(value + 0.5);
}

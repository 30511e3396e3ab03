/**
 * Returns floor(n / d) for integer-valued 0 <= n < 2^23 and d >= 1. Kernels
 * call it to decode flat indices. GLSL ES allows division an error of 2.5
 * ulps, enough to put n / d on the wrong side of an integer once n passes
 * about a million. So the estimate floor((n + 0.5) / d), which that error
 * moves by at most 2 (and by 1 where d >= 2), is corrected twice by the
 * remainder n - q * d. Every product and sum here is an integer below
 * 2^24, so float32 computes it exactly.
 *
 * No module imports it. Kernels call it as the global that
 * kernel-globals.d.ts declares, because the build copies its source text
 * into src/generated/kernel-sources.ts and the runtime adds that text to
 * every kernel.
 */
export function floorDivide(n: number, d: number): number {
  let q = Math.floor((n + 0.5) / d);
  let r = n - q * d;
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  if (r < 0) {
    q -= 1;
  } else if (r >= d) {
    q += 1;
  }
  return q;
}

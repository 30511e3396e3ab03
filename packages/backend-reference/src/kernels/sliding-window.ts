import type { Padding4 } from '@mobilemamba/core';

/** Sizes, stride and padding of one 2-D cross-correlation pass over a single plane. */
export interface WindowGeometry {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly stride: readonly [number, number];
  /** Top, bottom, left and right padding. Only top and left shift the window. */
  readonly padding: Padding4;
}

/**
 * Returns the first and last output index whose tap at kernel offset `tap`
 * lands inside the input: o * stride - pad + tap in [0, inSize - 1]. Outside
 * that range the tap reads zero padding and contributes nothing.
 */
function validOutputRange(tap: number, pad: number, stride: number, inSize: number, outSize: number): [number, number] {
  const first = Math.max(0, Math.ceil((pad - tap) / stride));
  const last = Math.min(outSize - 1, Math.floor((inSize - 1 + pad - tap) / stride));
  return [first, last];
}

/**
 * Adds one input plane cross-correlated with one kh x kw filter to
 * `accumulator` (outHeight x outWidth, row-major):
 * acc[oy, ox] += sum_{ky, kx} w[ky, kx] * x[oy*sy - top + ky, ox*sx - left + kx],
 * where taps outside the input read zeros.
 *
 * The loops run over kernel taps outside and output rows and columns inside,
 * so each inner loop reads one input row and writes one accumulator row in
 * order, and nothing is allocated per pixel.
 */
export function accumulatePlane(
  accumulator: Float64Array,
  input: Float32Array,
  inputOffset: number,
  filter: Float32Array,
  filterOffset: number,
  geometry: WindowGeometry,
): void {
  const { inHeight, inWidth, outWidth, kernelHeight, kernelWidth, stride, padding } = geometry;
  const [strideY, strideX] = stride;
  const [top, , left] = padding;

  for (let ky = 0; ky < kernelHeight; ky++) {
    const [firstRow, lastRow] = validOutputRange(ky, top, strideY, inHeight, geometry.outHeight);
    for (let kx = 0; kx < kernelWidth; kx++) {
      const [firstColumn, lastColumn] = validOutputRange(kx, left, strideX, inWidth, outWidth);
      const weight = filter[filterOffset + ky * kernelWidth + kx];

      for (let oy = firstRow; oy <= lastRow; oy++) {
        const inputRow = inputOffset + (oy * strideY - top + ky) * inWidth - left + kx;
        const outputRow = oy * outWidth;
        for (let ox = firstColumn; ox <= lastColumn; ox++) {
          accumulator[outputRow + ox] += weight * input[inputRow + ox * strideX];
        }
      }
    }
  }
}

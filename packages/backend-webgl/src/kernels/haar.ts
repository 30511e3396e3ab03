import type { HaarAttributes, InverseHaarAttributes, KernelTensor } from '@mobilemamba/core';
import { KERNEL_SOURCES } from '../generated/kernel-sources.js';
import type { KernelConstants, KernelThis, WebGlRuntime } from '../runtime.js';
import { storageOf, type TextureStorage } from '../storage.js';

interface HaarConstants extends KernelConstants {
  /** The absolute value of every filter tap. */
  readonly tap: number;
  readonly height: number;
  readonly width: number;
  readonly halfHeight: number;
  readonly halfWidth: number;
}

/**
 * Computes Haar analysis at output (b, 4c + k, i, j). Take the 2x2 block
 * [p, q; r, s] at rows 2i, 2i+1 and columns 2j, 2j+1 of channel c, with
 * zeros past the bottom or right edge. Then subband k is
 *   k = 0: tap (p + q + r + s)    k = 1: tap (p + q - r - s)
 *   k = 2: tap (p - q + r - s)    k = 3: tap (p - q - r + s),
 * so subbands 1 and 3 negate the bottom row and subbands 2 and 3 the right column.
 */
function dwtSource(this: KernelThis<HaarConstants>, x: number[]): number {
  const i = this.thread.x;
  const row = floorDivide(i, this.constants.halfWidth);
  const j = i - row * this.constants.halfWidth;
  const subbandPlane = floorDivide(row, this.constants.halfHeight);
  const h = row - subbandPlane * this.constants.halfHeight;
  const plane = floorDivide(subbandPlane, 4);
  const k = subbandPlane - plane * 4;

  const y0 = 2 * h;
  const x0 = 2 * j;
  const base = plane * this.constants.height * this.constants.width;
  const hasBottom = y0 + 1 < this.constants.height;
  const hasRight = x0 + 1 < this.constants.width;

  const p = x[base + y0 * this.constants.width + x0];
  let q = 0;
  let r = 0;
  let s = 0;
  if (hasRight) {
    q = x[base + y0 * this.constants.width + x0 + 1];
  }
  if (hasBottom) {
    r = x[base + (y0 + 1) * this.constants.width + x0];
  }
  if (hasBottom && hasRight) {
    s = x[base + (y0 + 1) * this.constants.width + x0 + 1];
  }

  let bottomSign = 1;
  if (k === 1 || k === 3) {
    bottomSign = -1;
  }
  let rightSign = 1;
  if (k === 2 || k === 3) {
    rightSign = -1;
  }
  return this.constants.tap * (p + rightSign * q + bottomSign * r + bottomSign * rightSign * s);
}

/** One-level Haar analysis: [B, C, H, W] to [B, 4C, ceil(H/2), ceil(W/2)], channel 4c+k holding subband k of channel c. */
export function dwt2d(runtime: WebGlRuntime, x: KernelTensor, attributes: HaarAttributes): TextureStorage {
  const [batch, channels, height, width] = x.shape;
  const halfHeight = Math.ceil(height / 2);
  const halfWidth = Math.ceil(width / 2);
  return runtime.run({
    name: 'dwt2d',
    source: KERNEL_SOURCES.dwtSource,
    outputSize: batch * channels * 4 * halfHeight * halfWidth,
    constants: { tap: attributes.tap, height, width, halfHeight, halfWidth },
    inputs: [storageOf(x)],
  });
}

/**
 * Haar synthesis at output (b, c, y, x), the stride-2 transposed conv with
 * the analysis filters. With subbands (LL, H1, H2, H3) of channel c at
 * (floor(y/2), floor(x/2)):
 *   y = tap (LL +- H1 +- H2 +- H3),
 * where H1 is negated on odd rows, H2 on odd columns, and H3 carries the
 * product of both signs.
 */
function idwtSource(this: KernelThis<HaarConstants>, x: number[]): number {
  const i = this.thread.x;
  const row = floorDivide(i, this.constants.width);
  const column = i - row * this.constants.width;
  const plane = floorDivide(row, this.constants.height);
  const y = row - plane * this.constants.height;
  const h = floorDivide(y, 2);
  const j = floorDivide(column, 2);

  const subbandSize = this.constants.halfHeight * this.constants.halfWidth;
  const at = plane * 4 * subbandSize + h * this.constants.halfWidth + j;
  let rowSign = 1;
  if (y - 2 * h > 0.5) {
    rowSign = -1;
  }
  let columnSign = 1;
  if (column - 2 * j > 0.5) {
    columnSign = -1;
  }
  const low = x[at];
  const rows = x[at + subbandSize];
  const columns = x[at + 2 * subbandSize];
  const diagonal = x[at + 3 * subbandSize];
  return this.constants.tap * (low + rowSign * rows + columnSign * columns + rowSign * columnSign * diagonal);
}

/** Haar synthesis: [B, 4C, h, w] to [B, C, outHeight, outWidth], the 2h x 2w result cropped at the bottom and right. */
export function idwt2d(runtime: WebGlRuntime, x: KernelTensor, attributes: InverseHaarAttributes): TextureStorage {
  const [batch, subbands, halfHeight, halfWidth] = x.shape;
  const { outHeight, outWidth } = attributes;
  return runtime.run({
    name: 'idwt2d',
    source: KERNEL_SOURCES.idwtSource,
    outputSize: batch * (subbands / 4) * outHeight * outWidth,
    constants: { tap: attributes.tap, height: outHeight, width: outWidth, halfHeight, halfWidth },
    inputs: [storageOf(x)],
  });
}

import { computeAxisWeights, PRECISION_BITS, type AxisWeights } from './bicubic-weights.js';
import { validatePositiveInteger, validateRgbImage, type RgbImage } from './image.js';

/** Every sum starts at one half, so the final shift rounds to nearest. */
const HALF = 2 ** (PRECISION_BITS - 1);

/** Sums at or above this value clip to 255. */
const CLIP_HIGH = 2 ** (PRECISION_BITS + 8);

/**
 * Resizes an RGB image with Pillow's bicubic filter, reproducing Pillow 9.4's
 * `Image.resize(size, Image.BICUBIC)` bit for bit on 8-bit RGB.
 *
 * The resize runs in two passes over fixed-point weights (see
 * computeAxisWeights): horizontal first, over only the input rows that the
 * vertical pass reads, then vertical. Each pass rounds and clips its result
 * to 8 bits, and that intermediate rounding is part of Pillow's output. A
 * pass is skipped when its axis keeps its size, as in Pillow.
 */
export function resizeBicubic(image: RgbImage, height: number, width: number): RgbImage {
  validateRgbImage('resizeBicubic', 'image', image);
  validatePositiveInteger('resizeBicubic', 'height', height);
  validatePositiveInteger('resizeBicubic', 'width', width);

  const vertical = computeAxisWeights(image.height, height);

  let current = image;
  let verticalRowOffset = 0;
  if (width !== image.width) {
    const firstRow = vertical.start[0];
    const endRow = vertical.start[height - 1] + vertical.count[height - 1];
    const horizontal = computeAxisWeights(image.width, width);
    current = resampleRows(image, horizontal, firstRow, endRow);
    verticalRowOffset = firstRow;
  }

  if (height !== image.height) {
    current = resampleColumns(current, vertical, verticalRowOffset);
  }

  return current === image ? { data: image.data.slice(), height, width } : current;
}

/** Horizontal pass: resamples input rows [firstRow, endRow) to `weights.outSize` columns. */
function resampleRows(image: RgbImage, weights: AxisWeights, firstRow: number, endRow: number): RgbImage {
  const { start, count, stride, weights: kernel, outSize: width } = weights;
  const source = image.data;
  const rowLength = image.width * 3;
  const height = endRow - firstRow;
  const out = new Uint8Array(height * width * 3);

  let o = 0;
  for (let y = firstRow; y < endRow; y++) {
    const rowOffset = y * rowLength;
    for (let x = 0; x < width; x++) {
      const k = x * stride;
      const n = count[x];
      let r = HALF;
      let g = HALF;
      let b = HALF;
      let p = rowOffset + start[x] * 3;
      for (let t = 0; t < n; t++, p += 3) {
        const w = kernel[k + t];
        r += source[p] * w;
        g += source[p + 1] * w;
        b += source[p + 2] * w;
      }
      out[o++] = clip8(r);
      out[o++] = clip8(g);
      out[o++] = clip8(b);
    }
  }

  return { data: out, height, width };
}

/**
 * Vertical pass: resamples to `weights.outSize` rows. Row indices in
 * `weights` count from the original image, and `rowOffset` is the original
 * index of the first row that `image` holds.
 */
function resampleColumns(image: RgbImage, weights: AxisWeights, rowOffset: number): RgbImage {
  const { start, count, stride, weights: kernel, outSize: height } = weights;
  const source = image.data;
  const rowLength = image.width * 3;
  const out = new Uint8Array(height * rowLength);

  // Accumulating whole rows keeps reads sequential. Float64 represents every
  // sum exactly (they stay far below 2^53).
  const sums = new Float64Array(rowLength);
  for (let y = 0; y < height; y++) {
    sums.fill(HALF);
    const k = y * stride;
    const first = start[y] - rowOffset;
    for (let t = 0; t < count[y]; t++) {
      const w = kernel[k + t];
      const rowStart = (first + t) * rowLength;
      for (let i = 0; i < rowLength; i++) {
        sums[i] += source[rowStart + i] * w;
      }
    }

    const outStart = y * rowLength;
    for (let i = 0; i < rowLength; i++) {
      out[outStart + i] = clip8(sums[i]);
    }
  }

  return { data: out, height, width: image.width };
}

/** Pillow's `clip8`: a fixed-point sum to 0..255, rounding already added. */
function clip8(sum: number): number {
  if (sum >= CLIP_HIGH) return 255;
  if (sum <= 0) return 0;
  return sum >> PRECISION_BITS;
}

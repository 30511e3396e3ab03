import type { RgbImage } from './image.js';

/** Colour model of decoded samples. A channel after the colour channels is alpha. */
export type DecodedSpace = 'gray' | 'rgb' | 'cmyk';

/**
 * Decoded samples, channels interleaved: gray (1, or 2 with alpha), RGB (3,
 * or 4 with alpha) or CMYK (4, 8-bit only).
 */
export interface DecodedPixels {
  readonly samples: Uint8Array | Uint16Array;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly space: DecodedSpace;
}

/**
 * Converts decoded samples to 8-bit RGB the way Pillow 9.4's
 * `Image.open(...).convert('RGB')` does.
 *
 * - Gray is copied to R, G and B. Alpha is dropped, not composited.
 * - 16-bit RGB, RGBA and gray+alpha keep the high byte, as Pillow's
 *   `RGB;16B`, `RGBA;16B` and `LA;16B` unpackers do.
 * - 16-bit gray without alpha opens as Pillow mode I, and I to RGB clips at
 *   255 instead of scaling, so every value above 255 becomes white. Pillow
 *   10 and later open it as I;16 and clip the same way.
 * - CMYK becomes RGB with Pillow's formula, R = (255 - K) * (1 - C / 255)
 *   in integers, and no colour profile.
 */
export function toRgb8(pixels: DecodedPixels): RgbImage {
  if (pixels.space === 'cmyk') return cmykToRgb8(pixels);

  const { samples, height, width, channels } = pixels;
  const reduce = samples instanceof Uint16Array
    ? (channels === 1 ? clipTo255 : highByte)
    : identity;

  const count = height * width;
  const out = new Uint8Array(count * 3);
  const isGray = pixels.space === 'gray';
  for (let i = 0, p = 0, o = 0; i < count; i++, p += channels, o += 3) {
    if (isGray) {
      const value = reduce(samples[p]);
      out[o] = value;
      out[o + 1] = value;
      out[o + 2] = value;
    } else {
      out[o] = reduce(samples[p]);
      out[o + 1] = reduce(samples[p + 1]);
      out[o + 2] = reduce(samples[p + 2]);
    }
  }

  return { data: out, height, width };
}

/** Pillow's `cmyk2rgb`: each channel (255 - K) - C * (255 - K) / 255, the product rounded as MULDIV255 does. */
function cmykToRgb8(pixels: DecodedPixels): RgbImage {
  const { samples, height, width } = pixels;
  const count = height * width;
  const out = new Uint8Array(count * 3);
  for (let i = 0, p = 0, o = 0; i < count; i++, p += 4, o += 3) {
    const inverseBlack = 255 - samples[p + 3];
    out[o] = inverseBlack - multiplyDivide255(samples[p], inverseBlack);
    out[o + 1] = inverseBlack - multiplyDivide255(samples[p + 1], inverseBlack);
    out[o + 2] = inverseBlack - multiplyDivide255(samples[p + 2], inverseBlack);
  }
  return { data: out, height, width };
}

/** a * b / 255 rounded to nearest, in Pillow's integer form (its MULDIV255 macro). */
function multiplyDivide255(a: number, b: number): number {
  const product = a * b + 128;
  return ((product >> 8) + product) >> 8;
}

function identity(value: number): number {
  return value;
}

function highByte(value: number): number {
  return value >> 8;
}

function clipTo255(value: number): number {
  return value > 255 ? 255 : value;
}

import { encode, type BitDepth, type PngEncoderOptions } from 'fast-png';

/** A generated PNG file and what makes it a hard case. */
export interface PngCase {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Returns `length` samples from 0 to `max` in a fixed pattern, so the files are the same on every run. */
function pattern(length: number, max: number): number[] {
  return Array.from({ length }, (_, i) => (i * 7919 + ((i * i) % 104_729)) % (max + 1));
}

/**
 * RGBA in which every other pixel has alpha 0 and keeps its colour. A canvas
 * stores premultiplied alpha, so it reads those pixels as black, while
 * Pillow's convert('RGB') keeps the colour.
 */
export function transparentRgbaPng(width = 40, height = 30): Uint8Array {
  const data = Uint8Array.from(pattern(width * height * 4, 255));
  for (let pixel = 0; pixel < width * height; pixel++) data[pixel * 4 + 3] = pixel % 2 === 0 ? 255 : 0;
  return encode({ width, height, data, channels: 4, depth: 8 });
}

/**
 * 16-bit gray without alpha, most samples above 255. Pillow opens it as mode
 * I and clips at 255, while a browser keeps the high byte.
 */
export function gray16Png(width = 40, height = 30): Uint8Array {
  return encode({ width, height, data: Uint16Array.from(pattern(width * height, 1023)), channels: 1, depth: 16 });
}

/** Returns a gray image 1 pixel wide and so tall that the evaluation transform's resize to input size 64 exceeds its pixel limit. */
export function tallPng(height = 60_000): Uint8Array {
  return encode({ width: 1, height, data: Uint8Array.from(pattern(height, 255)), channels: 1, depth: 8 });
}

/** Returns one file of every PNG layout the page decodes itself: each colour type and bit depth, palettes with tRNS, and interlacing. */
export function pngCases(): PngCase[] {
  const width = 13;
  const height = 9;
  const pixels = width * height;
  const interlaced: PngEncoderOptions = { interlace: 'Adam7' };
  const cases: PngCase[] = [
    { name: 'rgba8 with transparent pixels', bytes: transparentRgbaPng(width, height) },
    { name: 'gray16', bytes: gray16Png(width, height) },
    { name: 'gray8', bytes: encode({ width, height, data: Uint8Array.from(pattern(pixels, 255)), channels: 1, depth: 8 }) },
    { name: 'gray+alpha8', bytes: encode({ width, height, data: Uint8Array.from(pattern(pixels * 2, 255)), channels: 2, depth: 8 }) },
    { name: 'gray+alpha16', bytes: encode({ width, height, data: Uint16Array.from(pattern(pixels * 2, 65_535)), channels: 2, depth: 16 }) },
    { name: 'rgb8', bytes: encode({ width, height, data: Uint8Array.from(pattern(pixels * 3, 255)), channels: 3, depth: 8 }) },
    { name: 'rgb16', bytes: encode({ width, height, data: Uint16Array.from(pattern(pixels * 3, 65_535)), channels: 3, depth: 16 }) },
    { name: 'rgba16', bytes: encode({ width, height, data: Uint16Array.from(pattern(pixels * 4, 65_535)), channels: 4, depth: 16 }) },
    {
      name: 'rgb8 interlaced',
      bytes: encode({ width, height, data: Uint8Array.from(pattern(pixels * 3, 255)), channels: 3, depth: 8 }, interlaced),
    },
    {
      name: 'gray16 interlaced',
      bytes: encode({ width, height, data: Uint16Array.from(pattern(pixels, 1023)), channels: 1, depth: 16 }, interlaced),
    },
  ];

  for (const depth of [1, 2, 4] as const) {
    cases.push({ name: `gray${depth}`, bytes: encode({ width, height, data: packRows(pattern(pixels, 2 ** depth - 1), width, depth), channels: 1, depth }) });
  }
  for (const depth of [1, 2, 4, 8] as const) {
    const colours = 2 ** depth;
    // Alpha 0 for every other colour, written as a tRNS chunk.
    const palette = Array.from({ length: colours }, (_, i) => [(i * 37) % 256, (i * 91) % 256, (i * 53) % 256, i % 2 === 0 ? 255 : 0]);
    const indices = packRows(pattern(pixels, colours - 1), width, depth);
    cases.push({ name: `palette${depth} with tRNS`, bytes: encode({ width, height, data: indices, channels: 1, depth, palette }) });
  }
  return cases;
}

/** Packs samples of `depth` bits, most significant bits first, each row starting on a byte boundary, as PNG stores them. */
function packRows(samples: number[], width: number, depth: BitDepth): Uint8Array {
  if (depth === 8) return Uint8Array.from(samples);
  const rowBytes = Math.ceil((width * depth) / 8);
  const height = samples.length / width;
  const packed = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      packed[y * rowBytes + (bit >> 3)] |= samples[y * width + x] << (8 - depth - (bit & 7));
    }
  }
  return packed;
}

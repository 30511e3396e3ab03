import { decode, type DecodedPng } from 'fast-png';
import type { DecodedPixels } from '@mobilemamba/models';

/** Byte offsets in a PNG file of IHDR fields: the chunk follows the 8-byte signature and its 8-byte chunk header. */
const IHDR_BIT_DEPTH = 24;
const IHDR_COLOUR_TYPE = 25;
const IHDR_INTERLACE = 28;

/** The colour type of palette images. */
const INDEXED_COLOUR = 3;

/**
 * Decodes PNG bytes to their stored samples with fast-png: 8-bit or 16-bit,
 * gray or RGB, with alpha when the file has an alpha channel. The models
 * package's toRgb8 then applies Pillow's convert('RGB') rules, as it does to
 * sharp's samples in Node, so alpha is dropped, not composited. Chunk CRCs
 * are checked, as Pillow and sharp check them. tRNS transparency is ignored,
 * because convert('RGB') ignores it too.
 *
 * Returns null for an Adam7-interlaced file with fewer than 8 bits per
 * sample, because fast-png 8.0 unpacks those as one byte per pixel, which
 * scrambles them. Throws when the header declares more than `maxPixels`
 * pixels, before the samples are allocated.
 *
 * NOTE: fast-png inflates all image data before using it, so a small file
 * whose data inflates far beyond the image size (up to deflate's ratio of
 * about 1000:1) can use that much memory.
 */
export function decodePngSamples(bytes: Uint8Array, maxPixels: number): DecodedPixels | null {
  const { width, height } = readHeaderSize(bytes);
  if (width * height > maxPixels) {
    throw new Error(`the image is ${width} x ${height} pixels, more than the limit of ${maxPixels} pixels; scale it down first`);
  }
  if (bytes[IHDR_INTERLACE] !== 0 && bytes[IHDR_BIT_DEPTH] < 8) return null;

  let png: DecodedPng;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (error) {
    throw new Error(`corrupt or truncated PNG data (${describeWithCauses(error)})`, { cause: error });
  }

  if (bytes[IHDR_COLOUR_TYPE] === INDEXED_COLOUR) return paletteToRgb(png);
  if (png.depth < 8) return { samples: scaleToEightBits(png), height, width, channels: 1, space: 'gray' };

  const channels = png.channels as DecodedPixels['channels'];
  const space = channels <= 2 ? 'gray' : 'rgb';
  // 8-bit data may come back as a Uint8ClampedArray, but toRgb8 recognises the depth by the array type: Uint8Array or Uint16Array.
  const samples = png.data instanceof Uint16Array ? png.data : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  return { samples, height, width, channels, space };
}

/** Joins an error's message with those of its causes: fast-png puts fflate's reason, such as 'unexpected EOF', in the cause. */
function describeWithCauses(error: unknown): string {
  const messages: string[] = [];
  for (let current = error; current !== undefined && messages.length < 4; current = current instanceof Error ? current.cause : undefined) {
    const message = (current instanceof Error ? current.message : String(current)).replace(/:$/, '').trim();
    if (message) messages.push(message);
  }
  return messages.join(': ') || 'no reason given';
}

/** Reads width and height from the IHDR chunk, which the PNG format puts first, right after the signature. */
function readHeaderSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(...bytes.subarray(12, 16));
  if (bytes.length < 33 || type !== 'IHDR') {
    throw new Error('corrupt PNG data: the file does not start with an IHDR chunk');
  }
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Unpacks 1-, 2- or 4-bit gray samples (rows start on a byte boundary) and
 * scales them to 0..255, as Pillow opens them: 1-bit as mode 1 (0 or 255),
 * 2-bit and 4-bit times 85 and 17.
 */
function scaleToEightBits(png: DecodedPng): Uint8Array {
  const scale = 255 / (2 ** png.depth - 1);
  const indices = unpackRows(png);
  for (let i = 0; i < indices.length; i++) indices[i] *= scale;
  return indices;
}

/** Replaces palette indices by their RGB colours; Pillow's convert('RGB') ignores the palette's alpha too. */
function paletteToRgb(png: DecodedPng): DecodedPixels {
  const palette = png.palette;
  if (!palette || palette.length === 0) throw new Error('corrupt PNG data: an indexed-colour image without a PLTE palette');

  const indices = unpackRows(png);
  const rgb = new Uint8Array(indices.length * 3);
  for (let i = 0, o = 0; i < indices.length; i++, o += 3) {
    const colour = palette[indices[i]];
    if (colour === undefined) {
      throw new Error(`corrupt PNG data: palette index ${indices[i]} is outside the ${palette.length}-colour palette`);
    }
    rgb[o] = colour[0];
    rgb[o + 1] = colour[1];
    rgb[o + 2] = colour[2];
  }
  return { samples: rgb, height: png.height, width: png.width, channels: 3, space: 'rgb' };
}

/** Returns one byte per sample of a one-channel image whose samples have `png.depth` bits (1, 2, 4 or 8). */
function unpackRows(png: DecodedPng): Uint8Array {
  const { width, height, depth } = png;
  const packed = png.data as Uint8Array;
  if (depth === 8) return new Uint8Array(packed);

  const out = new Uint8Array(width * height);
  const rowBytes = Math.ceil((width * depth) / 8);
  const mask = 2 ** depth - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)];
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

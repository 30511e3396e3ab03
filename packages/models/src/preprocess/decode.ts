import { FileReadError, readRegularFile } from '../io/read-file.js';
import { InvalidArgumentError } from '@mobilemamba/core';
import { ImageDecodeError } from './errors.js';
import type { RgbImage } from './image.js';
import { loadSharp, type Sharp } from './sharp-loader.js';
import { toRgb8, type DecodedPixels, type DecodedSpace } from './to-rgb.js';

/** The encoded formats decodeImage accepts. */
export type ImageFormat = 'png' | 'jpeg';

export interface DecodeImageOptions {
  /** Name of in-memory bytes in error messages, such as their original file name. */
  readonly name?: string;
}

const SIGNATURES: readonly (readonly [ImageFormat, readonly number[]])[] = [
  ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['jpeg', [0xff, 0xd8, 0xff]],
];

const FORMAT_NAMES: Record<ImageFormat, string> = { png: 'PNG', jpeg: 'JPEG' };

/**
 * The colour spaces sharp reports for PNG and JPEG files that this decoder
 * supports. Each maps to the sharp colour space and sample depth that return
 * the stored samples without conversion. CMYK must also be the pipeline
 * colour space, or sharp converts it to sRGB with a built-in profile.
 */
const SUPPORTED_SPACES = {
  'srgb': { space: 'rgb', colourspace: 'srgb', depth: 'uchar' },
  'b-w': { space: 'gray', colourspace: 'b-w', depth: 'uchar' },
  'rgb16': { space: 'rgb', colourspace: 'rgb16', depth: 'ushort' },
  'grey16': { space: 'gray', colourspace: 'grey16', depth: 'ushort' },
  'cmyk': { space: 'cmyk', colourspace: 'cmyk', depth: 'uchar' },
} as const;

/** Channel counts each colour model may have: without and with alpha. */
const EXPECTED_CHANNELS: Record<DecodedSpace, readonly number[]> = { gray: [1, 2], rgb: [3, 4], cmyk: [4] };

/**
 * Decoder settings. Pillow applies no embedded ICC profile, so sharp must not
 * either. `failOn: 'error'` rejects truncated and corrupt data, as Pillow
 * does by default, but accepts files that only raise decoder warnings.
 */
const SHARP_OPTIONS = { ignoreIcc: true, failOn: 'error' } as const;

/**
 * Returns the format named by the file signature (magic bytes), or null when
 * the bytes start like neither PNG nor JPEG.
 */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | null {
  for (const [format, signature] of SIGNATURES) {
    if (bytes.length >= signature.length && signature.every((byte, i) => bytes[i] === byte)) return format;
  }
  return null;
}

/**
 * Decodes a PNG or JPEG file, given as a path or as its bytes, to 8-bit RGB
 * with the pixels Pillow 9.4's `Image.open(...).convert('RGB')` gives (see
 * toRgb8 for gray, alpha, 16-bit and CMYK samples). Embedded ICC profiles and
 * EXIF orientation are ignored, as Pillow ignores them. Node only: it loads
 * the npm package `sharp` on first use.
 *
 * sharp 0.34 decodes JPEG with mozjpeg, a libjpeg-turbo fork. Its output
 * equals Pillow 9.4 with libjpeg-turbo 2.1.5 on every pixel of the six test
 * photos. Other JPEG decoders can differ by several levels.
 *
 * Throws ImageDecodeError, naming the file, when the file cannot be read, is
 * empty, is not PNG or JPEG, is corrupt or truncated, or contains an
 * unsupported pixel format. Throws ImageDecoderUnavailableError when sharp
 * cannot be loaded.
 */
export async function decodeImage(input: string | Uint8Array, options: DecodeImageOptions = {}): Promise<RgbImage> {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new InvalidArgumentError('decodeImage', 'input', input, 'expected a file path or a Uint8Array of PNG or JPEG bytes');
  }
  const source = typeof input === 'string' ? input : options.name ?? '(in-memory bytes)';
  const bytes = typeof input === 'string' ? await readImageFile(input) : input;

  if (bytes.length === 0) {
    throw new ImageDecodeError(source, 'the data is empty (0 bytes)');
  }
  const format = detectImageFormat(bytes);
  if (format === null) {
    throw new ImageDecodeError(
      source,
      `not a PNG or JPEG image: it starts with the bytes ${hexPrefix(bytes)}, which match neither signature`,
    );
  }

  const sharp = await loadSharp();
  const pixels = await decodeWithSharp(sharp, bytes, format, source);
  return toRgb8(pixels);
}

/** Largest image file read (256 MiB); a larger one is rejected before reading. */
const MAX_IMAGE_FILE_BYTES = 256 * 2 ** 20;

async function readImageFile(path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, MAX_IMAGE_FILE_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : errorMessage(error);
    throw new ImageDecodeError(path, `failed to read the file (${reason})`, { cause: error });
  }
}

async function decodeWithSharp(sharp: Sharp, bytes: Uint8Array, format: ImageFormat, source: string): Promise<DecodedPixels> {
  const formatName = FORMAT_NAMES[format];

  let space: string;
  try {
    space = (await sharp(bytes, SHARP_OPTIONS).metadata()).space;
  } catch (error) {
    throw new ImageDecodeError(source, `corrupt or unreadable ${formatName} data (${errorMessage(error)})`, { cause: error });
  }
  if (!Object.hasOwn(SUPPORTED_SPACES, space)) {
    throw new ImageDecodeError(
      source,
      `${formatName} pixel format '${space}' is not supported (supported: 8-bit and 16-bit RGB or gray, with or without alpha, and 8-bit CMYK). Convert the image to RGB first`,
    );
  }
  const settings = SUPPORTED_SPACES[space as keyof typeof SUPPORTED_SPACES];

  let decoded: { data: Uint8Array; info: { width: number; height: number; channels: number } };
  try {
    let pipeline = sharp(bytes, SHARP_OPTIONS);
    if (settings.space === 'cmyk') pipeline = pipeline.pipelineColourspace('cmyk');
    decoded = await pipeline
      .toColourspace(settings.colourspace)
      .raw({ depth: settings.depth })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageDecodeError(source, `corrupt or truncated ${formatName} data (${errorMessage(error)})`, { cause: error });
  }

  const { data, info } = decoded;
  const channels = info.channels;
  const expectedChannels = EXPECTED_CHANNELS[settings.space];
  if (!expectedChannels.includes(channels)) {
    throw new ImageDecodeError(
      source,
      `sharp returned ${channels} channels for ${formatName} pixel format '${space}', expected ${expectedChannels.join(' or ')}`,
    );
  }
  const samples = settings.depth === 'ushort' ? toUint16(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { samples, height: info.height, width: info.width, channels: channels as DecodedPixels['channels'], space: settings.space };
}

/** Views native-endian 16-bit samples, copying only when the bytes are misaligned. */
function toUint16(data: Uint8Array): Uint16Array {
  const aligned = data.byteOffset % 2 === 0 ? data : new Uint8Array(data);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

function hexPrefix(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  decodeImage,
  detectImageFormat,
  ImageDecodeError,
  ImageDecoderUnavailableError,
} from '../../src/preprocess/index.js';
import { compareBytes } from './compare.js';
import { fixtureImage, PHOTO_NAMES, photoFile, photosMeta, photosPath, photosTitle } from './photo-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'mobilemamba-decode-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(!photosPath)(photosTitle('decodeImage on the fixture photos'), () => {
  for (const name of PHOTO_NAMES) {
    // sharp 0.34 decodes JPEG with mozjpeg, a libjpeg-turbo fork. The fixtures used libjpeg-turbo 2.1.5 through Pillow 9.4.
    it(`decodes ${name}.jpg exactly as libjpeg-turbo did`, async () => {
      const expected = fixtureImage(`${name}.jpg.rgb`);

      const image = await decodeImage(photoFile(`${name}.jpg`));

      expect([image.height, image.width]).toEqual([expected.height, expected.width]);
      expect(compareBytes(image.data, expected.data)).toEqual({ count: 0, max: 0, firstIndex: -1 });
    });

    it(`decodes ${name}.png at its stored size`, async () => {
      const { height, width } = photosMeta().images[name];

      const image = await decodeImage(photoFile(`${name}.png`));

      expect([image.height, image.width]).toEqual([height, width]);
      expect(image.data).toHaveLength(height * width * 3);
    });
  }

  it('copies gray to all three channels', async () => {
    expect(photosMeta().images.camera_gray.mode).toBe('L');

    const image = await decodeImage(photoFile('camera_gray.png'));

    let unequal = 0;
    for (let i = 0; i < image.data.length; i += 3) {
      if (image.data[i] !== image.data[i + 1] || image.data[i] !== image.data[i + 2]) unequal++;
    }
    expect(unequal).toBe(0);
  });

  it('decodes bytes as it decodes the file', async () => {
    const path = photoFile('coffee_small.jpg');
    const fromPath = await decodeImage(path);
    const fromBytes = await decodeImage(new Uint8Array(readFileSync(path)));
    expect(fromBytes).toEqual(fromPath);
  });
});

describe('decodeImage conversions', () => {
  const width = 5;
  const height = 3;

  /** Fills `array` with deterministic samples spread over 0..maximum. */
  function samples<T extends Uint8Array | Uint16Array>(array: T, maximum: number): T {
    for (let i = 0; i < array.length; i++) array[i] = (i * 7919 + 13) % (maximum + 1);
    return array;
  }

  async function png(raw: Uint8Array | Uint16Array, channels: 1 | 2 | 3 | 4, colourspace?: string): Promise<Uint8Array> {
    let pipeline = sharp(raw, { raw: { width, height, channels } });
    if (colourspace) pipeline = pipeline.toColourspace(colourspace);
    return new Uint8Array(await pipeline.png().toBuffer());
  }

  it('drops alpha from RGBA without compositing', async () => {
    const raw = samples(new Uint8Array(width * height * 4), 255);

    const image = await decodeImage(await png(raw, 4));

    for (let i = 0; i < width * height; i++) {
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `pixel ${i}`).toEqual(Array.from(raw.subarray(i * 4, i * 4 + 3)));
    }
  });

  it('copies gray and drops alpha from gray+alpha', async () => {
    const raw = samples(new Uint8Array(width * height * 2), 255);

    const image = await decodeImage(await png(raw, 2, 'b-w'));

    for (let i = 0; i < width * height; i++) {
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `pixel ${i}`).toEqual([raw[i * 2], raw[i * 2], raw[i * 2]]);
    }
  });

  it('keeps the high byte of 16-bit RGB and RGBA', async () => {
    for (const channels of [3, 4] as const) {
      const raw = samples(new Uint16Array(width * height * channels), 65535);
      const bytes = await png(raw, channels, 'rgb16');
      expect((await sharp(bytes).metadata()).depth).toBe('ushort');

      const image = await decodeImage(bytes);

      for (let i = 0; i < width * height; i++) {
        const expected = Array.from(raw.subarray(i * channels, i * channels + 3), (value) => value >> 8);
        expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `${channels} channels, pixel ${i}`).toEqual(expected);
      }
    }
  });

  it('keeps the high byte of 16-bit gray+alpha', async () => {
    const raw = samples(new Uint16Array(width * height * 2), 65535);

    const image = await decodeImage(await png(raw, 2, 'grey16'));

    for (let i = 0; i < width * height; i++) {
      const value = raw[i * 2] >> 8;
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `pixel ${i}`).toEqual([value, value, value]);
    }
  });

  it('clips 16-bit gray at 255 as Pillow mode I does', async () => {
    // Half the samples stay below 256 so that both sides of the clip are covered.
    const raw = samples(new Uint16Array(width * height), 65535);
    for (let i = 0; i < raw.length; i += 2) raw[i] %= 256;

    const image = await decodeImage(await png(raw, 1, 'grey16'));

    for (let i = 0; i < width * height; i++) {
      const value = Math.min(raw[i], 255);
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `pixel ${i}`).toEqual([value, value, value]);
    }
  });

  it('ignores an embedded ICC profile', async () => {
    // sharp's withIccProfile converts the pixels it writes, so the profile is added to an unconverted PNG by hand.
    const raw = samples(new Uint8Array(width * height * 3), 255);
    const converted = await sharp(await png(raw, 3)).withIccProfile('p3').png().toBuffer();
    const profile = (await sharp(converted).metadata()).icc;
    expect(profile).toBeDefined();
    const withProfile = insertIccpChunk(await png(raw, 3), new Uint8Array(profile!));
    expect((await sharp(withProfile).metadata()).icc).toBeDefined();

    const image = await decodeImage(withProfile);

    expect(Array.from(image.data)).toEqual(Array.from(raw));
  });
});

/** Inserts an iCCP chunk (profile name, compression method 0, zlib data) right after IHDR. */
function insertIccpChunk(png: Uint8Array, profile: Uint8Array): Uint8Array {
  const body = new Uint8Array([...new TextEncoder().encode('test'), 0, 0, ...deflateSync(profile)]);
  const chunk = new Uint8Array(12 + body.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, body.length);
  chunk.set(new TextEncoder().encode('iCCP'), 4);
  chunk.set(body, 8);
  view.setUint32(8 + body.length, crc32(chunk.subarray(4, 8 + body.length)));

  const ihdrEnd = 8 + 12 + 13;
  return new Uint8Array([...png.subarray(0, ihdrEnd), ...chunk, ...png.subarray(ihdrEnd)]);
}

/** CRC-32 as PNG chunks use it (polynomial 0xEDB88320). */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('decodeImage metadata', () => {
  it('ignores EXIF orientation', async () => {
    const raw = new Uint8Array(6 * 4 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 11) % 256;
    const jpeg = new Uint8Array(await sharp(raw, { raw: { width: 6, height: 4, channels: 3 } }).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);

    const image = await decodeImage(jpeg);

    expect([image.height, image.width]).toEqual([4, 6]);
  });
});

describe('decodeImage errors', () => {
  async function decodeError(input: string | Uint8Array, name?: string): Promise<ImageDecodeError> {
    const error = await decodeImage(input, { name }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImageDecodeError);
    return error as ImageDecodeError;
  }

  it('names an empty file', async () => {
    const path = join(scratch, 'empty.png');
    writeFileSync(path, new Uint8Array(0));

    const error = await decodeError(path);

    expect(error.source).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/empty/);
  });

  it('names a text file with a .png name', async () => {
    const path = join(scratch, 'notes.png');
    writeFileSync(path, 'hello, this is not an image\n');

    const error = await decodeError(path);

    expect(error.message).toContain(path);
    expect(error.message).toMatch(/not a PNG or JPEG image: it starts with the bytes 68 65 6c 6c/);
  });

  it('names a missing file', async () => {
    const path = join(scratch, 'missing.jpg');
    const error = await decodeError(path);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/failed to read the file \(file not found\)/);
  });

  it.skipIf(!photosPath)('rejects a truncated JPEG', async () => {
    const bytes = new Uint8Array(readFileSync(photoFile('chelsea.jpg')));

    const error = await decodeError(bytes.subarray(0, bytes.length >> 1), 'chelsea-half.jpg');

    expect(error.message).toMatch(/chelsea-half\.jpg: corrupt or truncated JPEG data/);
  });

  it.skipIf(!photosPath)('rejects a PNG with corrupt image data', async () => {
    const bytes = new Uint8Array(readFileSync(photoFile('coffee_small.png')));
    // Overwrite part of the compressed data after the IHDR chunk, so chunk CRCs and the zlib stream no longer agree.
    bytes.fill(0x55, 100, 400);

    const error = await decodeError(bytes, 'coffee-corrupt.png');

    expect(error.message).toMatch(/coffee-corrupt\.png: corrupt or (truncated|unreadable) PNG data/);
  });

  it('rejects random bytes after a PNG signature', async () => {
    const bytes = new Uint8Array(64).fill(7);
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    const error = await decodeError(bytes);

    expect(error.message).toMatch(/\(in-memory bytes\): corrupt or unreadable PNG data/);
  });

});

describe('decodeImage on CMYK JPEG', () => {
  it('converts with Pillow\'s CMYK formula', async () => {
    const width = 16;
    const height = 8;
    const raw = new Uint8Array(width * height * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
    const jpeg = new Uint8Array(await sharp(raw, { raw: { width, height, channels: 3 } }).toColourspace('cmyk').jpeg().toBuffer());
    expect((await sharp(jpeg).metadata()).space).toBe('cmyk');
    const cmyk = await sharp(jpeg).pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer();

    const image = await decodeImage(jpeg);

    // Pillow 9.4 cmyk2rgb: (255 - K) - round(C * (255 - K) / 255), the rounding of its MULDIV255 macro.
    for (let i = 0; i < width * height; i++) {
      const inverseBlack = 255 - cmyk[i * 4 + 3];
      const expected = [0, 1, 2].map((c) => inverseBlack - Math.round((cmyk[i * 4 + c] * inverseBlack) / 255));
      expect(Array.from(image.data.subarray(i * 3, i * 3 + 3)), `pixel ${i}`).toEqual(expected);
    }
  });
});

describe('detectImageFormat', () => {
  it('reads PNG and JPEG signatures', () => {
    expect(detectImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('png');
    expect(detectImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectImageFormat(new Uint8Array([0x47, 0x49, 0x46, 0x38]))).toBeNull();
    expect(detectImageFormat(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });
});

describe('decodeImage with a replaced sharp', () => {
  afterEach(() => {
    vi.doUnmock('sharp');
    vi.resetModules();
  });

  it('raises ImageDecoderUnavailableError', async () => {
    vi.resetModules();
    vi.doMock('sharp', () => {
      throw new Error('Could not load the "sharp" module using the linux-x64 runtime');
    });
    const { decodeImage: decodeWithoutSharp, ImageDecoderUnavailableError: UnavailableError } = await import(
      '../../src/preprocess/index.js'
    );
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);

    const error = await decodeWithoutSharp(jpeg).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/^image decoding needs the npm package 'sharp', which failed to load/);
    expect(UnavailableError).not.toBe(ImageDecoderUnavailableError);
  });

  it('rejects a sharp module that exports no function', async () => {
    vi.resetModules();
    vi.doMock('sharp', () => ({ default: 42 }));
    const { decodeImage: decodeWithBrokenSharp } = await import('../../src/preprocess/index.js');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);

    const error = await decodeWithBrokenSharp(jpeg).catch((caught: unknown) => caught);

    expect((error as Error).name).toBe('ImageDecoderUnavailableError');
    expect((error as Error).message).toMatch(/exports number, not a function/);
  });

  it('rejects a pixel format other than gray, RGB or CMYK', async () => {
    vi.resetModules();
    const fakeSharp = () => ({ metadata: async () => ({ space: 'lab' }) });
    vi.doMock('sharp', () => ({ default: fakeSharp }));
    const { decodeImage: decodeWithFakeSharp } = await import('../../src/preprocess/index.js');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);

    const error = await decodeWithFakeSharp(jpeg, { name: 'lab.jpg' }).catch((caught: unknown) => caught);

    expect((error as Error).name).toBe('ImageDecodeError');
    expect((error as Error).message).toMatch(/lab\.jpg: JPEG pixel format 'lab' is not supported/);
  });
});

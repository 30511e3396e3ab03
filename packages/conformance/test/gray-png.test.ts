import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeImage, ImageDecodeError } from '@mobilemamba/models';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { findFixture, missingFixtureMessage } from '../src/fixtures.js';
import { decodeGrayPng } from '../src/model-cases/gray-png.js';

const index = findFixture('real/mnist/index.json');

describe('decodeGrayPng', () => {
  if (index === null) {
    it.skip(missingFixtureMessage('real/mnist/index.json'), () => {});
  } else {
    const folder = dirname(index);
    const files = readdirSync(folder).filter((name) => name.endsWith('.png')).sort();

    // The models package decodes with sharp and documents its pixels as equal to Pillow's.
    it('matches sharp on every MNIST digit', async () => {
      expect(files.length).toBeGreaterThan(0);
      for (const name of files) {
        const path = join(folder, name);
        const decoded = decodeGrayPng(readFileSync(path), path);
        const expected = await decodeImage(path);

        expect([decoded.height, decoded.width], name).toEqual([expected.height, expected.width]);
        expect(Buffer.from(decoded.data).equals(Buffer.from(expected.data)), `${name}: pixels differ from sharp's`).toBe(true);
      }
    });

    it('rejects a corrupt CRC', () => {
      const bytes = Uint8Array.from(readFileSync(join(folder, files[0])));
      // The IHDR chunk's CRC sits at bytes 29 to 32, after the signature, length, type and 13 data bytes.
      bytes[29] ^= 0xff;

      expect(() => decodeGrayPng(bytes, 'corrupt.png')).toThrow(ImageDecodeError);
      expect(() => decodeGrayPng(bytes, 'corrupt.png')).toThrow(/corrupt\.png: fast-png failed: .*CRC/i);
    });
  }

  it('copies gray to R, G and B', () => {
    const png = encode({ width: 2, height: 1, channels: 1, depth: 8, data: new Uint8Array([7, 250]) });

    expect(decodeGrayPng(png, 'gray.png')).toEqual({ width: 2, height: 1, data: new Uint8Array([7, 7, 7, 250, 250, 250]) });
  });

  it('rejects colour, alpha and 16-bit images', () => {
    const rgb = encode({ width: 1, height: 1, channels: 3, depth: 8, data: new Uint8Array([1, 2, 3]) });
    const grayAlpha = encode({ width: 1, height: 1, channels: 2, depth: 8, data: new Uint8Array([1, 255]) });
    const gray16 = encode({ width: 1, height: 1, channels: 1, depth: 16, data: new Uint16Array([1000]) });

    expect(() => decodeGrayPng(rgb, 'rgb.png')).toThrow('rgb.png: expected 8-bit grayscale without alpha, got 3 channels of 8 bits');
    expect(() => decodeGrayPng(grayAlpha, 'la.png')).toThrow('la.png: expected 8-bit grayscale without alpha, got 2 channels of 8 bits');
    expect(() => decodeGrayPng(gray16, 'i16.png')).toThrow('i16.png: expected 8-bit grayscale without alpha, got 1 channels of 16 bits');
  });
});

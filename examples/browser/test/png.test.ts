import { describe, expect, it } from 'vitest';
import { decodeImage, toRgb8 } from '@mobilemamba/models';
import { decodePngSamples } from '../src/png.js';
import { pngCases, transparentRgbaPng } from './png-files.js';

const MAX_PIXELS = 64 * 2 ** 20;

/** Decodes PNG bytes as the page does, without the browser fallback. */
function decodeAsPage(bytes: Uint8Array): Uint8Array {
  const samples = decodePngSamples(bytes, MAX_PIXELS);
  if (samples === null) throw new Error('the page would hand this file to the browser decoder');
  return toRgb8(samples).data;
}

describe("the page's PNG decoder", () => {
  for (const { name, bytes } of pngCases()) {
    it(`matches Node's decodeImage: ${name}`, async () => {
      const node = await decodeImage(bytes, { name });
      const page = decodeAsPage(bytes);
      expect(page.length).toBe(node.data.length);
      // One comparison of the whole buffer, so a failure shows the first differing bytes.
      expect(Buffer.from(page).equals(Buffer.from(node.data)), `${name}: RGB bytes equal`).toBe(true);
    });
  }

  it('keeps the colour of transparent pixels', () => {
    const rgb = decodeAsPage(transparentRgbaPng(2, 1));
    expect(Array.from(rgb.subarray(3, 6)), 'pixel 1 has alpha 0').not.toEqual([0, 0, 0]);
  });

  it('rejects a header over the pixel limit', () => {
    const bytes = transparentRgbaPng(4, 4);
    expect(() => decodePngSamples(bytes, 15)).toThrow(/4 x 4 pixels, more than the limit of 15 pixels/);
  });

  it('rejects a chunk with a wrong CRC', () => {
    const bytes = transparentRgbaPng(4, 4).slice();
    bytes[29] ^= 0xff; // The IHDR chunk's CRC.
    expect(() => decodePngSamples(bytes, MAX_PIXELS)).toThrow(/^corrupt or truncated PNG data/);
  });

  it('rejects a truncated file', () => {
    const bytes = transparentRgbaPng(4, 4);
    expect(() => decodePngSamples(bytes.subarray(0, bytes.length - 20), MAX_PIXELS)).toThrow(/^corrupt or truncated PNG data \(.+\)$/);
  });
});

import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '@mobilemamba/models';
import { resetJpegOrientation } from '../src/exif-orientation.js';

/** Encodes a 40 x 20 JPEG, optionally with an EXIF orientation tag. */
async function jpeg(orientation?: number): Promise<Uint8Array<ArrayBuffer>> {
  let image = sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 200, g: 40, b: 10 } } }).jpeg();
  if (orientation !== undefined) image = image.withMetadata({ orientation });
  return new Uint8Array(await image.toBuffer());
}

describe('resetJpegOrientation', () => {
  it('sets a rotated JPEG upright', async () => {
    const rotated = await jpeg(6);
    expect((await sharp(rotated).metadata()).orientation).toBe(6);

    const upright = resetJpegOrientation(rotated);

    expect((await sharp(upright).metadata()).orientation).toBe(1);
    expect(upright.length).toBe(rotated.length);
  });

  it('keeps the stored pixels', async () => {
    const rotated = await jpeg(8);

    const before = await decodeImage(rotated, { name: 'rotated.jpg' });
    const after = await decodeImage(resetJpegOrientation(rotated), { name: 'upright.jpg' });

    expect([after.width, after.height]).toEqual([40, 20]);
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true);
  });

  it('returns other files unchanged', async () => {
    const plain = await jpeg();
    const notJpeg = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const truncated = (await jpeg(6)).slice(0, 30);

    expect(resetJpegOrientation(plain)).toBe(plain);
    expect(resetJpegOrientation(notJpeg)).toBe(notJpeg);
    expect(resetJpegOrientation(truncated)).toBe(truncated);
  });
});

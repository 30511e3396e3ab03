import type { RgbImage } from '@mobilemamba/models';

/**
 * Largest image the page decodes: 64 megapixels, 256 MiB of RGBA in the
 * canvas. The preprocessing rejects larger resize results anyway.
 */
const MAX_PIXELS = 64 * 2 ** 20;

/**
 * Decodes a PNG or JPEG with the browser's decoder and returns 8-bit RGB,
 * the input of the models package's evalTransform. The embedded colour
 * profile is ignored (colorSpaceConversion 'none'), as Pillow ignores it,
 * and gray images come back with R = G = B, as Pillow's convert('RGB')
 * gives them, so PNG files give the pixels that Node and PyTorch read.
 *
 * NOTE: two cases may differ from Pillow by a few levels. A canvas stores
 * premultiplied alpha, so a partly transparent pixel's colour is rounded
 * (Pillow drops alpha and keeps the colour). Chromium's JPEG decoder may
 * also round differently from the libjpeg-turbo settings Pillow uses.
 */
export async function decodeImage(blob: Blob): Promise<RgbImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the browser could not decode the image (${reason}); use a PNG or JPEG file`, { cause: error });
  }

  try {
    const { width, height } = bitmap;
    if (width * height > MAX_PIXELS) {
      throw new Error(`the image is ${width} x ${height} pixels, more than the limit of ${MAX_PIXELS} pixels; scale it down first`);
    }

    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('the browser returned no 2D canvas context to read the pixels from');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height, { colorSpace: 'srgb' }).data;

    return { data: rgbaToRgb(rgba), height, width };
  } finally {
    bitmap.close();
  }
}

/** Drops the alpha channel of interleaved RGBA bytes. */
function rgbaToRgb(rgba: Uint8ClampedArray): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  for (let i = 0, source = 0, target = 0; i < pixels; i++, source += 4, target += 3) {
    rgb[target] = rgba[source];
    rgb[target + 1] = rgba[source + 1];
    rgb[target + 2] = rgba[source + 2];
  }
  return rgb;
}

import { detectImageFormat, toRgb8, type RgbImage } from '@mobilemamba/models';
import { decodePngSamples } from './png.js';
import { resetJpegOrientation } from './exif-orientation.js';

/**
 * Largest image the page decodes: 64 megapixels, 256 MiB of RGBA in the
 * canvas. The preprocessing rejects larger resize results anyway.
 */
const MAX_PIXELS = 64 * 2 ** 20;

/** Largest image file the page reads (256 MiB), the limit the models package's decodeImage applies in Node. */
const MAX_IMAGE_FILE_BYTES = 256 * 2 ** 20;

/**
 * Decodes an image file and returns 8-bit RGB, the input of the models
 * package's evalTransform, with the pixels Node's decodeImage and Pillow's
 * convert('RGB') give for PNG files.
 *
 * PNG files, recognised by their signature rather than their name, are
 * decoded to their stored samples in JavaScript. The models package's
 * toRgb8 then converts those as it does in Node. Alpha is dropped and the
 * colour kept, 16-bit gray clips at 255, and other 16-bit samples keep
 * their high byte.
 * Other files go to the browser's decoder (createImageBitmap and a canvas),
 * with the embedded colour profile ignored (colorSpaceConversion 'none')
 * and a JPEG's EXIF orientation reset to upright first, as Pillow ignores
 * both.
 *
 * NOTE: the browser's decoder may differ from Pillow. Chromium's JPEG
 * decoder may round differently from the libjpeg-turbo settings Pillow
 * uses. A canvas also stores premultiplied alpha, so a transparent pixel
 * of another format (GIF, WebP, or an interlaced PNG of 1, 2 or 4 bits
 * per sample) loses its colour.
 */
export async function decodeImage(blob: Blob): Promise<RgbImage> {
  if (blob.size > MAX_IMAGE_FILE_BYTES) {
    throw new Error(`the file has ${blob.size} bytes, more than the limit of ${MAX_IMAGE_FILE_BYTES} bytes (256 MiB) for an image`);
  }
  if (blob.size === 0) throw new Error('the file is empty (0 bytes); use a PNG or JPEG file');

  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (detectImageFormat(bytes) === 'png') {
    const samples = decodePngSamples(bytes, MAX_PIXELS);
    if (samples !== null) return toRgb8(samples);
  }
  return decodeWithBrowser(new Blob([resetJpegOrientation(bytes)]));
}

/** Decodes with createImageBitmap and reads the pixels back from a canvas. */
async function decodeWithBrowser(blob: Blob): Promise<RgbImage> {
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

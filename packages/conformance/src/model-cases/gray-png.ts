import { ImageDecodeError, type RgbImage } from '@mobilemamba/models';
import { decode } from 'fast-png';

/**
 * Decodes an 8-bit grayscale PNG, such as an MNIST digit, to RGB with each
 * gray value copied to R, G and B, the pixels Pillow's
 * `Image.open(...).convert('RGB')` gives. fast-png is pure JavaScript, so
 * this runs in a browser page too, where sharp (a native Node addon) cannot
 * load. CRCs are checked, as Pillow checks them.
 *
 * Throws ImageDecodeError, naming `source`, for corrupt data or for any
 * other colour type or bit depth: a PNG decode is exact only where the
 * conversion to RGB is this plain copy.
 */
export function decodeGrayPng(bytes: Uint8Array, source: string): RgbImage {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes, { checkCrc: true });
  } catch (error) {
    throw new ImageDecodeError(source, `fast-png failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  if (png.channels !== 1 || png.depth !== 8 || png.palette !== undefined) {
    const kind = png.palette !== undefined ? 'a palette image' : `${png.channels} channels of ${png.depth} bits`;
    throw new ImageDecodeError(source, `expected 8-bit grayscale without alpha, got ${kind}`);
  }

  const { width, height, data: gray } = png;
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    rgb[3 * i] = gray[i];
    rgb[3 * i + 1] = gray[i];
    rgb[3 * i + 2] = gray[i];
  }
  return { data: rgb, height, width };
}

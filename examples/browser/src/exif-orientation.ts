/** EXIF tag of the orientation in a TIFF image file directory. */
const ORIENTATION_TAG = 0x0112;

/**
 * Returns a copy of JPEG bytes whose EXIF orientation reads 1 (upright),
 * or the bytes themselves when the file has no orientation tag to change.
 *
 * Chromium's createImageBitmap turns a JPEG by its EXIF orientation, also
 * with imageOrientation 'none' (checked with Debian's Chromium), while
 * Pillow's Image.open, which the authors' evaluation uses, and sharp
 * without rotate() ignore it. Resetting the tag makes the page see the
 * pixels as they are stored, as PyTorch did.
 */
export function resetJpegOrientation(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const at = findOrientationValue(bytes);
  if (at === null) return bytes;

  const copy = bytes.slice();
  const view = new DataView(copy.buffer, copy.byteOffset, copy.byteLength);
  view.setUint16(at.offset, 1, at.littleEndian);
  return copy;
}

/** Finds the byte offset of the orientation value in the first APP1 Exif segment, or null. */
function findOrientationValue(bytes: Uint8Array): { offset: number; littleEndian: boolean } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 4 || view.getUint16(0) !== 0xffd8) return null;

  // Walk the marker segments before the image data; each carries its own length.
  let position = 2;
  while (position + 4 <= bytes.length) {
    const marker = view.getUint16(position);
    if ((marker & 0xff00) !== 0xff00 || marker === 0xffda) return null;
    const length = view.getUint16(position + 2);
    const start = position + 4;
    const end = position + 2 + length;
    if (length < 2 || end > bytes.length) return null;
    if (marker === 0xffe1 && isExifHeader(bytes, start)) return findInTiff(view, start + 6, end);
    position = end;
  }
  return null;
}

/** Reports whether a segment starts with "Exif\0\0". */
function isExifHeader(bytes: Uint8Array, start: number): boolean {
  const header = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00];
  return header.every((value, index) => bytes[start + index] === value);
}

/** Looks for the orientation entry in IFD0 of the TIFF structure at [tiff, end). */
function findInTiff(view: DataView, tiff: number, end: number): { offset: number; littleEndian: boolean } | null {
  if (tiff + 8 > end) return null;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const littleEndian = order === 0x4949;

  const ifd = tiff + view.getUint32(tiff + 4, littleEndian);
  if (ifd + 2 > end) return null;
  const entries = view.getUint16(ifd, littleEndian);
  for (let index = 0; index < entries; index++) {
    const entry = ifd + 2 + index * 12;
    if (entry + 12 > end) return null;
    if (view.getUint16(entry, littleEndian) !== ORIENTATION_TAG) continue;
    // The value is a SHORT stored in the first two bytes of the entry's value field.
    return { offset: entry + 8, littleEndian };
  }
  return null;
}

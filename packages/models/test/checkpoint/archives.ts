import { readFileSync } from 'node:fs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { findFixture } from '../../../conformance/src/fixtures.js';
import { crc32 } from '../../src/checkpoint/crc32.js';

/** Reads a fixture file, or returns null when no fixtures folder has it. */
export function readFixture(relativePath: string): Uint8Array | null {
  const path = findFixture(relativePath);
  return path ? new Uint8Array(readFileSync(path)) : null;
}

/**
 * Writes a torch.save-style archive: stored entries `<folder>/data.pkl`,
 * `<folder>/data/<key>` and `<folder>/version`, plus any extra entries.
 */
export function makePth(
  folder: string,
  pickle: Uint8Array,
  storages: Readonly<Record<string, Uint8Array>> = {},
  extra: Readonly<Record<string, Uint8Array>> = {},
): Uint8Array {
  const files: Zippable = { [`${folder}/data.pkl`]: pickle };
  for (const [key, data] of Object.entries(storages)) files[`${folder}/data/${key}`] = data;
  files[`${folder}/version`] = new TextEncoder().encode('3\n');
  Object.assign(files, extra);
  return zipSync(files, { level: 0 });
}

/** Unpacks an archive, lets `edit` change its entries, and writes it again (stored). */
export function repackZip(bytes: Uint8Array, edit: (files: Record<string, Uint8Array>) => void): Uint8Array {
  const files = unzipSync(bytes);
  edit(files);
  return zipSync(files, { level: 0 });
}

export function float32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(new Float32Array(values).buffer);
}

/** Returns the offset of the central directory header of entry `name`. */
export function centralHeaderOffset(bytes: Uint8Array, name: string): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoded = new TextEncoder().encode(name);
  for (let position = bytes.byteLength - 46; position >= 0; position--) {
    if (view.getUint32(position, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(position + 28, true);
    const candidate = bytes.subarray(position + 46, position + 46 + nameLength);
    if (nameLength === encoded.length && candidate.every((byte, i) => byte === encoded[i])) return position;
  }
  throw new Error(`no central directory header for '${name}'`);
}

/** Field offsets inside a central directory header (APPNOTE 4.3.12). */
export const CentralHeader = {
  method: 10,
  checksum: 16,
  compressedSize: 20,
  uncompressedSize: 24,
  nameLength: 28,
  localHeaderOffset: 42,
  name: 46,
} as const;

/** Returns a copy of `bytes` with a little-endian field overwritten. */
export function patchUint(bytes: Uint8Array, position: number, width: 2 | 4, value: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  if (width === 2) view.setUint16(position, value, true);
  else view.setUint32(position, value, true);
  return copy;
}

/** An entry for writeZip: its bytes, and their deflate stream when the entry is to be deflated. */
export interface RawZipEntry {
  readonly name: string;
  readonly data: Uint8Array;
  readonly deflated?: Uint8Array;
}

/**
 * Writes a zip archive from entries whose deflate streams the caller made,
 * so a test can repeat one stream across thousands of entries without
 * compressing each one, as zipSync would. Entries that share a `data`
 * array share its CRC-32, computed once.
 */
export function writeZip(entries: readonly RawZipEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const checksums = new Map<Uint8Array, number>();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = encoder.encode(entry.name);
    const payload = entry.deflated ?? entry.data;
    let checksum = checksums.get(entry.data);
    if (checksum === undefined) {
      checksum = crc32(entry.data);
      checksums.set(entry.data, checksum);
    }
    const fields = { method: entry.deflated ? 8 : 0, checksum, compressed: payload.byteLength, size: entry.data.byteLength };

    const local = new Uint8Array(30 + name.byteLength + payload.byteLength);
    const localView = new DataView(local.buffer);
    localView.setUint32(0, 0x04034b50, true);
    localView.setUint16(4, 20, true);
    writeEntryFields(localView, 8, fields);
    localView.setUint16(26, name.byteLength, true);
    local.set(name, 30);
    local.set(payload, 30 + name.byteLength);
    locals.push(local);

    const central = new Uint8Array(46 + name.byteLength);
    const centralView = new DataView(central.buffer);
    centralView.setUint32(0, 0x02014b50, true);
    centralView.setUint16(4, 20, true);
    centralView.setUint16(6, 20, true);
    writeEntryFields(centralView, 10, fields);
    centralView.setUint16(28, name.byteLength, true);
    centralView.setUint32(42, offset, true);
    central.set(name, 46);
    centrals.push(central);

    offset += local.byteLength;
  }

  const directoryBytes = centrals.reduce((total, central) => total + central.byteLength, 0);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, entries.length, true);
  endView.setUint16(10, entries.length, true);
  endView.setUint32(12, directoryBytes, true);
  endView.setUint32(16, offset, true);

  const archive = new Uint8Array(offset + directoryBytes + end.byteLength);
  let position = 0;
  for (const part of [...locals, ...centrals, end]) {
    archive.set(part, position);
    position += part.byteLength;
  }
  return archive;
}

/** Writes method, zero time and date, CRC-32 and sizes, which local and central headers lay out alike from `at`. */
function writeEntryFields(view: DataView, at: number, fields: { method: number; checksum: number; compressed: number; size: number }): void {
  view.setUint16(at, fields.method, true);
  view.setUint32(at + 6, fields.checksum, true);
  view.setUint32(at + 10, fields.compressed, true);
  view.setUint32(at + 14, fields.size, true);
}

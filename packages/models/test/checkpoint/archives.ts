import { readFileSync } from 'node:fs';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { findFixture } from '../../../conformance/src/fixtures.js';

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

import { unzipSync, type UnzipFileInfo } from 'fflate';
import { crc32 } from './crc32.js';
import { CheckpointError } from './errors.js';

/** One entry of a zip archive's central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 = stored, 8 = deflate. */
  readonly compression: number;
  readonly compressedSize: number;
  readonly size: number;
}

/**
 * Maximum total of the entries' uncompressed sizes (2 GiB). The MobileMamba
 * T2 state_dict is 35 MB, so this leaves room for trainer checkpoints of far
 * larger models while a hostile archive cannot make the reader allocate more.
 */
export const MAX_UNCOMPRESSED_BYTES = 2 ** 31;

/**
 * Maximum size ratio of a deflated entry above 1 MiB, and of all deflated
 * entries together once they exceed 1 MiB. The total bound keeps the bytes
 * inflated under 1 MiB plus 200 times the file size, however an archive
 * splits them into entries. torch.save stores every entry uncompressed. With zlib
 * level 9 the fixture weights compress about 1.1 to 1 and a trainer
 * checkpoint's pickle 3.5 to 1, so only a hostile archive (or one of
 * zero-filled tensors) comes near this.
 */
export const MAX_DEFLATE_RATIO = 200;
/**
 * Inflated size up to which the ratio is not checked, because inflating so
 * little costs nothing whatever the ratio (deflate reaches about 1000 to 1
 * on zeros).
 */
const RATIO_CHECK_MIN_BYTES = 2 ** 20;

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY_SIGNATURE = 0x06054b50;
const END_OF_CENTRAL_DIRECTORY_BYTES = 22;
const MAX_COMMENT_BYTES = 0xffff;
const CENTRAL_HEADER_MIN_BYTES = 46;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;

/**
 * A zip archive read with fflate and validated around it. fflate trusts the
 * sizes and offsets it reads, so the listing is checked before anything is
 * decompressed: names, methods, and declared sizes against the file size and
 * the bomb limits. Each extracted entry is then checked against its declared
 * size and its CRC-32 from the central directory, so a flipped bit in a
 * stored tensor is caught.
 *
 * NOTE: Zip64 archives (over 4 GiB, which torch.save writes only for such
 * sizes) are read without the CRC check. A deflated entry that inflates past
 * its declared size is cut at that size, but fflate still decodes the rest
 * of its stream, which costs time bounded by about 1,000 times the entry's
 * compressed size.
 */
export class ZipArchive {
  private constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
    readonly entries: ReadonlyMap<string, ZipEntry>,
    /** CRC-32 per entry name from the central directory; empty for Zip64 archives. */
    private readonly checksums: ReadonlyMap<string, number>,
  ) {}

  /** Lists and validates the central directory of `bytes`; decompresses nothing. */
  static open(bytes: Uint8Array, source: string): ZipArchive {
    const fail = (message: string): never => {
      throw new CheckpointError(`${source}: ${message}`);
    };
    if (bytes.byteLength < END_OF_CENTRAL_DIRECTORY_BYTES || readUint32(bytes, 0) !== LOCAL_HEADER_SIGNATURE) {
      fail('not a zip archive (no local file header at the start)');
    }
    const directory = checkEndOfCentralDirectory(bytes, fail);
    const checksums = directory ? readChecksums(bytes, directory, fail) : new Map<string, number>();

    const entries = new Map<string, ZipEntry>();
    let compressedTotal = 0;
    let uncompressedTotal = 0;
    // The per-entry ratio check alone lets thousands of entries of up to 1 MiB each inflate 1000 to 1.
    let deflatedEntries = 0;
    let deflatedCompressed = 0;
    let deflatedInflated = 0;
    runFflate(bytes, source, (info) => {
      checkEntry(info, bytes.byteLength, fail);
      if (entries.has(info.name)) fail(`the archive contains the entry '${info.name}' twice`);
      if (entries.size >= bytes.byteLength / CENTRAL_HEADER_MIN_BYTES) fail('the central directory declares more entries than the file can hold');

      compressedTotal += info.size;
      uncompressedTotal += info.originalSize;
      if (compressedTotal > bytes.byteLength) {
        fail(`the entries declare ${compressedTotal} compressed bytes in a ${bytes.byteLength}-byte file`);
      }
      if (uncompressedTotal > MAX_UNCOMPRESSED_BYTES) {
        fail(`the entries declare more than ${MAX_UNCOMPRESSED_BYTES} uncompressed bytes in all (a zip bomb?)`);
      }
      if (info.compression === 8) {
        deflatedEntries++;
        deflatedCompressed += info.size;
        deflatedInflated += info.originalSize;
      }
      entries.set(info.name, { name: info.name, compression: info.compression, compressedSize: info.size, size: info.originalSize });
      return false;
    });
    if (deflatedInflated > RATIO_CHECK_MIN_BYTES && deflatedInflated > MAX_DEFLATE_RATIO * deflatedCompressed) {
      fail(
        `the ${deflatedEntries} deflated entries would inflate ${deflatedCompressed} bytes to ${deflatedInflated} in all, ` +
          `a ratio above ${MAX_DEFLATE_RATIO} (a zip bomb?)`,
      );
    }
    return new ZipArchive(bytes, source, entries, checksums);
  }

  /** Decompresses the named entries, each checked against its declared size. */
  extract(names: Iterable<string>): Map<string, Uint8Array> {
    const requested = new Set(names);
    for (const name of requested) {
      if (!this.entries.has(name)) throw new CheckpointError(`${this.source}: the archive has no entry '${name}'`);
    }

    const files = runFflate(this.bytes, this.source, (info) => requested.has(info.name));
    const extracted = new Map<string, Uint8Array>();
    for (const name of requested) {
      const data = files[name];
      const expected = (this.entries.get(name) as ZipEntry).size;
      if (data?.byteLength !== expected) {
        throw new CheckpointError(
          `${this.source}: entry '${name}' yields ${data?.byteLength ?? 0} of its ${expected} bytes (the archive is truncated or corrupt)`,
        );
      }
      const checksum = this.checksums.get(name);
      if (checksum !== undefined && crc32(data) !== checksum) {
        throw new CheckpointError(`${this.source}: entry '${name}' fails its CRC-32 check (the archive is corrupt)`);
      }
      extracted.set(name, data);
    }
    return extracted;
  }
}

function checkEntry(info: UnzipFileInfo, fileBytes: number, fail: (message: string) => never): void {
  if (info.name.length === 0) fail('an entry has an empty name (corrupt central directory)');
  const where = `entry '${info.name}'`;
  if (info.compression !== 0 && info.compression !== 8) {
    fail(`${where} uses compression method ${info.compression}; only stored (0) and deflate (8) are supported`);
  }
  if (info.size > fileBytes) fail(`${where} declares ${info.size} compressed bytes, more than the ${fileBytes}-byte file`);
  if (info.compression === 0 && info.size !== info.originalSize) {
    fail(`${where} is stored uncompressed but declares ${info.size} compressed and ${info.originalSize} uncompressed bytes`);
  }
  if (info.compression === 8 && info.originalSize > RATIO_CHECK_MIN_BYTES && info.originalSize > MAX_DEFLATE_RATIO * info.size) {
    fail(`${where} would inflate ${info.size} bytes to ${info.originalSize}, a ratio above ${MAX_DEFLATE_RATIO} (a zip bomb?)`);
  }
}

/** Location of the central directory, from the end-of-central-directory record. */
interface CentralDirectory {
  readonly offset: number;
  readonly entryCount: number;
}

/**
 * Finds the end-of-central-directory record the way fflate does, and checks
 * that the central directory it points to lies inside the file. Zip64
 * archives mark these fields 0xffff or 0xffffffff; their own checks then
 * happen entry by entry, and null is returned.
 */
function checkEndOfCentralDirectory(bytes: Uint8Array, fail: (message: string) => never): CentralDirectory | null {
  const lowest = Math.max(0, bytes.byteLength - END_OF_CENTRAL_DIRECTORY_BYTES - MAX_COMMENT_BYTES);
  let position = bytes.byteLength - END_OF_CENTRAL_DIRECTORY_BYTES;
  while (position >= lowest && readUint32(bytes, position) !== END_OF_CENTRAL_DIRECTORY_SIGNATURE) position--;
  if (position < lowest) fail('the zip archive is truncated or corrupt: no end-of-central-directory record');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entryCount = view.getUint16(position + 10, true);
  const directorySize = view.getUint32(position + 12, true);
  const directoryOffset = view.getUint32(position + 16, true);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return null;

  if (directoryOffset + directorySize > position) {
    fail(`the central directory (offset ${directoryOffset}, ${directorySize} bytes) runs past its end record at ${position}`);
  }
  if (entryCount * CENTRAL_HEADER_MIN_BYTES > directorySize) {
    fail(`the central directory declares ${entryCount} entries in ${directorySize} bytes`);
  }
  return { offset: directoryOffset, entryCount };
}

/** Reads each entry's CRC-32 from its central directory header. */
function readChecksums(bytes: Uint8Array, directory: CentralDirectory, fail: (message: string) => never): Map<string, number> {
  const checksums = new Map<string, number>();
  const decoder = new TextDecoder();
  let position = directory.offset;
  for (let entry = 0; entry < directory.entryCount; entry++) {
    if (position + CENTRAL_HEADER_MIN_BYTES > bytes.byteLength || readUint32(bytes, position) !== CENTRAL_HEADER_SIGNATURE) {
      fail(`central directory header ${entry} at offset ${position} is missing or corrupt`);
    }
    const nameLength = bytes[position + 28] | (bytes[position + 29] << 8);
    const extraLength = bytes[position + 30] | (bytes[position + 31] << 8);
    const commentLength = bytes[position + 32] | (bytes[position + 33] << 8);
    const name = decoder.decode(bytes.subarray(position + CENTRAL_HEADER_MIN_BYTES, position + CENTRAL_HEADER_MIN_BYTES + nameLength));
    checksums.set(name, readUint32(bytes, position + 16));
    position += CENTRAL_HEADER_MIN_BYTES + nameLength + extraLength + commentLength;
  }
  return checksums;
}

/** Runs fflate's unzipSync, turning its errors into CheckpointError. */
function runFflate(bytes: Uint8Array, source: string, filter: (info: UnzipFileInfo) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`${source}: invalid zip archive (${(error as Error).message})`, { cause: error });
  }
}

function readUint32(bytes: Uint8Array, position: number): number {
  return (bytes[position] | (bytes[position + 1] << 8) | (bytes[position + 2] << 16) | (bytes[position + 3] << 24)) >>> 0;
}

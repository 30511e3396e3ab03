import { MobileMambaError } from '../errors.js';
import { sizeOf } from '../shape.js';
import { isSafetensorsDType, SAFETENSORS_DTYPE_SIZES, toFloat32, type SafetensorsDType } from './dtypes.js';

/** A file is not valid safetensors, or not the tensor a caller expected. */
export class TensorFileError extends MobileMambaError {
  override readonly name = 'TensorFileError';
}

/** One tensor of a safetensors file, still in its stored dtype. */
export interface StoredTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The raw little-endian bytes, a view into the file's buffer. */
  readonly bytes: Uint8Array;
}

export interface SafetensorsFile {
  /** Tensors in the order of their data in the file. */
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  /** The optional `__metadata__` object: strings to strings. */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Largest header accepted. The format's reference implementation caps it at
 * 100 MB; a larger length is taken as a corrupt or hostile file.
 */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Parses a safetensors file: an 8-byte little-endian header length N, N
 * bytes of JSON, then the data. Every offset and size is validated, so a
 * truncated or hostile file raises TensorFileError instead of reading out
 * of bounds; tensors may not overlap.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors file'): SafetensorsFile {
  if (bytes.byteLength < 8) {
    throw new TensorFileError(`${source}: truncated: ${bytes.byteLength} bytes, the header length alone needs 8`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.byteLength - 8))) {
    throw new TensorFileError(
      `${source}: header length ${headerLength} runs past the end of the ${bytes.byteLength}-byte file (or exceeds ${MAX_HEADER_BYTES} bytes)`,
    );
  }

  const headerEnd = 8 + Number(headerLength);
  const header = parseHeader(bytes.subarray(8, headerEnd), source);
  const data = bytes.subarray(headerEnd);

  const entries: [string, StoredTensor, number, number][] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry, source);
      continue;
    }
    const [tensor, begin, end] = parseEntry(name, entry, data, source);
    entries.push([name, tensor, begin, end]);
  }

  entries.sort((a, b) => a[2] - b[2] || a[3] - b[3]);
  for (let i = 1; i < entries.length; i++) {
    const [previousName, , , previousEnd] = entries[i - 1];
    const [name, , begin] = entries[i];
    if (begin < previousEnd) {
      throw new TensorFileError(`${source}: tensor '${name}' overlaps tensor '${previousName}' in the data section`);
    }
  }

  return { tensors: new Map(entries.map(([name, tensor]) => [name, tensor])), metadata };
}

function parseHeader(headerBytes: Uint8Array, source: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new TensorFileError(`${source}: the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new TensorFileError(`${source}: the header must be a JSON object`);
  }
  return header as Record<string, unknown>;
}

function parseMetadata(entry: unknown, source: string): Record<string, string> {
  const valid = entry !== null && typeof entry === 'object' && !Array.isArray(entry)
    && Object.values(entry).every((value) => typeof value === 'string');
  if (!valid) throw new TensorFileError(`${source}: __metadata__ must map strings to strings`);
  return { ...(entry as Record<string, string>) };
}

function parseEntry(name: string, entry: unknown, data: Uint8Array, source: string): [StoredTensor, number, number] {
  const where = `${source}: tensor '${name}'`;
  if (entry === null || typeof entry !== 'object') throw new TensorFileError(`${where}: entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;

  if (dtype === undefined) throw new TensorFileError(`${where}: the entry has no dtype`);
  if (!isSafetensorsDType(dtype)) {
    throw new TensorFileError(`${where}: unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(SAFETENSORS_DTYPE_SIZES).join(', ')})`);
  }
  const validShape = Array.isArray(shape) && shape.length <= 16
    && shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0);
  if (!validShape) throw new TensorFileError(`${where}: invalid shape ${JSON.stringify(shape)}`);
  const validOffsets = Array.isArray(offsets) && offsets.length === 2
    && offsets.every((offset) => Number.isSafeInteger(offset) && offset >= 0);
  if (!validOffsets) throw new TensorFileError(`${where}: invalid data_offsets ${JSON.stringify(offsets)}`);

  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new TensorFileError(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > data.byteLength) {
    throw new TensorFileError(`${where}: data_offsets [${begin}, ${end}] lie outside the ${data.byteLength}-byte data section`);
  }
  const expected = sizeOf(shape as number[]) * SAFETENSORS_DTYPE_SIZES[dtype];
  if (end - begin !== expected) {
    throw new TensorFileError(
      `${where}: shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets give ${end - begin}`,
    );
  }

  return [{ dtype, shape: shape as number[], bytes: data.subarray(begin, end) }, begin, end];
}

/** Widens a stored tensor to float32 (exact for F16 and BF16). */
export function storedToFloat32(tensor: StoredTensor): Float32Array {
  return toFloat32(tensor.dtype, tensor.bytes);
}

/** A tensor to write: float32 values, or raw bytes of another dtype. */
export type TensorToWrite =
  | { readonly shape: readonly number[]; readonly data: Float32Array }
  | { readonly dtype: SafetensorsDType; readonly shape: readonly number[]; readonly bytes: Uint8Array };

/** Writes tensors (and optional string metadata) as a safetensors file. */
export function serializeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;

  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const bytes = 'data' in tensor
      ? new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength)
      : tensor.bytes;
    const dtype = 'data' in tensor ? 'F32' : tensor.dtype;
    const expected = sizeOf(tensor.shape) * SAFETENSORS_DTYPE_SIZES[dtype];
    if (bytes.byteLength !== expected) {
      throw new TensorFileError(`serializeSafetensors: tensor '${name}' has ${bytes.byteLength} bytes but shape [${tensor.shape.join(', ')}] of ${dtype} needs ${expected}`);
    }
    header[name] = { dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }

  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const padding = (8 - (headerBytes.byteLength % 8)) % 8;

  const out = new Uint8Array(8 + headerBytes.byteLength + padding + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength + padding), true);
  out.set(headerBytes, 8);
  out.fill(0x20, 8 + headerBytes.byteLength, 8 + headerBytes.byteLength + padding);
  let position = 8 + headerBytes.byteLength + padding;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.byteLength;
  }
  return out;
}

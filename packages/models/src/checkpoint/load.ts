import { FileReadError, readRegularFile } from '../io/read-file.js';
import { MAX_CHECKPOINT_BYTES } from './limits.js';
import { CheckpointError } from './errors.js';
import { openPth, type CheckpointEntry } from './pth.js';
import { openSafetensors } from './safetensors.js';
import { checkFinite, stripModulePrefix } from './state-dict.js';
import type { StateDict, TensorInfo } from './types.js';

export type CheckpointFormat = 'pth' | 'safetensors';

export interface ReadStateDictOptions {
  /** Names the file in error messages; readStateDictFile uses the path. */
  readonly source?: string;
  /** The state_dict to read from a trainer checkpoint: 'net' (default) or its EMA copy 'net_E'. */
  readonly entry?: CheckpointEntry;
  /**
   * A check of the checkpoint's listing, run before any tensor data is
   * inflated or widened to float32. An error it throws propagates
   * unchanged, so a caller that needs particular tensors can reject a file
   * without paying to read its storages, which a hostile archive can make
   * cost gigabytes.
   */
  readonly validateListing?: (listing: CheckpointListing) => void;
}

/** The names, shapes and stored dtypes of a checkpoint's tensors, with its format, entry and metadata, read without touching tensor data. */
export interface CheckpointListing {
  readonly format: CheckpointFormat;
  /** Every tensor readStateDict would return, under the same names ('module.' removed), in file order. */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** As in LoadedStateDict. */
  readonly entry?: CheckpointEntry;
  /** As in LoadedStateDict. */
  readonly metadata?: Record<string, string>;
}

export interface LoadedStateDict {
  readonly stateDict: StateDict;
  readonly format: CheckpointFormat;
  /** The trainer checkpoint entry read; undefined for a bare state_dict or a safetensors file. */
  readonly entry?: CheckpointEntry;
  /** The safetensors `__metadata__` strings; undefined for .pth files. */
  readonly metadata?: Record<string, string>;
}

/** The first bytes of a legacy (before torch 1.6) torch.save file: protocol 2, then the LONG1 magic number. */
const LEGACY_TORCH_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/**
 * Detects a checkpoint's format from its content: a zip local file header
 * ('PK\x03\x04') for torch.save files, or a safetensors header (an 8-byte
 * length followed by '{'). Returns null for anything else.
 */
export function detectCheckpointFormat(bytes: Uint8Array): CheckpointFormat | null {
  if (bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'pth';
  if (bytes.byteLength >= 9 && bytes[8] === 0x7b) return 'safetensors';
  return null;
}

/**
 * Reads a state_dict from a PyTorch .pth (zip) or safetensors file, detected
 * by content. Keys lose a leading 'module.', and every tensor is float32 on
 * the host. Any NaN or infinity outside `num_batches_tracked` is rejected.
 * Every failure is a CheckpointError whose message names the file, except
 * the errors `validateListing` throws.
 */
export function readStateDict(bytes: Uint8Array, options: ReadStateDictOptions = {}): LoadedStateDict {
  const source = options.source ?? 'checkpoint';
  if (options.entry !== undefined && options.entry !== 'net' && options.entry !== 'net_E') {
    throw new CheckpointError(`${source}: invalid entry option ${JSON.stringify(options.entry)}; expected 'net' or 'net_E'`);
  }

  const { listing, read } = openCheckpoint(bytes, source, options.entry);
  options.validateListing?.(listing);

  const stateDict = stripModulePrefix(read(), source);
  checkFinite(stateDict, source);
  return { stateDict, format: listing.format, entry: listing.entry, metadata: listing.metadata };
}

/** Reads a checkpoint's listing, and returns it with a function that reads the tensors' data. */
function openCheckpoint(
  bytes: Uint8Array,
  source: string,
  requested: CheckpointEntry | undefined,
): { listing: CheckpointListing; read: () => StateDict } {
  const format = detectCheckpointFormat(bytes);
  if (format === 'pth') {
    const pth = openPth(bytes, source, requested);
    const tensors = new Map([...pth.records].map(([name, record]) => [name, { shape: record.size, storedDType: record.storage.dtype }]));
    return { listing: { format, tensors: stripModulePrefix(tensors, source), entry: pth.entry }, read: pth.read };
  }
  if (format === 'safetensors') {
    if (requested === 'net_E') {
      throw new CheckpointError(`${source}: entry 'net_E' is not available because a safetensors file contains a single state_dict; omit the entry option`);
    }
    const file = openSafetensors(bytes, source);
    const tensors = new Map([...file.tensors].map(([name, stored]) => [name, { shape: stored.shape, storedDType: stored.dtype }]));
    return { listing: { format, tensors: stripModulePrefix(tensors, source), metadata: file.metadata }, read: file.read };
  }
  throw new CheckpointError(`${source}: ${describeUnknownFormat(bytes)}`);
}

/**
 * Reads a checkpoint file with Node's fs; see readStateDict. fs is imported
 * on the first call, so bundles for browsers can include this module.
 */
export async function readStateDictFile(path: string, options: ReadStateDictOptions = {}): Promise<LoadedStateDict> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, MAX_CHECKPOINT_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    throw new CheckpointError(`${path}: cannot read the file (${reason})`, { cause: error });
  }
  return readStateDict(bytes, { ...options, source: options.source ?? path });
}

function describeUnknownFormat(bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return 'the file is empty';
  if (LEGACY_TORCH_MAGIC.every((byte, i) => bytes[i] === byte)) {
    return 'legacy torch.save format (before torch 1.6) is not supported; re-save it with a newer torch, which writes a zip archive';
  }
  return 'not a PyTorch .pth (zip) or safetensors file';
}

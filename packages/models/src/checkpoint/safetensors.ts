import { TensorFileError, parseSafetensors, storedToFloat32, type StoredTensor } from '@mobilemamba/core';
import { CheckpointError } from './errors.js';
import type { StateDict } from './types.js';

export interface SafetensorsContents {
  readonly stateDict: StateDict;
  readonly metadata: Record<string, string>;
}

/** A safetensors file whose header has been parsed and checked, but none of whose tensors has been converted. */
export interface SafetensorsListing {
  /** Each tensor's dtype, shape and raw bytes, in header order. */
  readonly tensors: ReadonlyMap<string, StoredTensor>;
  readonly metadata: Record<string, string>;
  /** Widens every tensor to float32. */
  read(): StateDict;
}

/**
 * Reads a safetensors state_dict with core's validating parser and widens
 * every tensor to float32 (exactly for F16 and BF16; F64 and I64 round to
 * the nearest float32). Structure errors are rethrown as CheckpointError.
 */
export function readSafetensorsStateDict(bytes: Uint8Array, source: string): SafetensorsContents {
  const listing = openSafetensors(bytes, source);
  return { stateDict: listing.read(), metadata: listing.metadata };
}

/** Parses and checks the header of a safetensors file; `read()` then converts the tensors. */
export function openSafetensors(bytes: Uint8Array, source: string): SafetensorsListing {
  let file;
  try {
    file = parseSafetensors(bytes, source);
  } catch (error) {
    if (error instanceof TensorFileError) throw new CheckpointError(error.message, { cause: error });
    throw error;
  }

  const { tensors } = file;
  const read = (): StateDict => {
    const stateDict: StateDict = new Map();
    for (const [name, stored] of tensors) {
      stateDict.set(name, { shape: [...stored.shape], data: storedToFloat32(stored), storedDType: stored.dtype });
    }
    return stateDict;
  };
  return { tensors, metadata: { ...file.metadata }, read };
}

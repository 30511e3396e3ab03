import { TensorFileError, parseSafetensors, storedToFloat32 } from '@mobilemamba/core';
import { CheckpointError } from './errors.js';
import type { StateDict } from './types.js';

export interface SafetensorsContents {
  readonly stateDict: StateDict;
  readonly metadata: Record<string, string>;
}

/**
 * Reads a safetensors state_dict with core's validating parser and widens
 * every tensor to float32 (exactly for F16 and BF16; F64 and I64 round to
 * the nearest float32). Structure errors are rethrown as CheckpointError.
 */
export function readSafetensorsStateDict(bytes: Uint8Array, source: string): SafetensorsContents {
  let file;
  try {
    file = parseSafetensors(bytes, source);
  } catch (error) {
    if (error instanceof TensorFileError) throw new CheckpointError(error.message, { cause: error });
    throw error;
  }

  const stateDict: StateDict = new Map();
  for (const [name, stored] of file.tensors) {
    stateDict.set(name, { shape: [...stored.shape], data: storedToFloat32(stored), storedDType: stored.dtype });
  }
  return { stateDict, metadata: { ...file.metadata } };
}

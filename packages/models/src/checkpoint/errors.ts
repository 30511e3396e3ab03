import { MobileMambaError } from '@mobilemamba/core';

/**
 * A checkpoint file is invalid, unsupported or unsafe to load. The message is
 * one line: the file, then what is wrong with it. Safetensors structure errors
 * from core (TensorFileError) are rethrown as this class, with the original
 * error as `cause`, so callers catch one error type for every format.
 */
export class CheckpointError extends MobileMambaError {
  override readonly name = 'CheckpointError';
}

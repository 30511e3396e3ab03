import { CheckpointError } from './errors.js';
import type { HostTensor, StateDict } from './types.js';

/** The prefix torch.nn.DataParallel and DistributedDataParallel put on every key. */
const MODULE_PREFIX = 'module.';

/**
 * Removes a leading 'module.' from every key that has one, as the authors'
 * trainer does before saving. Raises when that makes two keys equal.
 */
export function stripModulePrefix<T>(stateDict: ReadonlyMap<string, T>, source: string): Map<string, T> {
  const stripped = new Map<string, T>();
  for (const [name, tensor] of stateDict) {
    const key = name.startsWith(MODULE_PREFIX) ? name.slice(MODULE_PREFIX.length) : name;
    if (stripped.has(key)) {
      throw new CheckpointError(`${source}: keys '${name}' and '${key}' are the same tensor name once the '${MODULE_PREFIX}' prefix is removed`);
    }
    stripped.set(key, tensor);
  }
  return stripped;
}

/**
 * Raises on the first NaN or infinity in any tensor except BatchNorm's
 * `num_batches_tracked` counters, which inference ignores. A float64 value
 * beyond the float32 range counts as infinite, since it widened to infinity.
 */
export function checkFinite(stateDict: StateDict, source: string): void {
  for (const [name, tensor] of stateDict) {
    if (name.endsWith('num_batches_tracked')) continue;
    const index = firstNonFinite(tensor);
    if (index >= 0) {
      throw new CheckpointError(
        `${source}: tensor '${name}' contains ${tensor.data[index]} at element ${index} of ${tensor.data.length} (stored as ${tensor.storedDType}), so the checkpoint is corrupt or its training diverged`,
      );
    }
  }
}

function firstNonFinite(tensor: HostTensor): number {
  const { data } = tensor;
  for (let i = 0; i < data.length; i++) {
    // x - x is 0 for every finite x and NaN for NaN and infinities.
    if (data[i] - data[i] !== 0) return i;
  }
  return -1;
}

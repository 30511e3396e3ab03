import { SAFETENSORS_DTYPE_SIZES, toFloat32 } from '@mobilemamba/core';
import type { TensorRecord } from './pickle-values.js';

/**
 * Reads the elements of a strided tensor view from its storage's raw
 * little-endian bytes, widened to float32, in row-major order of `size`.
 * Element (i0, i1, ...) is storage element offset + sum(ik * stride[k]).
 * The record was checked on creation to stay inside the storage, and the
 * storage bytes were checked to hold `numel` elements.
 */
export function gatherTensor(record: TensorRecord, storageBytes: Uint8Array): Float32Array {
  const itemSize = SAFETENSORS_DTYPE_SIZES[record.storage.dtype];
  const numel = record.size.reduce((product, dim) => product * dim, 1);
  if (numel === 0) return new Float32Array(0);

  // The span from the first to the last element the view touches.
  const span = 1 + record.size.reduce((sum, dim, axis) => sum + (dim - 1) * record.stride[axis], 0);
  const begin = record.storageOffset * itemSize;
  const spanBytes = storageBytes.subarray(begin, begin + span * itemSize);
  if (spanBytes.byteLength !== span * itemSize) {
    // Unreachable for records from unpickle, which checks every view against its storage.
    throw new RangeError(`tensor view needs storage elements [${record.storageOffset}, ${record.storageOffset + span}), past the end of storage '${record.storage.key}'`);
  }

  // A contiguous view covers its span exactly, so it widens in one call.
  const widened = toFloat32(record.storage.dtype, spanBytes);
  if (span === numel && isContiguous(record.size, record.stride)) return widened;
  return gather(widened, numel, record.size, record.stride);
}

/** Returns whether the strides are the row-major ones for `size`. Axes of size 1 may have any stride. */
function isContiguous(size: readonly number[], stride: readonly number[]): boolean {
  let expected = 1;
  for (let axis = size.length - 1; axis >= 0; axis--) {
    if (size[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= size[axis];
  }
  return true;
}

/** Walks the view's index like an odometer, last axis fastest. */
function gather(source: Float32Array, numel: number, size: readonly number[], stride: readonly number[]): Float32Array {
  const out = new Float32Array(numel);
  const index = new Array<number>(size.length).fill(0);
  let position = 0;

  for (let i = 0; i < numel; i++) {
    out[i] = source[position];
    for (let axis = size.length - 1; axis >= 0; axis--) {
      index[axis]++;
      position += stride[axis];
      if (index[axis] < size[axis]) break;
      position -= stride[axis] * size[axis];
      index[axis] = 0;
    }
  }
  return out;
}

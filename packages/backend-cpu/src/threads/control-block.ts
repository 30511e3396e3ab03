/**
 * Layout of the control block, 256 bytes of the shared memory through which
 * the main thread hands work to the workers. Int32 fields come first, then
 * up to MAX_ARGUMENTS float64 kernel arguments at ARGUMENTS_BYTE_OFFSET.
 *
 * A job splits `units` work units into CHUNKS contiguous chunks. The main
 * thread writes the kernel, arguments and counts, resets NEXT and DONE,
 * increments EPOCH and notifies it. Every thread, the main one included,
 * then claims chunks from NEXT until none is left, and counts each finished
 * chunk in DONE; the main thread returns once DONE reaches CHUNKS. A worker
 * that wakes late, or not at all, only means the others claim more chunks.
 *
 * NEXT packs the job's sequence number (EPOCH modulo 2^SEQUENCE_BITS) above
 * the next chunk index, and chunks are claimed by compare-and-swap, so a
 * worker that read an older job's arguments can never claim a chunk of a
 * newer job.
 */
export const CONTROL_BYTES = 256;

/** Int32 field indices. */
export const EPOCH = 0;
export const NEXT = 1;
export const DONE = 2;
export const KERNEL = 3;
export const ARGUMENT_COUNT = 4;
export const UNITS = 5;
export const CHUNKS = 6;
/** Set to 1 to make workers leave their loop. */
export const STOP = 7;
/** Set to 1 by a thread whose kernel threw; the main thread then raises an error. */
export const FAILED = 8;

export const ARGUMENTS_BYTE_OFFSET = 64;
export const MAX_ARGUMENTS = 24;

/** Bits of NEXT that hold the chunk index; the sequence number sits above them. */
export const CHUNK_BITS = 20;
export const CHUNK_MASK = (1 << CHUNK_BITS) - 1;
/** The sequence number keeps 11 bits, so NEXT stays a positive int32. */
export const SEQUENCE_MASK = (1 << 11) - 1;

/** Returns the first unit of chunk `chunk` when `units` are split into `chunks` contiguous ranges. */
export function chunkStart(units: number, chunks: number, chunk: number): number {
  return Math.floor((units * chunk) / chunks);
}

/**
 * Largest checkpoint file read (2 GiB, Node's limit for one buffer). The
 * largest released MobileMamba, B4, is about 70 MB as float32.
 */
export const MAX_CHECKPOINT_BYTES = 2 ** 31 - 1;

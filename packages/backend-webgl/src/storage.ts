import { MobileMambaError, type KernelTensor } from '@mobilemamba/core';
import type { Texture } from 'gpu.js';

/**
 * One allocation of the WebGL backend, and the handle core stores for it:
 * `size` float32 values in row-major order, one per texel of a float
 * texture. Reshaped views share it, so kernels read it as a flat array and
 * take every shape from their arguments. An empty tensor has no texture.
 */
export class TextureStorage {
  constructor(
    /** The gpu.js texture; null when `size` is 0. */
    readonly texture: Texture | null,
    /** Number of float32 values. */
    readonly size: number,
    /** Bytes of GPU memory the texture occupies, padding included. */
    readonly bytes: number,
  ) {}
}

/** Returns the storage behind a kernel argument, which must be a live tensor of this backend. */
export function storageOf(tensor: KernelTensor): TextureStorage {
  if (!(tensor.handle instanceof TextureStorage)) {
    throw new MobileMambaError('webgl backend: a kernel received storage of another backend; create every input tensor on the webgl backend');
  }
  return tensor.handle;
}

import type { IKernelRunShortcut } from 'gpu.js';

/**
 * Compiled gpu.js kernels by key. gpu.js bakes constants, the output size
 * and the texture size of every argument into the shader it compiles, so a
 * kernel is reusable only for calls that agree on all of them, and the key
 * is built from exactly those.
 */
export class KernelCache {
  private readonly kernels = new Map<string, IKernelRunShortcut>();

  /** Number of compiled kernels held. */
  get size(): number {
    return this.kernels.size;
  }

  /** Returns the kernel cached under `key`, compiling it with `create` on first use. */
  getOrCreate(key: string, create: () => IKernelRunShortcut): IKernelRunShortcut {
    let kernel = this.kernels.get(key);
    if (kernel === undefined) {
      kernel = create();
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  /** Destroys every kernel, with its shader program and its last output texture. */
  destroy(): void {
    for (const kernel of this.kernels.values()) kernel.destroy();
    this.kernels.clear();
  }
}

/** Options of createWebGpuBackend. Every field is optional. */
export interface WebGpuBackendOptions {
  /**
   * Options for Dawn's `create()` in Node, such as ['backend=vulkan'] or
   * ['enable-dawn-features=dump_shaders']; ignored in browsers. Default [].
   */
  dawnOptions?: readonly string[];
  /** Options for `requestAdapter`. Default {}. */
  adapterOptions?: GPURequestAdapterOptions;
  /**
   * A GPU object (navigator.gpu or one from Dawn's `create()`) to use
   * instead of finding one; then neither the Dawn instance nor the
   * compatibility fallback is created.
   */
  gpu?: GPU;
  /**
   * Accept an adapter that reports a CPU or software implementation
   * (llvmpipe, lavapipe, SwiftShader, or a fallback adapter). Default
   * false, unless the environment variable MOBILEMAMBA_WEBGPU_ALLOW_SOFTWARE
   * is 1 in Node: such an adapter is usually slower than the cpu backend, so
   * automatic backend choice should pass over it.
   */
  allowSoftwareAdapter?: boolean;
  /** Compile the pipelines MobileMamba needs during init(). Default true. */
  warmUp?: boolean;
  /** Bytes of freed GPU buffers kept for reuse. Default 256 MiB. */
  poolBytes?: number;
  /**
   * Caps the bytes of one storage binding below the device's
   * maxStorageBufferBindingSize, for tests or to leave room for other users
   * of the device.
   */
  maxStorageBufferBindingSize?: number;
  /** Kernels recorded before they are submitted without waiting for a download. Default 64. */
  dispatchesPerSubmit?: number;
}

/** Environment variable that, set to 1, lets the Node entry accept software adapters. */
export const ALLOW_SOFTWARE_ENV = 'MOBILEMAMBA_WEBGPU_ALLOW_SOFTWARE';

export const DEFAULT_POOL_BYTES = 256 * 1024 * 1024;
export const DEFAULT_DISPATCHES_PER_SUBMIT = 64;

import { MobileMambaError } from '@mobilemamba/core';

/** Prefix of every message this backend writes, so a log line names its source. */
export const PREFIX = 'webgpu backend';

/** A GPU operation failed: a validation, out-of-memory or internal error, or a failed readback. */
export class GpuError extends MobileMambaError {
  override readonly name: string = 'GpuError';
}

/** The adapter cannot give a limit the kernels need, or a tensor exceeds a device limit. */
export class GpuLimitError extends GpuError {
  override readonly name = 'GpuLimitError';

  constructor(
    /** The WebGPU limit's name, such as 'maxStorageBufferBindingSize'. */
    readonly limit: string,
    readonly required: number,
    readonly available: number,
    message: string,
  ) {
    super(message);
  }
}

/** The GPU device was lost (driver reset, `device.destroy()` by someone else, or `destroy()`). */
export class GpuDeviceLostError extends GpuError {
  override readonly name = 'GpuDeviceLostError';
}

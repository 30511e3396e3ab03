import { registerBackend } from '@mobilemamba/core';
import { createBackend, WEBGPU_BACKEND_NAME, type WebGpuBackend } from './backend.js';
import { findDawnAdapter } from './device/dawn.js';
import { softwareOnlyReason } from './device/gpu-device-files.js';
import { ALLOW_SOFTWARE_ENV, type WebGpuBackendOptions } from './options.js';

export { WEBGPU_BACKEND_NAME, type WebGpuBackend } from './backend.js';
export { DAWN_FALLBACK } from './device/dawn.js';
export type { AdapterDescription } from './device/adapter.js';
export type { BindingAccess, ShaderProgram } from './gpu/pipeline-cache.js';
export { GpuDeviceLostError, GpuError, GpuLimitError } from './errors.js';
export { REQUIRED_LIMITS } from './gpu/limits.js';
export { ALLOW_SOFTWARE_ENV, type WebGpuBackendOptions } from './options.js';

/**
 * Creates a WebGPU backend on Dawn's Node bindings (npm `webgpu`). init()
 * tries `options.dawnOptions` and `options.adapterOptions` first, then
 * Dawn's OpenGL ES backend in compatibility mode (DAWN_FALLBACK), which is
 * how a machine without a GPU reaches Mesa's llvmpipe. A software adapter
 * is rejected unless `allowSoftwareAdapter` is true or the environment
 * variable MOBILEMAMBA_WEBGPU_ALLOW_SOFTWARE is 1. On Linux without a GPU
 * device file (/dev/dri/renderD*, /dev/nvidia<N>, /dev/dxg) that rejection
 * comes before Dawn is loaded, so Dawn prints nothing.
 */
export function createWebGpuBackend(options: WebGpuBackendOptions = {}): WebGpuBackend {
  return createBackend(
    {
      findAdapter: findDawnAdapter,
      allowSoftwareByDefault: process.env[ALLOW_SOFTWARE_ENV] === '1',
      howToAllowSoftware: `set ${ALLOW_SOFTWARE_ENV}=1 or pass allowSoftwareAdapter: true to use it anyway`,
      softwareOnlyReason: () => softwareOnlyReason(),
    },
    options,
  );
}

/**
 * Registers the WebGPU backend under the name 'webgpu'. The default
 * priority is high, so that a hardware GPU wins the automatic choice. With
 * only a software adapter, init() rejects and the registry moves on.
 */
export function registerWebGpuBackend(priority = 200, options: WebGpuBackendOptions = {}): void {
  registerBackend(WEBGPU_BACKEND_NAME, () => createWebGpuBackend(options), priority);
}

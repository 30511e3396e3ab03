import { registerBackend } from '@mobilemamba/core';
import { createBackend, WEBGPU_BACKEND_NAME, type WebGpuBackend } from './backend.js';
import { findNavigatorAdapter } from './device/navigator.js';
import type { WebGpuBackendOptions } from './options.js';

export { WEBGPU_BACKEND_NAME, type WebGpuBackend } from './backend.js';
export type { AdapterDescription } from './device/adapter.js';
export type { BindingAccess, ShaderProgram } from './gpu/pipeline-cache.js';
export { GpuDeviceLostError, GpuError, GpuLimitError } from './errors.js';
export { REQUIRED_LIMITS } from './gpu/limits.js';
export type { WebGpuBackendOptions } from './options.js';

/**
 * Creates a WebGPU backend on `navigator.gpu`. init() requests an adapter
 * with `options.adapterOptions`, or without options and then in
 * compatibility mode. A software adapter (SwiftShader, a fallback adapter)
 * is rejected unless `allowSoftwareAdapter` is true. `dawnOptions` has no
 * effect in a browser.
 */
export function createWebGpuBackend(options: WebGpuBackendOptions = {}): WebGpuBackend {
  return createBackend(
    {
      findAdapter: findNavigatorAdapter,
      allowSoftwareByDefault: false,
      howToAllowSoftware: 'pass allowSoftwareAdapter: true to use it anyway',
    },
    options,
  );
}

/** Registers the WebGPU backend under the name 'webgpu' (see the Node entry). */
export function registerWebGpuBackend(priority = 200, options: WebGpuBackendOptions = {}): void {
  registerBackend(WEBGPU_BACKEND_NAME, () => createWebGpuBackend(options), priority);
}

import { registerBackend } from '@mobilemamba/core';
import { CPU_BACKEND_NAME, createCpuBackend, type CpuBackendOptions } from './backend.js';

export {
  CPU_BACKEND_NAME,
  createCpuBackend,
  type CpuBackend,
  type CpuBackendConfiguration,
  type CpuBackendOptions,
} from './backend.js';
export { simdSupported } from './wasm/features.js';

/**
 * Registers the cpu backend under the name 'cpu'. The default priority 100
 * puts it ahead of the reference backend (priority 1) in the automatic choice.
 */
export function registerCpuBackend(priority = 100, options: CpuBackendOptions = {}): void {
  registerBackend(CPU_BACKEND_NAME, () => createCpuBackend(options), priority);
}

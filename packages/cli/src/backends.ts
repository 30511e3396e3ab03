import { backendFailures, getBackend, ready, registerBackend, setBackend, setBackendLogger, type Backend, type BackendFactory } from '@mobilemamba/core';
import { createCpuBackend } from '@mobilemamba/backend-cpu';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { createWebGlBackend } from '@mobilemamba/backend-webgl';
import { createWebGpuBackend } from '@mobilemamba/backend-webgpu';

/**
 * Backends the command registers, highest priority first. Automatic choice
 * takes the first whose initialisation succeeds and logs why it skipped
 * the others.
 */
export const BACKEND_REGISTRATIONS: readonly { name: string; priority: number; create: BackendFactory }[] = [
  // A software GPU (llvmpipe, SwiftShader) is slower than the cpu backend, so it runs only when named.
  { name: 'webgpu', priority: 200, create: ({ explicit }) => createWebGpuBackend({ allowSoftwareAdapter: explicit }) },
  { name: 'cpu', priority: 100, create: () => createCpuBackend() },
  { name: 'webgl', priority: 50, create: () => createWebGlBackend() },
  { name: 'reference', priority: 1, create: () => createReferenceBackend() },
];

export function registerBuiltinBackends(): void {
  for (const { name, priority, create } of BACKEND_REGISTRATIONS) registerBackend(name, create, priority);
}

/**
 * Makes the requested backend active, or chooses one automatically.
 * Skipped backends are reported through `log` with their reasons.
 */
export async function selectBackend(requested: string | undefined, log: (line: string) => void = () => {}): Promise<Backend> {
  registerBuiltinBackends();
  setBackendLogger((message) => {
    if (message.includes('skipped')) log(message);
  });
  if (requested) return setBackend(requested);
  await ready();
  return getBackend();
}

/**
 * Describes the backend that ran and, after an automatic choice, the ones
 * skipped before it, such as "cpu (webgpu skipped; --verbose prints why)".
 * With `reasonsPrinted`, the reasons are already on stderr, so the hint is left out.
 */
export function describeBackendChoice(backend: Backend, requested: string | undefined, reasonsPrinted = false): string {
  const skipped = requested ? [] : backendFailures().map((failure) => failure.backend);
  if (skipped.length === 0) return backend.name;
  return `${backend.name} (${skipped.join(', ')} skipped${reasonsPrinted ? '' : '; --verbose prints why'})`;
}

import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../src/index.js';

/** A started backend, or why none could start on this machine. */
export type Started = { backend: WebGpuBackend; unavailable: null } | { backend: null; unavailable: string };

/**
 * Creates and initialises a backend, accepting software adapters (CI
 * machines have no GPU). Tests that need a device skip with `unavailable`
 * in their title when this fails, so a missing GPU never reads as a pass.
 */
export async function startBackend(options: WebGpuBackendOptions = {}): Promise<Started> {
  const backend = createWebGpuBackend({ allowSoftwareAdapter: true, ...options });
  try {
    await backend.init();
    return { backend, unavailable: null };
  } catch (error) {
    return { backend: null, unavailable: error instanceof Error ? error.message : String(error) };
  }
}

/** Returns the suffix of a describe title: the reason when the device tests cannot run. */
export function skipNote(started: Started): string {
  return started.unavailable === null ? '' : ` (skipped: ${started.unavailable})`;
}

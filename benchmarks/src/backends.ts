import type { Backend } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';

/** One of our backends, ready to run. */
export interface LoadedBackend {
  name: string;
  backend: Backend;
  /**
   * Whole-model cases get fewer runs on a slow backend, so that the whole
   * benchmark fits in a few minutes.
   */
  slow: boolean;
}

/** Names of our backends that this program can load, in the order it runs them. */
export const BACKEND_NAMES = ['cpu', 'reference'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Initialises the requested backends. A backend that cannot be imported or
 * initialised is returned in `absent` with the reason, never replaced by
 * another.
 */
export async function loadBackends(names: readonly BackendName[]): Promise<{
  loaded: LoadedBackend[];
  absent: { name: string; reason: string }[];
}> {
  const loaded: LoadedBackend[] = [];
  const absent: { name: string; reason: string }[] = [];
  for (const name of names) {
    try {
      const backend = name === 'cpu' ? await createCpuBackend() : createReferenceBackend();
      await backend.init();
      loaded.push({ name, backend, slow: name === 'reference' });
    } catch (error) {
      absent.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { loaded, absent };
}

/**
 * Creates the WebAssembly backend. The package is imported on use, so that
 * the other cases still run when it is missing or does not load.
 */
async function createCpuBackend(): Promise<Backend> {
  // A variable specifier keeps the type checker from requiring the package's declarations.
  const specifier = '@mobilemamba/backend-cpu';
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`@mobilemamba/backend-cpu could not be imported (${reason}); build it with pnpm build`);
  }

  const create = module.createCpuBackend;
  if (typeof create !== 'function') {
    throw new Error('@mobilemamba/backend-cpu does not export createCpuBackend()');
  }
  return (await create()) as Backend;
}

/** Frees every backend, so that worker threads do not keep the process alive. */
export async function destroyBackends(backends: readonly LoadedBackend[]): Promise<void> {
  for (const { backend } of backends) await backend.destroy?.();
}

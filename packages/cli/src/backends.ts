import { getBackend, ready, registerBackend, setBackend, setBackendLogger, type Backend } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';

/**
 * Backends the command knows, highest priority first. Automatic choice
 * takes the first whose initialisation succeeds and logs why it skipped
 * the others.
 */
export const BACKEND_REGISTRATIONS = [
  { name: 'reference', priority: 1, create: createReferenceBackend },
] as const;

export function registerBuiltinBackends(): void {
  for (const { name, priority, create } of BACKEND_REGISTRATIONS) registerBackend(name, create, priority);
}

/**
 * Makes the requested backend active, or chooses one automatically.
 * Skipped backends are reported through `log` with their reasons.
 */
export async function selectBackend(requested: string | undefined, log: (line: string) => void): Promise<Backend> {
  registerBuiltinBackends();
  setBackendLogger((message) => {
    if (message.includes('skipped')) log(message);
  });
  if (requested) return setBackend(requested);
  await ready();
  return getBackend();
}

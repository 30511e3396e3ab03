import { registerBackend } from '@mobilemamba/core';
import { createReferenceBackend, REFERENCE_BACKEND_NAME } from './backend.js';

export { createReferenceBackend, REFERENCE_BACKEND_NAME } from './backend.js';

/**
 * Registers the reference backend under the name 'reference'. The default
 * priority is low, so that any faster backend whose initialisation succeeds
 * wins the automatic choice.
 */
export function registerReferenceBackend(priority = 1): void {
  registerBackend(REFERENCE_BACKEND_NAME, createReferenceBackend, priority);
}

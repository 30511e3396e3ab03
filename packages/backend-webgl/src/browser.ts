import { registerBackend, type Backend } from '@mobilemamba/core';
import { createBackendOn, WEBGL_BACKEND_NAME, type AcquiredContext, type WebGlBackendOptions } from './backend.js';
import { createBrowserContext, loseBrowserContext } from './context/browser.js';

export { WEBGL_BACKEND_NAME, type WebGlBackendOptions } from './backend.js';
export { WebGlUnavailableError } from './errors.js';
export type { WebGlCanvas } from './context/browser.js';

/** Acquires the caller's context, or creates a WebGL2 one that the backend loses on destroy(). */
function provideBrowserContext(options: WebGlBackendOptions): AcquiredContext {
  if (options.context) return { context: options.context, canvas: options.canvas, release: () => {} };
  const { canvas, context } = createBrowserContext(options.canvas);
  return { context, canvas, release: () => loseBrowserContext(context) };
}

/** Creates an independent WebGL backend on a WebGL2 context with float render targets. */
export function createWebGlBackend(options: WebGlBackendOptions = {}): Backend {
  return createBackendOn(provideBrowserContext, options);
}

/** Registers the WebGL backend under the name 'webgl'. */
export function registerWebGlBackend(priority = 50): void {
  registerBackend(WEBGL_BACKEND_NAME, () => createWebGlBackend(), priority);
}

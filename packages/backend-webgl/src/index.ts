import { registerBackend, type Backend } from '@mobilemamba/core';
import { createBackendOn, WEBGL_BACKEND_NAME, type AcquiredContext, type WebGlBackendOptions } from './backend.js';
import { createHeadlessGlContext, destroyHeadlessGlContext } from './context/headless-gl.js';

export { WEBGL_BACKEND_NAME, type WebGlBackendOptions } from './backend.js';
export { WebGlUnavailableError } from './errors.js';
export type { WebGlCanvas } from './context/browser.js';

/** Acquires the caller's context, or creates a headless-gl one that the backend frees on destroy(). */
function provideNodeContext(options: WebGlBackendOptions): AcquiredContext {
  if (options.context) return { context: options.context, canvas: options.canvas, release: () => {} };
  const context = createHeadlessGlContext();
  return { context, release: () => destroyHeadlessGlContext(context) };
}

/**
 * Creates an independent WebGL backend. In Node it runs on headless-gl
 * (npm `gl`), which needs an X display. Where either is missing, init()
 * rejects with what is missing and how to get it.
 */
export function createWebGlBackend(options: WebGlBackendOptions = {}): Backend {
  return createBackendOn(provideNodeContext, options);
}

/** Registers the WebGL backend under the name 'webgl'. */
export function registerWebGlBackend(priority = 50): void {
  registerBackend(WEBGL_BACKEND_NAME, () => createWebGlBackend(), priority);
}

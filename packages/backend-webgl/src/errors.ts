import { MobileMambaError } from '@mobilemamba/core';

/**
 * The WebGL backend cannot run here: headless-gl is missing or has no
 * display, or the browser has no WebGL2 with float render targets. The
 * message names what is missing and how to get it.
 */
export class WebGlUnavailableError extends MobileMambaError {
  override readonly name = 'WebGlUnavailableError';
}

import { WebGlUnavailableError } from '../errors.js';

/** A canvas that can give a WebGL2 context. */
export type WebGlCanvas = HTMLCanvasElement | OffscreenCanvas;

/** A browser WebGL2 context and the canvas it renders to. */
export interface BrowserContext {
  readonly canvas: WebGlCanvas;
  readonly context: WebGL2RenderingContext;
}

/** Creates a 1x1 canvas: an OffscreenCanvas where the platform has one, else a detached <canvas>. */
function createCanvas(): WebGlCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(1, 1);
  if (typeof document !== 'undefined') return document.createElement('canvas');
  throw new WebGlUnavailableError('webgl backend: this runtime has neither OffscreenCanvas nor document, so no WebGL2 canvas can be created');
}

/**
 * Creates a WebGL2 context that can render to float32 textures, on `canvas`
 * or on a new one. Rejects with WebGlUnavailableError when the browser has
 * no WebGL2 or no EXT_color_buffer_float, since the kernels write float32
 * textures.
 */
export function createBrowserContext(canvas: WebGlCanvas = createCanvas()): BrowserContext {
  const attributes = { preserveDrawingBuffer: true, antialias: false, depth: false, powerPreference: 'high-performance' as const };
  const context = canvas.getContext('webgl2', attributes) as WebGL2RenderingContext | null;
  if (context === null) {
    throw new WebGlUnavailableError(
      'webgl backend: the browser returned no WebGL2 context (WebGL2 is unsupported, disabled, or the GPU process failed); ' +
        'enable hardware acceleration or WebGL, or choose another backend',
    );
  }
  if (!context.getExtension('EXT_color_buffer_float')) {
    context.getExtension('WEBGL_lose_context')?.loseContext();
    throw new WebGlUnavailableError(
      `webgl backend: the WebGL2 context (renderer ${String(context.getParameter(context.RENDERER))}) lacks EXT_color_buffer_float, ` +
        'so kernels cannot write float32 textures',
    );
  }
  return { canvas, context };
}

/** Releases a browser context that the backend created. */
export function loseBrowserContext(context: WebGL2RenderingContext): void {
  context.getExtension('WEBGL_lose_context')?.loseContext();
}

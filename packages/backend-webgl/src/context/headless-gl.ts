import { createRequire } from 'node:module';
import { WebGlUnavailableError } from '../errors.js';

/** headless-gl's default export: creates a WebGL 1 context, or returns null when it cannot. */
export type HeadlessGlFactory = (width: number, height: number, attributes?: Record<string, unknown>) => WebGLRenderingContext | null;

/** Debian packages that headless-gl's source build needs, since npm has no prebuilt binary for this platform. */
export const HEADLESS_GL_BUILD_PACKAGES = 'build-essential python3 pkg-config libx11-dev libxext-dev libxi-dev libglu1-mesa-dev libglew-dev';

const BUILD_HINT =
  `Install the Debian packages ${HEADLESS_GL_BUILD_PACKAGES} ` +
  '(the repository script .ci/setup-webgl.sh does this), then rebuild it with `pnpm rebuild gl` ' +
  "and make sure 'gl' is listed in onlyBuiltDependencies of pnpm-workspace.yaml, since pnpm skips its build script otherwise";

const DISPLAY_HINT =
  'headless-gl creates its OpenGL context through an X server. ' +
  'Run the command under `xvfb-run -a` (Debian packages xvfb and xauth), or set DISPLAY to a running X server';

/** Loads the `gl` package, resolved from this package as Node resolves it. */
export function requireHeadlessGl(): unknown {
  return createRequire(import.meta.url)('gl');
}

/**
 * Creates a headless-gl context with the float textures the kernels need.
 * Throws WebGlUnavailableError, naming what is missing and how to get it,
 * in three cases. The `gl` package may not load: it is not installed, or
 * its native build failed, which pnpm ignores for an optional dependency.
 * It may return no context, because there is no X display. Or the context
 * may lack OES_texture_float.
 *
 * `load` replaces the loader, so that tests can simulate a missing package.
 */
export function createHeadlessGlContext(load: () => unknown = requireHeadlessGl): WebGLRenderingContext {
  let factory: unknown;
  try {
    factory = load();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new WebGlUnavailableError(
      `webgl backend: headless-gl (npm package 'gl') cannot be loaded (${reason}). ` +
        `It is an optional dependency built from source, so a failed build leaves it out without an error. ${BUILD_HINT}`,
      { cause: error },
    );
  }
  if (typeof factory !== 'function') {
    throw new WebGlUnavailableError(`webgl backend: the 'gl' package did not export a context factory (got ${typeof factory}). ${BUILD_HINT}`);
  }

  const context = (factory as HeadlessGlFactory)(1, 1, { preserveDrawingBuffer: true });
  if (context === null || context === undefined) {
    const display = process.env.DISPLAY;
    const found = display ? `the X display DISPLAY=${display} did not give it an OpenGL context` : 'DISPLAY is not set, so there is no X display';
    throw new WebGlUnavailableError(`webgl backend: headless-gl could not create a WebGL context: ${found}. ${DISPLAY_HINT}`);
  }

  if (!context.getExtension('OES_texture_float')) {
    context.getExtension('STACKGL_destroy_context')?.destroy();
    throw new WebGlUnavailableError(
      `webgl backend: the headless-gl context (renderer ${String(context.getParameter(context.RENDERER))}) lacks OES_texture_float, ` +
        'so it cannot store float32 tensors. Use a Mesa driver with float textures (Debian package libgl1-mesa-dri)',
    );
  }
  return context;
}

/** Frees a headless-gl context's native resources. */
export function destroyHeadlessGlContext(context: WebGLRenderingContext): void {
  context.getExtension('STACKGL_destroy_context')?.destroy();
}

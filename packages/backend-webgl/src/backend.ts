import { MobileMambaError, type Backend, type BackendMemory, type DataHandle, type Kernels, type Shape } from '@mobilemamba/core';
import { GPU } from 'gpu.js';
import type { WebGlCanvas } from './context/browser.js';
import { WebGlUnavailableError } from './errors.js';
import { batchNormFold } from './kernels/batch-norm-fold.js';
import { conv2d } from './kernels/conv2d.js';
import { depthwiseConv2d } from './kernels/depthwise-conv2d.js';
import { binary, unary } from './kernels/elementwise.js';
import { dwt2d, idwt2d } from './kernels/haar.js';
import { concat, flip, slice } from './kernels/layout.js';
import { globalAvgPool, layerNorm, linear } from './kernels/normalization.js';
import { selectiveScan } from './kernels/selective-scan.js';
import { WebGlRuntime } from './runtime.js';
import { TextureStorage } from './storage.js';

/** The name the WebGL backend registers under. */
export const WEBGL_BACKEND_NAME = 'webgl';

export interface WebGlBackendOptions {
  /**
   * A context to run on instead of one the backend creates: a headless-gl
   * context in Node, a WebGL2 context in browsers. The caller keeps
   * ownership, so `destroy()` leaves it alive.
   */
  readonly context?: WebGLRenderingContext | WebGL2RenderingContext;
  /** In browsers, the canvas that owns `context`, or the canvas to create the context on. */
  readonly canvas?: WebGlCanvas;
}

/** A WebGL context that init() acquired, and how to give it back. */
export interface AcquiredContext {
  readonly context: WebGLRenderingContext | WebGL2RenderingContext;
  readonly canvas?: WebGlCanvas;
  /** Frees the context when the backend created it; does nothing for a caller's context. */
  release(): void;
}

/** Acquires the platform's context: headless-gl in Node, WebGL2 in browsers. Throws WebGlUnavailableError with the reason. */
export type ContextProvider = (options: WebGlBackendOptions) => AcquiredContext;

/** Values a float32 texture returns exactly and a float16 one cannot: they need float32's range or precision. */
const ROUND_TRIP_VALUES = Float32Array.of(1.5, -2.25e-3, 3.0e7, 1.1754944e-38, -0.0078125);

/**
 * Creates a backend whose kernels are gpu.js kernels on float32 textures,
 * on the context that `provide` acquires in init(). Tensors stay on the GPU
 * between kernels and are read back only by download.
 */
export function createBackendOn(provide: ContextProvider, options: WebGlBackendOptions = {}): Backend {
  let runtime: WebGlRuntime | null = null;
  let acquired: AcquiredContext | null = null;
  const live = new Set<TextureStorage>();
  let bytes = 0;

  const ready = (): WebGlRuntime => {
    if (runtime === null) throw new MobileMambaError('webgl backend: not initialised or already destroyed; await backend.init() first');
    return runtime;
  };

  /** Records a new allocation, so that memory() counts it until disposeData. */
  const track = (storage: TextureStorage): TextureStorage => {
    live.add(storage);
    bytes += storage.bytes;
    return storage;
  };

  const liveStorage = (handle: DataHandle, size: number, op: string): TextureStorage => {
    if (!(handle instanceof TextureStorage) || !live.has(handle)) {
      throw new MobileMambaError(`webgl backend: ${op} received a handle that is not live storage of this backend (already disposed, or from another backend)`);
    }
    if (size > handle.size) {
      throw new MobileMambaError(`webgl backend: ${op} requested ${size} values, but the storage contains only ${handle.size}`);
    }
    return handle;
  };

  // Every kernel returns new storage, which the backend tracks until core disposes it.
  const kernels: Kernels = {
    add: (a, b, outShape) => track(binary(ready(), 'add', a, b, outShape)),
    mul: (a, b, outShape) => track(binary(ready(), 'mul', a, b, outShape)),
    relu: (x) => track(unary(ready(), 'relu', x)),
    silu: (x) => track(unary(ready(), 'silu', x)),
    sigmoid: (x) => track(unary(ready(), 'sigmoid', x)),
    softplus: (x) => track(unary(ready(), 'softplus', x)),
    layerNorm: (...args) => track(layerNorm(ready(), ...args)),
    globalAvgPool: (...args) => track(globalAvgPool(ready(), ...args)),
    linear: (...args) => track(linear(ready(), ...args)),
    slice: (...args) => track(slice(ready(), ...args)),
    concat: (...args) => track(concat(ready(), ...args)),
    flip: (...args) => track(flip(ready(), ...args)),
    conv2d: (...args) => track(conv2d(ready(), ...args)),
    depthwiseConv2d: (...args) => track(depthwiseConv2d(ready(), ...args)),
    selectiveScan: (...args) => track(selectiveScan(ready(), ...args)),
    dwt2d: (...args) => track(dwt2d(ready(), ...args)),
    idwt2d: (...args) => track(idwt2d(ready(), ...args)),
    batchNormFold: (...args) => {
      const [weight, bias] = batchNormFold(ready(), ...args);
      return [track(weight), track(bias)];
    },
  };

  return {
    name: WEBGL_BACKEND_NAME,
    kernels,

    init: async () => {
      if (runtime !== null) return;
      const context = provide(options);
      try {
        const started = new WebGlRuntime(new GPU({ context: context.context, canvas: context.canvas }), context.context);
        checkRoundTrip(started);
        runtime = started;
        acquired = context;
      } catch (error) {
        context.release();
        if (error instanceof WebGlUnavailableError) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new WebGlUnavailableError(`webgl backend: gpu.js could not run a kernel on this context: ${reason}`, { cause: error });
      }
    },

    upload: (values: Float32Array, _shape: Shape) => track(ready().upload(values)),

    download: async (handle: DataHandle, size: number) => ready().read(liveStorage(handle, size, 'download'), size),

    downloadSync: (handle: DataHandle, size: number) => ready().read(liveStorage(handle, size, 'downloadSync'), size),

    disposeData: (handle: DataHandle) => {
      const storage = liveStorage(handle, 0, 'disposeData');
      live.delete(storage);
      bytes -= storage.bytes;
      runtime?.release(storage);
    },

    memory: (): BackendMemory => ({ bytes, allocations: live.size, kernels: runtime?.cache.size ?? 0 }),

    destroy: () => {
      for (const storage of live) runtime?.release(storage);
      live.clear();
      bytes = 0;
      runtime?.destroy();
      runtime = null;
      acquired?.release();
      acquired = null;
    },
  };
}

/** Rejects a context whose float textures do not store float32 values exactly, as some drivers store float16. */
function checkRoundTrip(runtime: WebGlRuntime): void {
  const storage = runtime.upload(ROUND_TRIP_VALUES);
  try {
    const values = runtime.read(storage, ROUND_TRIP_VALUES.length);
    const wrong = ROUND_TRIP_VALUES.findIndex((value, i) => !Object.is(values[i], value));
    if (wrong >= 0) {
      throw new WebGlUnavailableError(
        `webgl backend: a float texture returned ${values[wrong]} for ${ROUND_TRIP_VALUES[wrong]}, so this context does not store float32 exactly`,
      );
    }
  } finally {
    runtime.release(storage);
  }
}

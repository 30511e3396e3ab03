import { MobileMambaError, type Backend, type BackendMemory, type DataHandle, type Kernels, type Shape } from '@mobilemamba/core';
import { batchNormFold } from './kernels/batch-norm-fold.js';
import { conv2d } from './kernels/conv2d.js';
import { depthwiseConv2d } from './kernels/depthwise-conv2d.js';
import { add, mul, relu, sigmoid, silu, softplus } from './kernels/elementwise.js';
import { dwt2d, idwt2d } from './kernels/haar.js';
import { concat, flip, slice } from './kernels/layout.js';
import { globalAvgPool, layerNorm, linear } from './kernels/normalization.js';
import { selectiveScan } from './kernels/selective-scan.js';

/** The name the reference backend registers under. */
export const REFERENCE_BACKEND_NAME = 'reference';

/**
 * Creates an independent reference backend. Each allocation is one
 * Float32Array, which is also its handle. Upload and download copy, so
 * callers never share an array with the backend.
 */
export function createReferenceBackend(): Backend {
  const live = new Set<Float32Array>();
  let bytes = 0;

  /** Records a new allocation, so that memory() counts it until disposeData. */
  const track = (values: Float32Array): Float32Array => {
    live.add(values);
    bytes += values.byteLength;
    return values;
  };

  const storageOf = (handle: DataHandle, size: number, op: string): Float32Array => {
    if (!(handle instanceof Float32Array) || !live.has(handle)) {
      throw new MobileMambaError(`reference backend: ${op} received a handle that is not live storage of this backend (already disposed, or from another backend)`);
    }
    if (size > handle.length) {
      throw new MobileMambaError(`reference backend: ${op} requested ${size} values, but the storage contains only ${handle.length}`);
    }
    return handle;
  };

  // Every kernel returns new storage, which the backend tracks until core disposes it.
  const kernels: Kernels = {
    add: (...args) => track(add(...args)),
    mul: (...args) => track(mul(...args)),
    relu: (...args) => track(relu(...args)),
    silu: (...args) => track(silu(...args)),
    sigmoid: (...args) => track(sigmoid(...args)),
    softplus: (...args) => track(softplus(...args)),
    layerNorm: (...args) => track(layerNorm(...args)),
    globalAvgPool: (...args) => track(globalAvgPool(...args)),
    linear: (...args) => track(linear(...args)),
    slice: (...args) => track(slice(...args)),
    concat: (...args) => track(concat(...args)),
    flip: (...args) => track(flip(...args)),
    conv2d: (...args) => track(conv2d(...args)),
    depthwiseConv2d: (...args) => track(depthwiseConv2d(...args)),
    selectiveScan: (...args) => track(selectiveScan(...args)),
    dwt2d: (...args) => track(dwt2d(...args)),
    idwt2d: (...args) => track(idwt2d(...args)),
    batchNormFold: (...args) => {
      const [weight, bias] = batchNormFold(...args);
      return [track(weight), track(bias)];
    },
  };

  return {
    name: REFERENCE_BACKEND_NAME,
    kernels,

    // Plain TypeScript runs everywhere, so there is nothing to prepare.
    init: async () => {},

    upload: (values: Float32Array, _shape: Shape) => track(values.slice()),

    download: async (handle: DataHandle, size: number) => storageOf(handle, size, 'download').slice(0, size),

    downloadSync: (handle: DataHandle, size: number) => storageOf(handle, size, 'downloadSync').slice(0, size),

    disposeData: (handle: DataHandle) => {
      const values = storageOf(handle, 0, 'disposeData');
      live.delete(values);
      bytes -= values.byteLength;
    },

    memory: (): BackendMemory => ({ bytes, allocations: live.size }),

    destroy: () => {
      live.clear();
      bytes = 0;
    },
  };
}

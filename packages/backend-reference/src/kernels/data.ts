import { MobileMambaError, type KernelTensor } from '@mobilemamba/core';

/** Returns the float32 storage behind a tensor that lives on the reference backend. */
export function valuesOf(tensor: KernelTensor): Float32Array {
  if (!(tensor.handle instanceof Float32Array)) {
    throw new MobileMambaError('reference backend: a kernel received storage that is not a Float32Array; create every input tensor on the reference backend');
  }
  return tensor.handle;
}

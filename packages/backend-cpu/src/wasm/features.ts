/**
 * The smallest module that uses SIMD128: one function returning
 * v128.const 0. WebAssembly.validate accepts it only where SIMD is supported.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: v128.const ...
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x0b, // end
]);

/** Returns whether this engine runs WebAssembly SIMD128. */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/**
 * Returns whether a shared WebAssembly.Memory can be created. Browsers
 * allow it only on cross-origin isolated pages.
 */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof WebAssembly !== 'object') return false;
  try {
    const probe = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return probe.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Returns whether this thread may block in Atomics.wait; a browser's main thread may not. */
export function atomicsWaitAllowed(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  try {
    // The value is not 1, so this returns 'not-equal' at once where waiting is allowed.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

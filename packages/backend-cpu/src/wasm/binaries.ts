import { KERNEL_BINARIES } from '../generated/kernel-binaries.js';

/** WebAssembly pages in the maximum memory the kernel modules declare (4 GiB, the wasm32 limit). */
export const DECLARED_MAX_PAGES = 65536;

/** Bytes per WebAssembly page. */
export const PAGE_BYTES = 65536;

/**
 * Compiles the kernel module for SIMD or scalar code and for shared
 * (multi-threaded) or unshared memory. The modules are embedded as base64,
 * so the same code loads them in Node and in browsers, with no file path or
 * URL to resolve after bundling.
 */
export function compileKernels(simd: boolean, shared: boolean): Promise<WebAssembly.Module> {
  const key = simd ? (shared ? 'simdShared' : 'simd') : shared ? 'scalarShared' : 'scalar';
  return WebAssembly.compile(decodeBase64(KERNEL_BINARIES[key]));
}

/** Decodes base64 with Buffer in Node and atob in browsers. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const NodeBuffer = (globalThis as { Buffer?: { from(text: string, encoding: string): Uint8Array } }).Buffer;
  if (NodeBuffer !== undefined) {
    const decoded = NodeBuffer.from(text, 'base64');
    return new Uint8Array(decoded.buffer.slice(decoded.byteOffset, decoded.byteOffset + decoded.byteLength) as ArrayBuffer);
  }
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

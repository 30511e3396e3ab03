import type { Backend } from '@mobilemamba/core';
import { createCpuBackend, type CpuBackend } from '@mobilemamba/backend-cpu';
import { createWebGlBackend } from '@mobilemamba/backend-webgl';
import { createWebGpuBackend, type WebGpuBackend } from '@mobilemamba/backend-webgpu';
import { errorMessage } from './errors.js';

/** The backends the page offers, in the order the selector lists them. */
export const BACKEND_NAMES = ['webgpu', 'webgl', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Whether a backend initialised in this browser, with a short description or the reason it failed. */
export type BackendStatus =
  | { readonly name: BackendName; readonly available: true; readonly detail: string; readonly software: boolean }
  | { readonly name: BackendName; readonly available: false; readonly reason: string };

/**
 * Creates a backend without initialising it. The user picks the backend
 * by hand, so WebGPU accepts a software adapter such as SwiftShader, which
 * automatic backend choice would skip. The backend list marks it.
 * `warmUp: false` skips compiling WebGPU's pipelines, for a quick probe.
 */
export function createBackend(name: BackendName, warmUp = true): Backend {
  switch (name) {
    case 'webgpu':
      return createWebGpuBackend({ allowSoftwareAdapter: true, warmUp });
    case 'webgl':
      return createWebGlBackend();
    case 'cpu':
      return createCpuBackend();
  }
}

/**
 * Initialises a backend, describes it and destroys it again, so the page
 * can list which backends work here before the user chooses one.
 */
export async function probeBackend(name: BackendName): Promise<BackendStatus> {
  const backend = createBackend(name, false);
  try {
    await backend.init();
    return { name, available: true, ...describeBackend(backend) };
  } catch (error) {
    return { name, available: false, reason: errorMessage(error) };
  } finally {
    await destroyQuietly(backend);
  }
}

/** Describes an initialised backend in a few words, and reports whether it runs GPU code on the CPU. */
export function describeBackend(backend: Backend): { detail: string; software: boolean } {
  if (backend.name === 'webgpu') {
    const adapter = (backend as WebGpuBackend).adapter;
    // Chromium leaves the description empty for some adapters, SwiftShader among them.
    const name = adapter?.description || [adapter?.vendor, adapter?.architecture, adapter?.device].filter(Boolean).join(' ') || 'unnamed adapter';
    const software = adapter?.software ?? false;
    return { detail: software ? `${name}, a software adapter that runs on the CPU` : name, software };
  }
  if (backend.name === 'cpu') {
    const configuration = (backend as CpuBackend).configuration;
    if (!configuration) return { detail: 'WebAssembly', software: false };
    const threads = configuration.threads === 1 ? '1 thread' : `${configuration.threads} threads`;
    return { detail: `WebAssembly ${configuration.simd ? 'SIMD' : 'without SIMD'}, ${threads}`, software: false };
  }
  return { detail: 'WebGL2', software: false };
}

/**
 * Returns the backend to select when the page opens: the order of the
 * library's automatic choice (a hardware WebGPU adapter, then cpu, then
 * webgl), and a software WebGPU adapter only when nothing else works.
 */
export function defaultBackend(statuses: readonly BackendStatus[]): BackendName | null {
  const available = statuses.filter((status) => status.available);
  const preferred = ['webgpu', 'cpu', 'webgl'].map((name) => available.find((status) => status.name === name && !status.software));
  return (preferred.find((status) => status !== undefined) ?? available[0])?.name ?? null;
}

/**
 * Destroys a backend that is being thrown away. A failure is logged and not
 * raised, so that it does not hide the error that led here.
 */
export async function destroyQuietly(backend: Backend): Promise<void> {
  try {
    await backend.destroy?.();
  } catch (error) {
    console.warn(`destroying the ${backend.name} backend failed:`, error);
  }
}

import { MobileMambaError } from '@mobilemamba/core';
import { PREFIX } from '../errors.js';
import type { WebGpuBackendOptions } from '../options.js';
import type { FoundAdapter } from './adapter.js';

/**
 * Dawn options and adapter options of the second attempt, made when the
 * first finds no adapter: Dawn's OpenGL ES backend in compatibility mode.
 * On a machine without a GPU this runs on Mesa's llvmpipe through a
 * surfaceless EGL display. Dawn rejects Mesa's lavapipe Vulkan driver, so
 * OpenGL ES is the software route.
 */
export const DAWN_FALLBACK = {
  dawnOptions: ['backend=opengles'],
  adapterOptions: { featureLevel: 'compatibility' },
} as const;

interface Attempt {
  readonly dawnOptions: readonly string[];
  readonly adapterOptions: GPURequestAdapterOptions;
  readonly fallback: boolean;
}

type DawnModule = { create(options: string[]): GPU };

/**
 * Dawn instances by their create() options. An instance must outlive every
 * device made from it: with webgpu 0.6.2, garbage-collecting the instance
 * while one of its devices is still reachable, or in the same collection,
 * aborts or hangs the process. So each option set gets one instance, kept
 * for the life of the process; holding it does not keep Node from exiting.
 */
const instances = new Map<string, GPU>();

function dawnInstance(dawn: DawnModule, options: readonly string[]): GPU {
  const key = JSON.stringify(options);
  let gpu = instances.get(key);
  if (!gpu) {
    gpu = dawn.create([...options]);
    instances.set(key, gpu);
  }
  return gpu;
}

/**
 * Finds an adapter through Dawn's Node bindings: first with the caller's
 * dawnOptions and adapterOptions, then, if that finds none, with
 * DAWN_FALLBACK. Rejects with every attempt's outcome when both fail.
 */
export async function findDawnAdapter(options: WebGpuBackendOptions): Promise<FoundAdapter> {
  const dawn = await loadDawn();
  const first: Attempt = { dawnOptions: options.dawnOptions ?? [], adapterOptions: options.adapterOptions ?? {}, fallback: false };
  const fallback: Attempt = { ...DAWN_FALLBACK, fallback: true };
  const attempts = sameAttempt(first, fallback) ? [fallback] : [first, fallback];

  const failures: string[] = [];
  for (const attempt of attempts) {
    const route = describeAttempt(attempt);
    if (attempt.fallback) useSurfacelessEgl();
    try {
      const gpu = dawnInstance(dawn, attempt.dawnOptions);
      const adapter = await gpu.requestAdapter(attempt.adapterOptions);
      if (adapter) return { adapter, gpu, route };
      failures.push(`${route} found no adapter`);
    } catch (reason) {
      failures.push(`${route} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    }
  }
  throw new MobileMambaError(
    `${PREFIX}: no WebGPU adapter found (${failures.join('; ')}). Without a GPU on Linux, install Mesa's llvmpipe (Debian: libegl-mesa0 libgl1-mesa-dri libgles2)`,
  );
}

/**
 * Mesa's EGL picks its platform from EGL_PLATFORM when it initialises; a
 * machine without a display needs 'surfaceless'. Set it only when unset,
 * and before the fallback's Dawn instance initialises EGL.
 */
function useSurfacelessEgl(): void {
  if (process.platform === 'linux' && !process.env.EGL_PLATFORM) process.env.EGL_PLATFORM = 'surfaceless';
}

async function loadDawn(): Promise<DawnModule> {
  try {
    return (await import('webgpu')) as DawnModule;
  } catch (reason) {
    const detail = reason instanceof Error ? reason.message : String(reason);
    throw new MobileMambaError(`${PREFIX}: cannot load Dawn's Node bindings (npm package 'webgpu'): ${detail}`, { cause: reason });
  }
}

function sameAttempt(a: Attempt, b: Attempt): boolean {
  return JSON.stringify([a.dawnOptions, a.adapterOptions]) === JSON.stringify([b.dawnOptions, b.adapterOptions]);
}

function describeAttempt(attempt: Attempt): string {
  return `Dawn create(${JSON.stringify(attempt.dawnOptions)}) with requestAdapter(${JSON.stringify(attempt.adapterOptions)})`;
}

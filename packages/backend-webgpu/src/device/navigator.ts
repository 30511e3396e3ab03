import { MobileMambaError } from '@mobilemamba/core';
import { PREFIX } from '../errors.js';
import type { WebGpuBackendOptions } from '../options.js';
import type { FoundAdapter } from './adapter.js';

/**
 * Finds an adapter through `navigator.gpu`: with the caller's adapterOptions,
 * then, if that finds none and the caller gave no options, in compatibility
 * mode, which some browsers and devices offer where core WebGPU is missing.
 */
export async function findNavigatorAdapter(options: WebGpuBackendOptions): Promise<FoundAdapter> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new MobileMambaError(`${PREFIX}: navigator.gpu is missing: this browser has no WebGPU, or it is disabled (Chromium: --enable-unsafe-webgpu)`);
  }
  return findAdapterOn(gpu, 'navigator.gpu', options.adapterOptions);
}

/**
 * Requests an adapter from a given GPU object, then in compatibility mode
 * when no adapterOptions were given and the first request found none.
 */
export async function findAdapterOn(gpu: GPU, source: string, adapterOptions: GPURequestAdapterOptions | undefined): Promise<FoundAdapter> {
  const attempts: GPURequestAdapterOptions[] = adapterOptions ? [adapterOptions] : [{}, { featureLevel: 'compatibility' }];
  for (const attempt of attempts) {
    const adapter = await gpu.requestAdapter(attempt);
    if (adapter) return { adapter, gpu, route: `${source}.requestAdapter(${JSON.stringify(attempt)})` };
  }
  const tried = attempts.map((attempt) => JSON.stringify(attempt)).join(' and ');
  throw new MobileMambaError(`${PREFIX}: ${source}.requestAdapter found no adapter (tried ${tried})`);
}

import type { Backend } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { describeGlDriver, mappedGlDrivers } from './gl-driver.js';

/** Device that a GPU backend runs on. */
export interface DeviceDescription {
  /** Short name for the tables, such as "llvmpipe (software)". */
  name: string;
  /** Driver, version and how the device was found, for the list of backends. */
  details: string;
}

/** One of our backends, ready to run. */
export interface LoadedBackend {
  name: string;
  backend: Backend;
  /** The device of a GPU backend; absent for the backends that run on the host CPU. */
  device?: DeviceDescription;
  /** Milliseconds that init() took. The webgpu backend compiles its pipelines there. */
  initMs: number;
}

/** Names of our backends that this program can load, in the order it runs them. */
export const BACKEND_NAMES = ['cpu', 'reference', 'webgpu', 'webgl'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * Initialises the requested backends. A backend that cannot be imported or
 * initialised is returned in `absent` with the reason, never replaced by
 * another.
 */
export async function loadBackends(names: readonly BackendName[]): Promise<{
  loaded: LoadedBackend[];
  absent: { name: string; reason: string }[];
}> {
  const loaded: LoadedBackend[] = [];
  const absent: { name: string; reason: string }[] = [];
  for (const name of BACKEND_NAMES.filter((known) => names.includes(known))) {
    try {
      loaded.push(await loadBackend(name));
    } catch (error) {
      absent.push({ name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { loaded, absent };
}

async function loadBackend(name: BackendName): Promise<LoadedBackend> {
  const glDriversBefore = mappedGlDrivers();
  const backend = await createBackend(name);
  const started = performance.now();
  await backend.init();
  const initMs = Math.round(performance.now() - started);

  let device: DeviceDescription | undefined;
  if (name === 'webgpu') device = describeWebGpuAdapter(backend);
  if (name === 'webgl') device = describeGlDriver(glDriversBefore, mappedGlDrivers());
  return { name, backend, initMs, ...(device ? { device } : {}) };
}

async function createBackend(name: BackendName): Promise<Backend> {
  switch (name) {
    case 'reference':
      return createReferenceBackend();
    case 'cpu':
      return (await importFactory('@mobilemamba/backend-cpu', 'createCpuBackend'))();
    case 'webgl':
      return (await importFactory('@mobilemamba/backend-webgl', 'createWebGlBackend'))();
    case 'webgpu':
      // The backend rejects a software adapter such as llvmpipe by default, because it is slower
      // than the cpu backend. The benchmark measures it anyway and labels its rows with the adapter.
      return (await importFactory('@mobilemamba/backend-webgpu', 'createWebGpuBackend'))({ allowSoftwareAdapter: true });
  }
}

/**
 * Imports a backend package and returns its factory. The package is
 * imported on use, so that the other backends still run when it is missing
 * or does not load.
 */
async function importFactory(specifier: string, factoryName: string): Promise<(options?: object) => Backend | Promise<Backend>> {
  let module: Record<string, unknown>;
  try {
    // A variable specifier keeps the type checker from requiring the package's declarations.
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${specifier} could not be imported (${reason}); build it with pnpm build`);
  }

  const factory = module[factoryName];
  if (typeof factory !== 'function') {
    throw new Error(`${specifier} does not export ${factoryName}()`);
  }
  return factory as (options?: object) => Backend | Promise<Backend>;
}

/** The fields of the webgpu backend's `adapter` property that the report uses. */
interface WebGpuAdapter {
  vendor: string;
  device: string;
  description: string;
  software: boolean;
  route: string;
}

/** CPU implementations of the APIs under WebGPU, whose names make a short device name. */
const SOFTWARE_RENDERERS = /llvmpipe|lavapipe|softpipe|swiftshader/i;

/**
 * Names the adapter the webgpu backend chose. Dawn reports llvmpipe with a
 * device such as "llvmpipe-llvm-15-0-6-256-bits-", which the tables shorten
 * to "llvmpipe (software)".
 */
function describeWebGpuAdapter(backend: Backend): DeviceDescription {
  const adapter = (backend as { adapter?: WebGpuAdapter | null }).adapter;
  if (!adapter) return { name: 'adapter not reported', details: 'the backend did not report its adapter' };

  const fullName = adapter.device || adapter.description || adapter.vendor || 'unnamed adapter';
  const shortName = SOFTWARE_RENDERERS.exec(`${adapter.device} ${adapter.description}`)?.[0].toLowerCase() ?? fullName;
  const details = [adapter.device, adapter.vendor, adapter.description].filter(Boolean).join(', ');
  return {
    name: adapter.software ? `${shortName} (software)` : shortName,
    details: `${details}${adapter.software ? ', a software adapter' : ''}; found by ${adapter.route}`,
  };
}

/** Frees every backend, so that worker threads do not keep the process alive. */
export async function destroyBackends(backends: readonly LoadedBackend[]): Promise<void> {
  for (const { backend } of backends) await backend.destroy?.();
}

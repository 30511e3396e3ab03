import { MobileMambaError } from '@mobilemamba/core';
import { PREFIX } from '../errors.js';

/** An adapter and how it was found. */
export interface FoundAdapter {
  readonly adapter: GPUAdapter;
  /** The GPU object the adapter came from; kept so that its instance lives as long as the device. */
  readonly gpu: GPU;
  /** How it was found, such as "Dawn create([backend=opengles]), requestAdapter({featureLevel: compatibility})". */
  readonly route: string;
}

/** What the backend reports about its adapter. */
export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True when the adapter is a CPU or software implementation. */
  readonly software: boolean;
  /** How the adapter was found. */
  readonly route: string;
}

/** Driver names of CPU implementations of WebGPU's underlying APIs. */
const SOFTWARE_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render driver/i;

export function describeAdapter(found: FoundAdapter): AdapterDescription {
  const info = found.adapter.info;
  const fields = { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', device: info?.device ?? '', description: info?.description ?? '' };
  const software = info?.isFallbackAdapter === true || SOFTWARE_NAMES.test(Object.values(fields).join(' '));
  return { ...fields, software, route: found.route };
}

/** A short name for messages: the device, else the description, else the vendor. */
export function adapterName(description: AdapterDescription): string {
  return description.device || description.description || description.vendor || 'unnamed adapter';
}

/** Rejects a software adapter unless the caller allowed it. */
export function checkSoftwareAdapter(description: AdapterDescription, allowed: boolean, howToAllow: string): void {
  if (!description.software || allowed) return;
  throw new MobileMambaError(
    `${PREFIX}: the only adapter found is a software implementation (${adapterName(description)}; ${description.description || 'no description'}), usually slower than the cpu backend; ${howToAllow}`,
  );
}

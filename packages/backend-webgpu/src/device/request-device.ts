import { GpuError, PREFIX } from '../errors.js';
import { requiredLimitsFor } from '../gpu/limits.js';
import { adapterName, type AdapterDescription } from './adapter.js';

/**
 * Requests a device with the limits the kernels need (see gpu/limits.ts).
 * Throws a GpuLimitError naming the limit when the adapter cannot give it.
 */
export async function requestDevice(adapter: GPUAdapter, description: AdapterDescription): Promise<GPUDevice> {
  const name = adapterName(description);
  const requiredLimits = requiredLimitsFor(adapter, name);
  try {
    return await adapter.requestDevice({ label: 'mobilemamba', requiredLimits });
  } catch (reason) {
    const detail = reason instanceof Error ? reason.message : String(reason);
    throw new GpuError(`${PREFIX}: requestDevice on '${name}' failed: ${detail}`, { cause: reason });
  }
}

import { GpuLimitError, PREFIX } from '../errors.js';

/**
 * Limits the kernels need above what a compatibility-mode device gets by
 * default. The selective scan binds the most storage buffers: u, delta, A,
 * B, C, the skip D, the delta bias and the output. Workgroup sizes (at
 * most 128 invocations) and workgroup memory (at most 8 KiB) stay within
 * the compatibility defaults, so they need no request.
 */
export const REQUIRED_LIMITS = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeInvocationsPerWorkgroup: 128,
  maxComputeWorkgroupSizeX: 64,
  maxComputeWorkgroupSizeY: 32,
  maxComputeWorkgroupStorageSize: 8192,
} as const satisfies Record<string, number>;

/**
 * Limits requested at the adapter's maximum, because larger is better and
 * no kernel needs more than the default: the largest buffer and binding.
 */
const PREFERRED_MAXIMA = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;

/** The limits the backend checks tensors and dispatches against. */
export interface EffectiveLimits {
  readonly maxBufferSize: number;
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
}

/**
 * Returns the requiredLimits for requestDevice: every REQUIRED_LIMITS entry
 * and the adapter's maxima of PREFERRED_MAXIMA. Throws a GpuLimitError that
 * names the first limit the adapter cannot give.
 */
export function requiredLimitsFor(adapter: GPUAdapter, adapterName: string): Record<string, number> {
  const requested: Record<string, number> = {};
  for (const [name, required] of Object.entries(REQUIRED_LIMITS)) {
    const available = adapter.limits[name as keyof GPUSupportedLimits] as number | undefined;
    if (available === undefined || available < required) {
      throw new GpuLimitError(
        name,
        required,
        available ?? 0,
        `${PREFIX}: the adapter '${adapterName}' supports ${name} = ${available ?? 'undefined'}, but the kernels need at least ${required}`,
      );
    }
    requested[name] = required;
  }
  for (const name of PREFERRED_MAXIMA) requested[name] = adapter.limits[name];
  return requested;
}

/** Reads the device's limits, optionally capping the storage binding size (for tests, or to share a device). */
export function effectiveLimits(device: GPUDevice, bindingCap?: number): EffectiveLimits {
  const binding = device.limits.maxStorageBufferBindingSize;
  return {
    maxBufferSize: device.limits.maxBufferSize,
    maxStorageBufferBindingSize: bindingCap === undefined ? binding : Math.min(binding, bindingCap),
    maxComputeWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
  };
}

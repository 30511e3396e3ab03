import type { GpuRuntime, Workgroups } from '../gpu/runtime.js';
import { WORKGROUP_SIZE } from '../shaders/common.js';

/** Workgroups of a one-dimensional kernel and the x count its shader needs to rebuild the flat index. */
export interface FlatGrid {
  readonly groupsX: number;
  readonly workgroups: Workgroups;
}

/**
 * Spreads `invocations` over workgroups of WORKGROUP_SIZE (or over
 * `invocations` workgroups when `perWorkgroup` is 1), filling x up to the
 * device's per-dimension limit and continuing along y.
 */
export function flatGrid(runtime: GpuRuntime, invocations: number, perWorkgroup = WORKGROUP_SIZE): FlatGrid {
  const groups = Math.ceil(invocations / perWorkgroup);
  const groupsX = Math.max(1, Math.min(groups, runtime.limits.maxComputeWorkgroupsPerDimension));
  return { groupsX, workgroups: [groupsX, Math.max(1, Math.ceil(groups / groupsX)), 1] };
}

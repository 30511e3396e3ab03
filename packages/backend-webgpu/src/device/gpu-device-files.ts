import { readdirSync } from 'node:fs';

/**
 * Device files through which a Linux process reaches a GPU: DRM render
 * nodes (Mesa's drivers, AMD, Intel, NVIDIA's open modules), NVIDIA's
 * proprietary driver, and /dev/dxg, WSL2's GPU paravirtualization device.
 */
const GPU_DEVICE_FILES: readonly { dir: string; pattern: RegExp }[] = [
  { dir: '/dev/dri', pattern: /^renderD\d+$/ },
  { dir: '/dev', pattern: /^nvidia\d+$/ },
  { dir: '/dev', pattern: /^dxg$/ },
];

/** Lists a folder's entries, or none when it is missing or unreadable. */
export type ListFolder = (path: string) => readonly string[];

const listFolder: ListFolder = (path) => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};

/** Returns the GPU device files present, such as ['/dev/dri/renderD128']. */
export function findGpuDeviceFiles(list: ListFolder = listFolder): string[] {
  const found: string[] = [];
  for (const { dir, pattern } of GPU_DEVICE_FILES) {
    for (const name of list(dir)) {
      if (pattern.test(name)) found.push(`${dir}/${name}`);
    }
  }
  return found;
}

/**
 * Returns why Dawn can only find a software adapter on this machine, or
 * null when it may find a GPU. On Linux without any GPU device file, every
 * adapter Dawn can create runs on the CPU (Mesa's llvmpipe or lavapipe,
 * SwiftShader). Checking first keeps the automatic backend choice from
 * loading Dawn there, which prints native warnings on stderr ("Couldn't
 * load Vulkan"), only to reject the adapter.
 *
 * NOTE: other platforms are not checked, and a Linux GPU reachable through
 * a device file not listed above would be missed; allowSoftwareAdapter
 * skips this check.
 */
export function softwareOnlyReason(platform: NodeJS.Platform = process.platform, list: ListFolder = listFolder): string | null {
  if (platform !== 'linux') return null;
  if (findGpuDeviceFiles(list).length > 0) return null;
  return 'no GPU device file found (/dev/dri/renderD*, /dev/nvidia<N> or /dev/dxg), so the only adapters Dawn could find run on the CPU, usually slower than the cpu backend';
}

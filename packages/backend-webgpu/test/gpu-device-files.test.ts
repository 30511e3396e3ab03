import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findGpuDeviceFiles, softwareOnlyReason, type ListFolder } from '../src/device/gpu-device-files.js';

/** Builds a fake /dev listing with the given entries per folder. */
function folders(entries: Record<string, string[]>): ListFolder {
  return (path) => entries[path] ?? [];
}

describe('GPU device files', () => {
  it('finds render nodes, NVIDIA devices and /dev/dxg', () => {
    const list = folders({ '/dev/dri': ['card0', 'renderD128', 'by-path'], '/dev': ['nvidia0', 'nvidiactl', 'nvidia-uvm', 'dxg', 'null'] });

    expect(findGpuDeviceFiles(list)).toEqual(['/dev/dri/renderD128', '/dev/nvidia0', '/dev/dxg']);
  });

  it('ignores control devices without a GPU', () => {
    const list = folders({ '/dev/dri': ['card0'], '/dev': ['nvidiactl', 'nvidia-modeset', 'zero'] });

    expect(findGpuDeviceFiles(list)).toEqual([]);
  });

  it('gives a reason on Linux without GPU device files', () => {
    expect(softwareOnlyReason('linux', folders({}))).toMatch(/^no GPU device file found/);
  });

  it('searches when a render node exists', () => {
    expect(softwareOnlyReason('linux', folders({ '/dev/dri': ['renderD129'] }))).toBeNull();
  });

  it('searches on other platforms', () => {
    expect(softwareOnlyReason('darwin', folders({}))).toBeNull();
    expect(softwareOnlyReason('win32', folders({}))).toBeNull();
  });
});

// The child process loads the built package, because Node alone cannot import the TypeScript sources.
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const machineReason = softwareOnlyReason();
const skipReason = !existsSync(built)
  ? 'dist/index.js not built; run the build first'
  : machineReason === null
    ? 'this machine has a GPU device file, so the backend searches for an adapter'
    : null;

describe.skipIf(skipReason !== null)(`automatic choice without a GPU${skipReason === null ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('rejects before loading Dawn', () => {
    const script = `
      import { createWebGpuBackend } from ${JSON.stringify(pathToFileURL(built).href)};
      try {
        await createWebGpuBackend().init();
        console.log('STARTED');
      } catch (error) {
        console.log('REJECTED ' + error.message);
      }
    `;
    const env = { ...process.env };
    delete env.MOBILEMAMBA_WEBGPU_ALLOW_SOFTWARE;

    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env, timeout: 60_000 });

    expect(child.stdout).toMatch(/^REJECTED webgpu backend: no GPU device file found/);
    // Dawn writes its warnings ("Couldn't load Vulkan", reduced limits) to stderr when it loads.
    expect(child.stderr).toBe('');
  });
});

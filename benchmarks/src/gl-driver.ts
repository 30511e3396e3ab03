import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DeviceDescription } from './backends.js';

/** Shared libraries of OpenGL drivers: Mesa's DRI drivers, LLVM (which llvmpipe uses) and NVIDIA's driver. */
const GL_DRIVER_LIBRARY = /\/[\w-]+_dri\.so$|\/libLLVM[\w.-]*\.so[\w.]*$|\/libnvidia-glcore\.so[\w.]*$/;

/**
 * Returns the OpenGL driver libraries that this process has mapped, from
 * /proc/self/maps; an empty set outside Linux.
 */
export function mappedGlDrivers(): Set<string> {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return new Set();
  }
  const paths = maps.split('\n').map((line) => line.trim().split(/\s+/)[5] ?? '');
  return new Set(paths.filter((path) => GL_DRIVER_LIBRARY.test(path)));
}

/**
 * Names the renderer of a WebGL context from the driver libraries that its
 * creation mapped. headless-gl reports only "ANGLE" as its renderer and has
 * no WEBGL_debug_renderer_info, so the driver library is the only way to
 * tell llvmpipe from a GPU.
 */
export function describeGlDriver(before: ReadonlySet<string>, after: ReadonlySet<string>): DeviceDescription {
  const added = [...after].filter((path) => !before.has(path)).map((path) => basename(path));
  const display = process.env.DISPLAY ? `X display ${process.env.DISPLAY}` : 'no DISPLAY';
  const loaded = `headless-gl on ${display}, driver libraries ${added.join(', ') || 'none new'}`;

  const driver = added.map((file) => /^([\w-]+)_dri\.so$/.exec(file)?.[1]).find(Boolean);
  if (driver === 'swrast' || driver === 'kms_swrast') {
    // Mesa's swrast_dri.so runs llvmpipe when it was built with LLVM, unless GALLIUM_DRIVER names another software driver.
    const withLlvm = [...after].some((path) => basename(path).startsWith('libLLVM'));
    const renderer = process.env.GALLIUM_DRIVER ?? (withLlvm ? 'llvmpipe' : 'softpipe');
    return { name: `${renderer} (software)`, details: `${loaded}; Mesa's software rasterizer` };
  }
  if (driver) return { name: `Mesa ${driver}`, details: loaded };
  if (added.some((file) => file.startsWith('libnvidia-glcore'))) return { name: 'NVIDIA', details: loaded };
  return { name: 'renderer not identified', details: `${loaded}; no known OpenGL driver was loaded while the context was created` };
}

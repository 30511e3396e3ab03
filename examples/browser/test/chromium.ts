import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../packages/conformance/browser/chromium.js';

/**
 * Launches Debian's headless Chromium with the flags of the backends'
 * browser tests. Chromium on Linux offers WebGPU only with
 * --enable-unsafe-webgpu; without a GPU, WebGPU and WebGL2 both run on
 * SwiftShader.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
  });
}

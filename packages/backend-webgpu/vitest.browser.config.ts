import { mergeConfig } from 'vitest/config';
import { browserConformanceConfig } from '../conformance/browser/vitest-config.js';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * The conformance suite in headless Chromium on navigator.gpu. Chromium
 * on Linux needs --enable-unsafe-webgpu for WebGPU, and without a GPU it
 * runs on SwiftShader.
 */
export default mergeConfig(sharedConfig, browserConformanceConfig({ chromiumArgs: ['--enable-unsafe-webgpu'] }));

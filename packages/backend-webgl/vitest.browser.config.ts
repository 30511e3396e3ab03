import { mergeConfig } from 'vitest/config';
import { browserConformanceConfig } from '../conformance/browser/vitest-config.js';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * The conformance suite in headless Chromium, whose WebGL2 runs on
 * SwiftShader without a GPU. gpu.js is CommonJS, so Vite pre-bundles it.
 */
export default mergeConfig(sharedConfig, browserConformanceConfig({ optimizeDeps: ['gpu.js'] }));

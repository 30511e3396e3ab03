import { describeConformance } from '@mobilemamba/conformance';
import { createWebGpuBackend } from '../../src/index.browser.js';

// Headless Chromium without a GPU offers only SwiftShader, a fallback adapter, which the backend rejects by default.
// Without navigator.gpu or an adapter, init() rejects, so every case is reported as skipped with the reason.
describeConformance({
  name: 'webgpu (Chromium)',
  createBackend: () => createWebGpuBackend({ allowSoftwareAdapter: true }),
});

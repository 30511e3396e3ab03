import { describeConformance } from '@mobilemamba/conformance';
import { createWebGpuBackend } from '../src/index.js';

// This machine class has no GPU, so the suite runs on Mesa's llvmpipe through
// Dawn's OpenGL ES backend; the backend rejects software adapters by default.
describeConformance({
  name: 'webgpu',
  createBackend: () => createWebGpuBackend({ allowSoftwareAdapter: true }),
});

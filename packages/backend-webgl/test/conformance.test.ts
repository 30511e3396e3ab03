import { describeConformance } from '@mobilemamba/conformance';
import { createWebGlBackend } from '../src/index.js';

// The float32 defaults. On headless-gl over Mesa llvmpipe the worst cases measured
// 3.9e-6 of max |expected| per op and 2.4e-6 on logits. The README lists every fixture.
// Without headless-gl or a display, init() rejects, so every case is reported as skipped with the reason.
describeConformance({
  name: 'webgl',
  createBackend: () => createWebGlBackend(),
  bounds: { opRelative: 1e-4, logits: 1e-3 },
});

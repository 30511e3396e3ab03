import { describeConformance } from '@mobilemamba/conformance';
import { createWebGlBackend } from '../../src/browser.js';

// The same bounds as in Node; the README lists the figures measured on SwiftShader.
describeConformance({
  name: 'webgl (Chromium)',
  createBackend: () => createWebGlBackend(),
  bounds: { opRelative: 1e-4, logits: 1e-3 },
});

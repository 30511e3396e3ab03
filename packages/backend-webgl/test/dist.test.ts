import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeOpConformance } from '@mobilemamba/conformance';
import type { Backend } from '@mobilemamba/core';

// gpu.js compiles the text of each kernel function, so a bundler that renames or rewrites
// anything inside one breaks the kernel. The op cases therefore also run on the built package.
const built = new URL('../dist/index.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  throw new Error(`${fileURLToPath(built)} is missing: run pnpm --filter @mobilemamba/backend-webgl build first`);
}
const { createWebGlBackend } = (await import(built.href)) as { createWebGlBackend: () => Backend };

describeOpConformance({
  name: 'webgl (built dist)',
  createBackend: () => createWebGlBackend(),
  bounds: { opRelative: 1e-4, logits: 1e-3 },
});

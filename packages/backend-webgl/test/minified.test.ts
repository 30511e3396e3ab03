import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeOpConformance } from '@mobilemamba/conformance';
import type { Backend } from '@mobilemamba/core';
import { build as esbuild } from 'esbuild';
import { build as rolldown } from 'rolldown';
import { afterAll, describe, expect, it } from 'vitest';

// Applications bundle this package with their own minifier, which renames identifiers inside
// function bodies. gpu.js compiles each kernel from its source text, so that text ships as string
// literals (src/generated/kernel-sources.ts), which minifiers leave as they are. These tests
// minify the built package with identifier renaming, as the default minifier of Vite 8
// (rolldown's, from oxc) and esbuild's `minify` do, and run the op cases on each result.

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const entry = join(packageDir, 'dist', 'index.js');
if (!existsSync(entry)) {
  throw new Error(`${entry} is missing: run pnpm --filter @mobilemamba/backend-webgl build first`);
}

// Packages stay external: 'gl' is a native addon, and the suite must share one instance of
// @mobilemamba/core with the backend. The bundles go inside the package so that those imports,
// and the backend's require('gl'), resolve as they do from dist/.
const outDir = await mkdtemp(join(packageDir, '.minified-'));
afterAll(() => rm(outDir, { recursive: true, force: true }));

const isPackageImport = (id: string): boolean => !id.startsWith('.') && !isAbsolute(id);

const MINIFIERS: Record<string, (outfile: string) => Promise<unknown>> = {
  rolldown: (outfile) =>
    rolldown({
      input: entry,
      external: isPackageImport,
      platform: 'node',
      logLevel: 'silent',
      output: { file: outfile, format: 'esm', minify: true },
    }),
  esbuild: (outfile) =>
    esbuild({ entryPoints: [entry], outfile, bundle: true, minify: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent' }),
};

for (const [minifier, minify] of Object.entries(MINIFIERS)) {
  const bundle = join(outDir, `${minifier}.js`);
  await minify(bundle);
  const code = await readFile(bundle, 'utf8');
  const { createWebGlBackend } = (await import(pathToFileURL(bundle).href)) as { createWebGlBackend: () => Backend };

  describe(`${minifier} minified bundle`, () => {
    // Without renaming, the op cases below would not test what an application's minifier does.
    it('renames module-level functions', () => {
      expect(code).not.toContain('provideNodeContext');
    });
  });

  describeOpConformance({
    name: `webgl (built dist, minified by ${minifier})`,
    createBackend: () => createWebGlBackend(),
    bounds: { opRelative: 1e-4, logits: 1e-3 },
  });
}

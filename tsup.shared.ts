import { defineConfig, type Options } from 'tsup';

/** Build settings every package shares: ESM + CJS + type declarations. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    // Provides import.meta.url in the CommonJS build and __dirname in the ESM one.
    shims: true,
    // Keeps `node:fs` rather than `fs` in dynamic imports, so browser bundlers see a Node built-in.
    removeNodeProtocol: false,
    ...overrides,
  });
}

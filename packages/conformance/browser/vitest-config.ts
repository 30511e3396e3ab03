import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.js';

export { CHROMIUM_ARGS } from './chromium.js';

/** Returns the absolute path of a file of this folder, for Vite and Vitest options that take paths. */
const pathInThisFolder = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const shim = (name: string) => pathInThisFolder(`./shims/${name}.ts`);

export interface BrowserConformanceOptions {
  /** Flags added to CHROMIUM_ARGS, such as `--enable-unsafe-webgpu`. */
  readonly chromiumArgs?: readonly string[];
  /** CommonJS dependencies that Vite must pre-bundle for the page, such as `gpu.js`. */
  readonly optimizeDeps?: readonly string[];
}

/**
 * Returns the Vitest project `chromium`, which runs a backend package's
 * `test/browser/**\/*.test.ts` in headless Chromium through Playwright.
 * Merge it over the shared config. The conformance suite reads fixtures
 * with node:fs, so node:fs, node:fs/promises, node:path and node:url are
 * replaced in the page by shims that read files with synchronous requests
 * to a read-only loopback server (fixture-server.ts). sharp is replaced by a
 * module that throws, because a page cannot load a native addon.
 */
export function browserConformanceConfig(options: BrowserConformanceOptions = {}): ViteUserConfig {
  return defineConfig({
    resolve: {
      alias: [
        { find: /^node:fs$/, replacement: shim('fs') },
        { find: /^node:fs\/promises$/, replacement: shim('fs-promises') },
        { find: /^node:path$/, replacement: shim('path') },
        { find: /^node:url$/, replacement: shim('url') },
        { find: /^sharp$/, replacement: shim('sharp') },
      ],
    },
    optimizeDeps: { include: [...(options.optimizeDeps ?? [])] },
    test: {
      name: 'chromium',
      include: ['test/browser/**/*.test.ts'],
      globalSetup: [pathInThisFolder('./fixture-server.ts')],
      setupFiles: [pathInThisFolder('./setup.ts')],
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: CHROMIUM_PATH,
            args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  });
}

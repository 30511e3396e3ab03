import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

const shim = (name: string) => fileURLToPath(new URL(`./test/browser/shims/${name}.ts`, import.meta.url));

/** Debian's Chromium, which runs WebGL2 on SwiftShader without a GPU. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The conformance suite in headless Chromium. Modules from Node that the
 * suite and the models package import are replaced by small shims that
 * read fixtures from a loopback server (test/browser/fixture-server.ts).
 */
export default mergeConfig(
  sharedConfig,
  defineConfig({
    resolve: {
      alias: [
        { find: /^node:fs$/, replacement: shim('fs') },
        { find: /^node:fs\/promises$/, replacement: shim('fs-promises') },
        { find: /^node:path$/, replacement: shim('path') },
        { find: /^node:url$/, replacement: shim('url') },
        { find: /^sharp$/, replacement: shim('sharp') },
      ],
    },
    optimizeDeps: { include: ['gpu.js'] },
    test: {
      name: 'chromium',
      include: ['test/browser/**/*.test.ts'],
      globalSetup: ['test/browser/fixture-server.ts'],
      setupFiles: ['test/browser/setup.ts'],
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: {
            executablePath: CHROMIUM_PATH,
            args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
          },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  }),
);

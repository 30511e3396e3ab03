import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SkippedTestsReporter } from './vitest.skipped-reporter.ts';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

/**
 * When set (CI sets it), each package also writes a JSON report into this
 * folder, so one summary line can count every package's tests.
 */
const reportDir = process.env.MOBILEMAMBA_TEST_REPORTS;
const jsonReport = reportDir
  ? [['json', { outputFile: `${reportDir}/${basename(process.cwd())}.json` }] as const]
  : [];

/**
 * Vitest settings every package shares. Workspace imports resolve to the
 * TypeScript sources, so a test sees a change in another package without
 * rebuilding it.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [{ find: /^@mobilemamba\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` }],
  },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // CI's verbose reporter prints every skipped test with its title already.
    reporters: process.env.CI ? ['verbose', ...jsonReport] : ['default', new SkippedTestsReporter(), ...jsonReport],
  },
});

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumMissingReason } from './chromium.js';

/**
 * Defines a Node test of Chromium for the browser conformance run. A
 * package's vitest.config.ts adds the Chromium project only where Chromium
 * exists, so this test reports the run as skipped, with the reason, where
 * it does not.
 */
export function describeChromiumAvailability(): void {
  describe('chromium for the browser conformance run', () => {
    const missing = chromiumMissingReason();
    if (missing !== null) {
      it.skip(`skipped: ${missing}`, () => {});
      return;
    }

    it('starts and reports its version', () => {
      const result = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', timeout: 30_000 });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Chromium \d+/);
    });
  });
}

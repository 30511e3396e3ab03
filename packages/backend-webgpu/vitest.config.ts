import { defineConfig, mergeConfig } from 'vitest/config';
import { chromiumMissingReason } from '../conformance/browser/chromium.js';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * Two projects: the tests in Node (Dawn), and the conformance suite in
 * headless Chromium (vitest.browser.config.ts) where Chromium is
 * installed. test/browser-availability.test.ts reports the second as
 * skipped, with the reason, where it is not.
 */
export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: 'node', include: ['test/*.test.ts'] } },
        ...(chromiumMissingReason() === null ? ['./vitest.browser.config.ts'] : []),
      ],
    },
  }),
);

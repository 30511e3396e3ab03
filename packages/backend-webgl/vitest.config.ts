import { defineConfig, mergeConfig } from 'vitest/config';
import { chromiumMissingReason } from '../conformance/browser/chromium.js';
import { sharedConfig } from '../../vitest.shared.ts';

/**
 * Two projects: the tests in Node (headless-gl), and the conformance suite
 * in headless Chromium (vitest.browser.config.ts) where Chromium is
 * installed. test/browser-availability.test.ts reports the second as
 * skipped, with the reason, where it is not.
 */
export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // One test file at a time: T2 on the six photos alone takes 50 s in Chromium on 2 cores,
      // and sharing the cores with the Node run would bring it near the 120 s test timeout.
      maxWorkers: 1,
      projects: [
        { extends: true, test: { name: 'node', include: ['test/*.test.ts'] } },
        ...(chromiumMissingReason() === null ? ['./vitest.browser.config.ts'] : []),
      ],
    },
  }),
);

import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

/** Node tests that serve the built page and drive it in headless Chromium. */
export default mergeConfig(sharedConfig, defineConfig({ test: { include: ['test/*.test.ts'] } }));

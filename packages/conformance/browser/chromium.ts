import { existsSync } from 'node:fs';

/** Debian's Chromium, which runs WebGL2 and WebGPU on SwiftShader without a GPU. The environment variable CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Chromium flags for a headless run. The last five turn off background
 * requests, component updates, sync, the first-run pages and QUIC, to keep
 * the browser from contacting servers other than the test's.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Returns why the browser run cannot start here, or null when Chromium is installed. */
export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return `${CHROMIUM_PATH} not found; install the Debian package chromium (.ci/setup-webgl.sh), or set CHROMIUM_PATH`;
}

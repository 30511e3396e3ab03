import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// vitest.config.ts adds the Chromium project only where Chromium exists, so this file reports it where it does not.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('chromium for the browser conformance run', () => {
  if (!existsSync(chromium)) {
    it.skip(`skipped: ${chromium} not found; install the Debian package chromium, or set CHROMIUM_PATH`, () => {});
    return;
  }

  it('starts and reports its version', () => {
    const result = spawnSync(chromium, ['--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Chromium \d+/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { createWebGpuBackend } from '../../src/index.browser.js';

const backend = createWebGpuBackend({ allowSoftwareAdapter: true, warmUp: false });
const unavailable = await backend.init().then(
  () => null,
  (error: unknown) => (error instanceof Error ? error.message : String(error)),
);
const skipNote = unavailable === null ? '' : ` (skipped: ${unavailable})`;

describe.skipIf(unavailable !== null)(`navigator.gpu adapter${skipNote}`, () => {
  afterAll(() => backend.destroy());

  it('is found through navigator.gpu', async ({ annotate }) => {
    const adapter = backend.adapter!;

    expect(adapter.route).toMatch(/^navigator\.gpu\.requestAdapter\(/);
    const name = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' ');
    await annotate(`${name}, software: ${adapter.software}, found by ${adapter.route}`);
  });

  const software = backend.adapter?.software === true;
  const hardwareNote = unavailable === null && !software ? ' (skipped: the adapter is not software)' : '';
  it.skipIf(!software)(`is rejected by default when software${hardwareNote}`, async () => {
    const strict = createWebGpuBackend({ warmUp: false });

    await expect(strict.init()).rejects.toThrow(/software implementation.*pass allowSoftwareAdapter: true/);
    expect(strict.device).toBeNull();
  });
});

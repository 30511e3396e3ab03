import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as core from '@mobilemamba/core';
import * as models from '@mobilemamba/models';
import { describe, expect, it } from 'vitest';

// `pnpm test` runs this package's build (TypeDoc) first, so the reference is fresh.
const apiDir = fileURLToPath(new URL('../api/', import.meta.url));

const PUBLISHED_PACKAGES = [
  'core',
  'backend-reference',
  'backend-cpu',
  'backend-webgpu',
  'backend-webgl',
  'models',
  'conformance',
  'cli',
];

/** Reads the page TypeDoc writes for one package, such as modules/_mobilemamba_core.html. */
function modulePage(folder: string): string {
  return readFileSync(`${apiDir}modules/_mobilemamba_${folder}.html`, 'utf8');
}

describe('API reference', () => {
  it('has an index page', () => {
    expect(existsSync(`${apiDir}index.html`)).toBe(true);
  });

  it.each(PUBLISHED_PACKAGES)('has a page for @mobilemamba/%s', (folder) => {
    expect(existsSync(`${apiDir}modules/_mobilemamba_${folder}.html`)).toBe(true);
  });

  it.each(PUBLISHED_PACKAGES)('links @mobilemamba/%s from the index', (folder) => {
    const index = readFileSync(`${apiDir}index.html`, 'utf8');

    expect(index).toContain(`href="modules/_mobilemamba_${folder}.html"`);
  });

  // The two packages below load no native module on import, so their runtime exports can be listed here.
  it.each([
    ['core', core],
    ['models', models],
  ] as const)('lists every runtime export of @mobilemamba/%s', (folder, exports) => {
    const page = modulePage(folder);
    const missing = Object.keys(exports).filter((name) => !page.includes(`>${name}<`));
    expect(missing).toEqual([]);
  });
});

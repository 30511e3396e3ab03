import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HELPER_FUNCTIONS, KERNEL_SOURCES } from '../src/generated/kernel-sources.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('generated kernel sources', () => {
  // The runtime hands gpu.js these strings, not the functions in src/, so the tests
  // exercise an edited kernel only after the build has regenerated the file.
  it('match the kernel functions in src', () => {
    const check = spawnSync(process.execPath, ['scripts/build-kernel-sources.mjs', '--check'], { cwd: packageDir, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('are plain JavaScript functions', () => {
    const sources = [...Object.values(KERNEL_SOURCES), ...HELPER_FUNCTIONS.map((helper) => helper.source)];
    for (const source of sources) {
      // gpu.js accepts source text only when it starts with `function`.
      expect(source.startsWith('function ')).toBe(true);
      expect(() => new Function(`return (${source});`)).not.toThrow();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tensor } from '@mobilemamba/core';
import { createCpuBackend } from '../src/index.js';

/** Number of OS threads of this process, from /proc (Linux only). */
function osThreads(): number {
  return readdirSync('/proc/self/task').length;
}

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('cpu backend lifecycle', () => {
  it.runIf(existsSync('/proc/self/task'))('destroy() ends the worker threads', async () => {
    const before = osThreads();
    const backend = createCpuBackend({ threads: 3 });
    await backend.init();
    expect(osThreads()).toBeGreaterThanOrEqual(before + 2);

    await backend.destroy?.();
    // terminate() resolves once each worker has exited; give the OS a moment to reap the threads.
    for (let attempt = 0; attempt < 50 && osThreads() > before; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(osThreads()).toBeLessThanOrEqual(before);
  });

  it('rejects kernel calls after destroy()', async () => {
    const backend = createCpuBackend({ threads: 2 });
    await backend.init();
    const x = tensor([1, -2, 3], [3], backend);
    await backend.destroy?.();
    expect(() => backend.kernels.relu!(x)).toThrow(/not initialised/);
  });

  it('can be initialised again after destroy()', async () => {
    const backend = createCpuBackend({ threads: 2 });
    await backend.init();
    await backend.destroy?.();
    await backend.init();
    const x = tensor([1, -2, 3], [3], backend);
    expect(Array.from(await x.data())).toEqual([1, -2, 3]);
    x.dispose();
    await backend.destroy?.();
  });

  it('lets Node exit when destroy() is forgotten', () => {
    if (!existsSync(distEntry)) throw new Error(`${distEntry} is missing: run \`pnpm --filter @mobilemamba/backend-cpu build\` first`);
    const script = [
      `const { createCpuBackend } = await import(${JSON.stringify(distEntry)});`,
      'const backend = createCpuBackend({ threads: 2 });',
      'await backend.init();',
      "console.log('threads', backend.configuration.threads);",
    ].join('\n');
    // A worker that kept the event loop alive would make this time out.
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { timeout: 20_000, encoding: 'utf8' });
    expect(output.trim()).toBe('threads 2');
  });
});

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The child process loads the built package: Node alone cannot import the TypeScript sources.
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

/** Runs one relu in a fresh Node process, optionally calling destroy(), and reports how long it took to exit. */
function runChild(destroy: boolean): Promise<{ code: number | null; output: string; exitAfterMs: number }> {
  const script = `
    import { createWebGpuBackend } from ${JSON.stringify(pathToFileURL(built).href)};
    const backend = createWebGpuBackend({ allowSoftwareAdapter: true });
    try {
      await backend.init();
    } catch (error) {
      console.log('UNAVAILABLE ' + error.message);
      process.exit(0);
    }
    const x = backend.upload(new Float32Array([1, -1]), [2]);
    const y = backend.kernels.relu({ shape: [2], handle: x });
    const values = await backend.download(y, 2);
    ${destroy ? 'backend.destroy();' : ''}
    console.log('RESULT ' + Array.from(values).join(','));
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      printedAt = performance.now();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output, exitAfterMs: performance.now() - printedAt });
    });
  });
}

describe.skipIf(!existsSync(built))(`Node process exit${existsSync(built) ? '' : ' (skipped: dist/index.js not built; run the build first)'}`, () => {
  for (const destroy of [true, false]) {
    it(`exits promptly ${destroy ? 'after destroy()' : 'without destroy()'}`, async ({ skip }) => {
      const { code, output, exitAfterMs } = await runChild(destroy);

      if (output.startsWith('UNAVAILABLE')) skip(`no adapter in the child process: ${output.trim()}`);
      expect(output).toContain('RESULT 1,0');
      expect(code).toBe(0);
      expect(exitAfterMs).toBeLessThan(2000);
    });
  }
});

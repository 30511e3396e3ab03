import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeadlessGlContext, requireHeadlessGl } from '../src/context/headless-gl.js';
import { WebGlUnavailableError } from '../src/errors.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const savedDisplay = process.env.DISPLAY;

afterEach(() => {
  if (savedDisplay === undefined) delete process.env.DISPLAY;
  else process.env.DISPLAY = savedDisplay;
});

/** Runs createHeadlessGlContext with `load` and returns what it threw. */
function rejectionOf(load: () => unknown): WebGlUnavailableError {
  try {
    createHeadlessGlContext(load);
  } catch (error) {
    expect(error).toBeInstanceOf(WebGlUnavailableError);
    return error as WebGlUnavailableError;
  }
  throw new Error('createHeadlessGlContext returned a context');
}

describe('headless-gl detection', () => {
  it('names the package and the fix when gl is missing', () => {
    const error = rejectionOf(() => {
      throw new Error("Cannot find module 'gl'\nRequire stack: ...");
    });
    expect(error.message).toContain("npm package 'gl'");
    expect(error.message).toContain("Cannot find module 'gl'");
    expect(error.message).toContain('libglew-dev');
    expect(error.message).toContain('pnpm rebuild gl');
    expect(error.message).toContain('onlyBuiltDependencies');
  });

  it('names the failed native build', () => {
    const error = rejectionOf(() => {
      throw new Error('Could not locate the bindings file. Tried: ...');
    });
    expect(error.message).toContain('Could not locate the bindings file');
    expect(error.message).toContain('.ci/setup-webgl.sh');
  });

  it('explains a missing display', () => {
    delete process.env.DISPLAY;
    const error = rejectionOf(() => () => null);
    expect(error.message).toContain('DISPLAY is not set');
    expect(error.message).toContain('xvfb-run -a');
    expect(error.message).toContain('xauth');
  });

  it('names a display that gave no context', () => {
    process.env.DISPLAY = ':97';
    const error = rejectionOf(() => () => null);
    expect(error.message).toContain('DISPLAY=:97');
    expect(error.message).toContain('xvfb-run -a');
  });

  it('rejects a module that is no factory', () => {
    const error = rejectionOf(() => ({ default: 'gl' }));
    expect(error.message).toContain('did not export a context factory');
  });
});

/** Returns whether the real `gl` package loads in this process. */
function headlessGlLoads(): boolean {
  try {
    requireHeadlessGl();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs in a child process without DISPLAY, against the built package: init()
 * of the backend, then automatic choice between it and the reference backend.
 */
const CHILD_SCRIPT = `
import { backendFailures, ready, registerBackend } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { createWebGlBackend, registerWebGlBackend } from './dist/index.js';

let initError = null;
try {
  await createWebGlBackend().init();
} catch (error) {
  initError = { name: error.name, message: error.message };
}
registerWebGlBackend();
registerBackend('reference', createReferenceBackend, 1);
const chosen = (await ready()).name;
console.log(JSON.stringify({ initError, chosen, failures: backendFailures() }));
`;

describe('backend without a display', () => {
  it('rejects init and is skipped by automatic choice', () => {
    const built = `${packageDir}dist/index.js`;
    expect(existsSync(built), `${built} is missing: run pnpm --filter @mobilemamba/backend-webgl build first`).toBe(true);

    const env = { ...process.env };
    delete env.DISPLAY;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], { cwd: packageDir, env, encoding: 'utf8', timeout: 60_000 });
    expect(child.status, child.stderr).toBe(0);

    const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      initError: { name: string; message: string } | null;
      chosen: string;
      failures: { backend: string; reason: string }[];
    };
    expect(result.initError?.name).toBe('WebGlUnavailableError');
    // Where gl loads, the display is what is missing; where it does not, the package is.
    const expected = headlessGlLoads() ? 'DISPLAY is not set' : "npm package 'gl'";
    expect(result.initError?.message).toContain(expected);
    expect(result.chosen).toBe('reference');
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0].backend).toBe('webgl');
    expect(result.failures[0].reason).toContain(expected);
  });
});

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where to look for fixture files, in order of preference. */
export interface FixtureOptions {
  /** A fixtures folder to search first. */
  fixturesDir?: string;
}

/** Environment variable naming a fixtures folder, searched last. */
export const FIXTURES_ENV = 'MOBILEMAMBA_FIXTURES';

/**
 * Returns the folders searched for fixtures: the explicit option, the
 * repository's own `fixtures/` copy, the shared fixtures folder beside the
 * repository (`../shared/fixtures`), and MOBILEMAMBA_FIXTURES. Each file is
 * looked up in every folder in turn, because the repository copy leaves out
 * the large T2 files.
 */
export function fixtureRoots(options: FixtureOptions = {}): string[] {
  const roots: string[] = [];
  if (options.fixturesDir) roots.push(resolve(options.fixturesDir));

  const repositoryRoot = findRepositoryRoot();
  if (repositoryRoot) {
    roots.push(join(repositoryRoot, 'fixtures'));
    roots.push(join(repositoryRoot, '..', 'shared', 'fixtures'));
  }

  const fromEnvironment = process.env[FIXTURES_ENV];
  if (fromEnvironment) roots.push(resolve(fromEnvironment));
  return [...new Set(roots)];
}

/**
 * Returns the absolute path of a fixture file such as
 * 'models/tiny.io.safetensors', or null when no searched folder has it.
 */
export function findFixture(relativePath: string, options: FixtureOptions = {}): string | null {
  for (const root of fixtureRoots(options)) {
    const candidate = join(root, relativePath);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** The message a test prints when it skips for want of a fixture file. */
export function missingFixtureMessage(relativePath: string, options: FixtureOptions = {}): string {
  return `skipped: fixtures not found: ${relativePath} (searched ${fixtureRoots(options).join(', ') || 'nothing'}; set ${FIXTURES_ENV})`;
}

/**
 * Finds the monorepo root by walking up from this module (and then from the
 * working directory) to a folder holding pnpm-workspace.yaml.
 */
function findRepositoryRoot(): string | null {
  const starts = [dirname(fileURLToPath(import.meta.url)), process.cwd()];
  for (const start of starts) {
    let folder = start;
    for (;;) {
      if (existsSync(join(folder, 'pnpm-workspace.yaml'))) return folder;
      const parent = dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
  }
  return null;
}

import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Environment variable naming the folder for test artifacts such as screenshots. */
export const ARTIFACTS_ENV = 'MOBILEMAMBA_TEST_ARTIFACTS';

/** Creates and returns the artifact folder: $MOBILEMAMBA_TEST_ARTIFACTS, or test-artifacts/ in this package. */
export function artifactDir(packageDir: string): string {
  const folder = process.env[ARTIFACTS_ENV] ? resolve(process.env[ARTIFACTS_ENV]) : join(packageDir, 'test-artifacts');
  mkdirSync(folder, { recursive: true });
  return folder;
}

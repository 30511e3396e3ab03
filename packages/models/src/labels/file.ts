import { parseLabels } from './parse.js';

/**
 * Reads a UTF-8 labels file (a JSON array of strings or one label per line,
 * see parseLabels). Node only. Errors name the file: InvalidLabelsError for
 * its content, and Node's own error when it cannot be read.
 */
export async function readLabelsFile(path: string): Promise<string[]> {
  // Imported here so that bundling this package for a browser needs no fs shim.
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8');
  return parseLabels(text, path);
}

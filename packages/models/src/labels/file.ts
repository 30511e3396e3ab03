import { readRegularFile } from '../io/read-file.js';
import { parseLabels } from './parse.js';

/** Largest labels file read (16 MiB). */
const MAX_LABELS_FILE_BYTES = 16 * 2 ** 20;

/**
 * Reads a UTF-8 labels file (a JSON array of strings or one label per line,
 * see parseLabels). Node only. Errors name the file: InvalidLabelsError for
 * its content, and FileReadError when it cannot be read.
 */
export async function readLabelsFile(path: string): Promise<string[]> {
  const bytes = await readRegularFile(path, MAX_LABELS_FILE_BYTES, 'labels file');
  return parseLabels(new TextDecoder().decode(bytes), path);
}

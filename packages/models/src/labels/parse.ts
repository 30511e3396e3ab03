import { InvalidLabelsError } from './errors.js';

/**
 * Parses a list of class labels in index order. Two forms are accepted: a
 * JSON array of strings, or plain text with one label per line. Lines are
 * trimmed and blank lines at the start and end are ignored, but a blank line
 * between labels is an error, because skipping it would shift every later
 * class index. Duplicate labels are allowed.
 *
 * Throws InvalidLabelsError, naming `source`, when the text contains no label,
 * is invalid JSON, is a JSON value other than an array of non-empty strings,
 * or has a blank line between labels.
 */
export function parseLabels(text: string, source = 'labels text'): string[] {
  if (typeof text !== 'string') {
    throw new InvalidLabelsError(source, `expected a string, got ${typeof text}`);
  }
  const withoutBom = text.replace(/^\uFEFF/, '');
  const content = withoutBom.trim();
  if (content === '') {
    throw new InvalidLabelsError(source, 'the text is empty (expected a JSON array of strings or one label per line)');
  }

  return content.startsWith('[') ? parseJsonLabels(content, source) : parseLineLabels(withoutBom, source);
}

function parseJsonLabels(content: string, source: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new InvalidLabelsError(source, `the text starts with '[' but is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) {
    throw new InvalidLabelsError(source, 'expected a JSON array of strings');
  }
  if (value.length === 0) {
    throw new InvalidLabelsError(source, 'the JSON array is empty');
  }

  value.forEach((label, index) => {
    if (typeof label !== 'string' || label.trim() === '') {
      throw new InvalidLabelsError(source, `entry ${index} is ${JSON.stringify(label)}, but every entry must be a non-empty string`);
    }
  });
  return value.map((label: string) => label.trim());
}

function parseLineLabels(text: string, source: string): string[] {
  const lines = text.split(/\r\n|\r|\n/).map((line) => line.trim());
  const first = lines.findIndex((line) => line !== '');
  let end = lines.length;
  while (lines[end - 1] === '') end--;

  const labels = lines.slice(first, end);
  const blank = labels.indexOf('');
  if (blank !== -1) {
    throw new InvalidLabelsError(
      source,
      `line ${first + blank + 1} is blank between labels. Remove it, because class indices follow line order`,
    );
  }
  return labels;
}

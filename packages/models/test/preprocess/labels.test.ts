import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFixture, missingFixtureMessage } from '../../../conformance/src/fixtures.js';
import { IMAGENET_CLASSES, InvalidLabelsError, parseLabels, readLabelsFile } from '../../src/labels/index.js';

const CLASSES_FIXTURE = 'imagenet_classes.json';
const classesPath = findFixture(CLASSES_FIXTURE);

const scratch = mkdtempSync(join(tmpdir(), 'mobilemamba-labels-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('IMAGENET_CLASSES', () => {
  it.skipIf(!classesPath)(classesPath ? 'equals the fixture list' : `equals the fixture list (${missingFixtureMessage(CLASSES_FIXTURE)})`, () => {
    const expected = JSON.parse(readFileSync(classesPath!, 'utf8')) as string[];
    expect(IMAGENET_CLASSES).toEqual(expected);
  });

  it('has 1,000 non-empty names and is frozen', () => {
    expect(IMAGENET_CLASSES).toHaveLength(1000);
    expect(IMAGENET_CLASSES.every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
    expect(Object.isFrozen(IMAGENET_CLASSES)).toBe(true);
  });
});

describe('parseLabels', () => {
  it('reads a JSON array', () => {
    expect(parseLabels('["cat", "dog" , "great white shark"]')).toEqual(['cat', 'dog', 'great white shark']);
  });

  it('reads one label per line', () => {
    expect(parseLabels('cat\r\ndog\n  great white shark  \n')).toEqual(['cat', 'dog', 'great white shark']);
  });

  it('ignores a byte order mark and blank lines at the ends', () => {
    expect(parseLabels('\uFEFF\n\n0\n1\n2\n\n')).toEqual(['0', '1', '2']);
  });

  it('keeps duplicate labels', () => {
    expect(parseLabels('crane\nmaillot\ncrane')).toEqual(['crane', 'maillot', 'crane']);
  });

  it('round-trips the ImageNet list in both forms', () => {
    expect(parseLabels(JSON.stringify(IMAGENET_CLASSES))).toEqual(IMAGENET_CLASSES);
    expect(parseLabels(IMAGENET_CLASSES.join('\n'))).toEqual(IMAGENET_CLASSES);
  });

  it.each([
    ['empty text', '', /the text is empty/],
    ['only whitespace', ' \n\t\n', /the text is empty/],
    ['an empty JSON array', '[ ]', /the JSON array is empty/],
    ['invalid JSON', '["cat", "dog"', /starts with '\[' but is not valid JSON/],
    ['a number in the array', '["cat", 3]', /entry 1 is 3, but every entry must be a non-empty string/],
    ['an empty string in the array', '["cat", " "]', /entry 1 is " "/],
    ['a blank line between labels', '\ncat\n\ndog\n', /line 3 is blank between labels/],
  ])('rejects %s', (_case, text, message) => {
    expect(() => parseLabels(text, 'labels.txt')).toThrow(InvalidLabelsError);
    expect(() => parseLabels(text, 'labels.txt')).toThrow(message);
  });

  it('names the source in errors', () => {
    expect(() => parseLabels('', 'my-labels.txt')).toThrow(/^invalid class labels in my-labels\.txt: /);
  });
});

describe('readLabelsFile', () => {
  it('reads a labels file', async () => {
    const path = join(scratch, 'digits.txt');
    writeFileSync(path, '0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n');
    expect(await readLabelsFile(path)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('names the file when its content is invalid', async () => {
    const path = join(scratch, 'empty.json');
    writeFileSync(path, '');
    await expect(readLabelsFile(path)).rejects.toThrow(InvalidLabelsError);
    await expect(readLabelsFile(path)).rejects.toThrow(path);
  });

  it('names the file when it is missing', async () => {
    const path = join(scratch, 'missing.txt');
    await expect(readLabelsFile(path)).rejects.toThrow(path);
  });
});

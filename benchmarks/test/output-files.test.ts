import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputFolderError, prepareOutputFolder, resultsBaseName, writeOutputs } from '../src/output-files.js';
import type { RunReport } from '../src/report.js';
import { sampleReport } from './report-fixture.js';

/** Returns the target of the markdown's [README.md](...) link. */
function readmeTarget(markdown: string): string {
  const match = /\[README\.md\]\(([^)]+)\)/.exec(markdown);
  expect(match, 'a [README.md](...) link').not.toBeNull();
  return match![1];
}

describe('resultsBaseName', () => {
  it('joins the UTC date and the machine id', () => {
    expect(resultsBaseName(sampleReport())).toBe('2026-12-04-test-cpu-4c');
  });
});

describe('writeOutputs', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'bench-output-test-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes the dated files and RESULTS.md', async () => {
    const { paths } = await writeOutputs(folder, sampleReport());

    expect((await readdir(folder)).sort()).toEqual(['RESULTS.md', 'results']);
    expect((await readdir(join(folder, 'results'))).sort()).toEqual([
      '2026-12-04-test-cpu-4c.json',
      '2026-12-04-test-cpu-4c.md',
      '2026-12-04-test-cpu-4c.svg',
    ]);
    expect(paths.chart).toBe(join(folder, 'results', '2026-12-04-test-cpu-4c.svg'));
  });

  it('stores the machine on every JSON row', async () => {
    const { paths } = await writeOutputs(folder, sampleReport());
    const stored = JSON.parse(await readFile(paths.json, 'utf8')) as RunReport;

    expect(stored.machine.id).toBe('test-cpu-4c');
    expect(stored.simd_peak?.all_threads_gflops).toBe(150);
    for (const stored_row of stored.rows) {
      expect(stored_row.machine).toBe('test-cpu-4c');
      expect(stored_row.median_ms).toBeGreaterThan(0);
      expect(stored_row.max_ms).toBeGreaterThanOrEqual(stored_row.min_ms);
    }
  });

  it('links each markdown file to its own chart', async () => {
    const { paths } = await writeOutputs(folder, sampleReport());
    const newest = await readFile(paths.newestMarkdown, 'utf8');
    const dated = await readFile(paths.markdown, 'utf8');

    expect(newest).toContain('](results/2026-12-04-test-cpu-4c.svg)');
    expect(newest).toContain('](results/2026-12-04-test-cpu-4c.json)');
    expect(existsSync(join(folder, readmeTarget(newest))), 'README link of RESULTS.md').toBe(true);
    expect(dated).toContain('](2026-12-04-test-cpu-4c.svg)');
    expect(dated).toContain('](2026-12-04-test-cpu-4c.json)');
    expect(existsSync(join(folder, 'results', readmeTarget(dated))), 'README link of the dated markdown').toBe(true);
  });

  it('writes the chart of the report', async () => {
    const { paths } = await writeOutputs(folder, sampleReport());
    const svg = await readFile(paths.chart, 'utf8');

    expect(svg.startsWith('<?xml')).toBe(true);
    expect(svg).toContain('class="panel latency"');
    expect(svg).toContain('Data: 2026-12-04-test-cpu-4c.json');
  });
});

describe('prepareOutputFolder', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'bench-prepare-test-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('creates missing folders and leaves no probe file', async () => {
    const target = join(folder, 'a', 'b');

    prepareOutputFolder(target);

    expect(await readdir(join(target, 'results'))).toEqual([]);
  });

  it('rejects a file as the output folder', async () => {
    const file = join(folder, 'file.txt');
    await writeFile(file, 'not a folder');

    expect(() => prepareOutputFolder(file)).toThrow(OutputFolderError);
    expect(() => prepareOutputFolder(file)).toThrow(/is not a folder/);
  });

  // A recursive mkdir under /proc never settles on Node 20, which hung the whole run at its end.
  it.skipIf(!existsSync('/proc/self'))('fails at once under /proc (needs Linux procfs)', () => {
    expect(() => prepareOutputFolder('/proc/no-such-folder')).toThrow(/--output: cannot write the results into \/proc\/no-such-folder\/results/);
  });
});

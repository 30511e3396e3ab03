import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { renderChart } from './chart/chart.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './report.js';

/** Folder of the dated outputs, inside the output folder. */
export const RESULTS_FOLDER = 'results';

/** Markdown of the newest run, at the top of the output folder. */
export const NEWEST_MARKDOWN = 'RESULTS.md';

/** This package's README, which the markdown links for what each section measures. */
const PACKAGE_README = fileURLToPath(new URL('../README.md', import.meta.url));

/** Returns a markdown link target from `folder` to this package's README, also when --output names another folder. */
function readmeLink(folder: string): string {
  return relative(folder, PACKAGE_README).split(sep).join('/');
}

/**
 * Returns the base name of a run's dated files: the UTC date of the run and
 * the machine id, such as "2026-12-04-xeon-2c". A second run on the same day
 * and machine replaces the first.
 */
export function resultsBaseName(report: Pick<RunReport, 'generated_at' | 'machine'>): string {
  return `${report.generated_at.slice(0, 10)}-${report.machine.id}`;
}

/** Paths of the files that one run writes. */
export interface OutputPaths {
  /** results/<date>-<machine>.json: the whole report with every sample. */
  json: string;
  /** results/<date>-<machine>.md: the markdown tables. */
  markdown: string;
  /** results/<date>-<machine>.svg: the chart. */
  chart: string;
  /** RESULTS.md: the same markdown as the dated file, with links from the output folder. */
  newestMarkdown: string;
}

export function outputPaths(outputDir: string, baseName: string): OutputPaths {
  const results = join(outputDir, RESULTS_FOLDER);
  return {
    json: join(results, `${baseName}.json`),
    markdown: join(results, `${baseName}.md`),
    chart: join(results, `${baseName}.svg`),
    newestMarkdown: join(outputDir, NEWEST_MARKDOWN),
  };
}

/**
 * Writes the report as dated JSON, markdown and SVG files into the
 * results folder, and the markdown again as RESULTS.md. Returns the paths
 * and the markdown of RESULTS.md.
 */
export async function writeOutputs(outputDir: string, report: RunReport): Promise<{ paths: OutputPaths; markdown: string }> {
  const baseName = resultsBaseName(report);
  const paths = outputPaths(outputDir, baseName);
  const markdown = renderMarkdown(report, {
    readme: readmeLink(outputDir),
    chart: `${RESULTS_FOLDER}/${baseName}.svg`,
    json: `${RESULTS_FOLDER}/${baseName}.json`,
  });
  const datedMarkdown = renderMarkdown(report, { readme: readmeLink(join(outputDir, RESULTS_FOLDER)), chart: `${baseName}.svg`, json: `${baseName}.json` });

  await mkdir(join(outputDir, RESULTS_FOLDER), { recursive: true });
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.markdown, datedMarkdown);
  await writeFile(paths.chart, renderChart(report, { json: `${baseName}.json` }));
  await writeFile(paths.newestMarkdown, markdown);
  return { paths, markdown };
}

/** The output folder cannot hold the results; the message names the folder and the reason. */
export class OutputFolderError extends Error {
  override readonly name = 'OutputFolderError';
}

/**
 * Creates the results folder and checks that a file can be written there,
 * before any case runs, so that a bad --output fails at once instead of
 * after the whole run. Missing folders are made one level at a time,
 * because a recursive mkdir under /proc never settles on Node 20.
 */
export function prepareOutputFolder(outputDir: string): void {
  const results = join(resolve(outputDir), RESULTS_FOLDER);
  const missing: string[] = [];
  let existing = results;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    existing = dirname(existing);
  }

  try {
    if (!statSync(existing).isDirectory()) throw new Error(`${existing} is not a folder`);
    for (const folder of missing) mkdirSync(folder);
    const probe = join(results, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OutputFolderError(`--output: cannot write the results into ${results}: ${reason}`);
  }
}

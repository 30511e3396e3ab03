import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOUNDS, findFixture, logitsBound, measureError, missingFixtureMessage } from '@mobilemamba/conformance';
import { chromiumMissingReason } from '../../../packages/conformance/browser/chromium.js';
import { artifactDir } from './artifacts.js';
import { launchChromium } from './chromium.js';
import { act, classifyDigit, listedBackends, selectBackend, shownClassification, shownError, waitForStart } from './demo-page.js';
import { startPreview, type PreviewServer } from './preview-server.js';

/** One digit of the fixture index: the PyTorch model's prediction and logits for it. */
interface DigitEntry {
  readonly file: string;
  readonly label: number;
  readonly pred: number;
  readonly logits: number[];
}

const packageDir = join(import.meta.dirname, '..');
const mnistDir = join(packageDir, '..', 'mnist');
const BACKENDS = ['webgpu', 'webgl', 'cpu'] as const;

const chromiumMissing = chromiumMissingReason();
const indexPath = findFixture('real/mnist/index.json');
const checkpointPath = join(mnistDir, 'mnist_tiny.pth');

/** The bundled digits, each with PyTorch's result from the fixture index. */
function bundledDigits(): DigitEntry[] {
  const entries = new Map(
    (JSON.parse(readFileSync(indexPath!, 'utf8')) as { entries: DigitEntry[] }).entries.map((entry) => [entry.file, entry]),
  );
  const files = readdirSync(mnistDir).filter((file) => /^\d+_\d\.png$/.test(file)).sort();
  return files.map((file) => {
    const entry = entries.get(file);
    if (!entry) throw new Error(`examples/mnist/${file} is not in the fixture index ${indexPath}`);
    return entry;
  });
}

describe('browser demo in headless Chromium', () => {
  if (chromiumMissing !== null) {
    it.skip(`skipped: ${chromiumMissing}`, () => {});
    return;
  }
  if (indexPath === null) {
    it.skip(missingFixtureMessage('real/mnist/index.json'), () => {});
    return;
  }

  const digits = bundledDigits();
  const pageErrors: string[] = [];
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let artifacts: string;

  /** Saves a screenshot of the whole page and prints where it went. */
  async function screenshot(name: string): Promise<void> {
    const path = join(artifacts, `browser-demo-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(`screenshot: ${path}`);
  }

  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist', 'index.html'))) {
      throw new Error(`${join(packageDir, 'dist')} is missing; run \`pnpm --filter @mobilemamba/example-browser build\` first (\`pnpm test\` builds it)`);
    }
    artifacts = artifactDir(packageDir);
    server = await startPreview(packageDir);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await waitForStart(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts and lists every backend', async () => {
    const state = await page.getAttribute('#status', 'data-state');
    expect(state, await shownError(page)).toBe('ready');

    const listed = await listedBackends(page);
    expect([...listed.keys()].sort()).toEqual([...BACKENDS].sort());
    for (const [name, backend] of listed) {
      expect(backend.text, name).toMatch(backend.available ? new RegExp(`^${name}: available \\(.+\\)$`) : new RegExp(`^${name}: unavailable: .+`));
    }
  });

  for (const backend of BACKENDS) {
    it(`classifies bundled digits on ${backend}`, async (context) => {
      const listed = (await listedBackends(page)).get(backend);
      expect(listed, `${backend} in the page's backend list`).toBeDefined();
      if (!listed!.available) context.skip(listed!.text);

      const state = await selectBackend(page, backend);
      expect(state, await shownError(page)).toBe('ready');

      const allocations: number[] = [];
      for (const digit of digits) {
        expect(await classifyDigit(page, digit.file), await shownError(page)).toBe('ready');
        const result = await shownClassification(page);
        expect(result.backend).toBe(backend);
        expect(result.image).toBe(digit.file);
        expect(result.classIndices, digit.file).toHaveLength(5);
        expect(result.classIndices[0], `${digit.file}: top-1 class`).toBe(digit.pred);

        // The page decodes the PNG itself, so matching logits also show that its pixels are the ones PyTorch read.
        const figures = measureError(result.logits, digit.logits);
        expect(result.logits, digit.file).toHaveLength(digit.logits.length);
        expect(figures.maxAbsError, `${digit.file}: largest logit error`).toBeLessThanOrEqual(
          logitsBound(figures.maxAbsReference, DEFAULT_BOUNDS.logits),
        );
        allocations.push(result.allocations);
      }

      // Each run frees what it allocated, so the backend keeps the same tensors (the weights) after every run.
      expect(new Set(allocations).size, `allocations after each run: ${allocations.join(', ')}`).toBe(1);
      await screenshot(backend);
    });
  }

  it('reports a corrupt checkpoint and keeps working', async () => {
    // The first kilobyte of the real checkpoint: a zip archive cut short.
    const truncated = readFileSync(checkpointPath).subarray(0, 1024);
    await page.setInputFiles('#checkpoint-file', { name: 'corrupt.pth', mimeType: 'application/octet-stream', buffer: truncated });
    const state = await act(page, () => page.click('#load-checkpoint'));

    expect(state).toBe('error');
    const message = await shownError(page);
    expect(message).toMatch(/^Loading the checkpoint 'corrupt\.pth' failed: .+/);
    expect(await page.isVisible('#error')).toBe(true);
    await screenshot('corrupt-checkpoint');

    // The bundled model stays loaded, so the next digit is classified as before.
    const digit = digits[0];
    expect(await classifyDigit(page, digit.file), await shownError(page)).toBe('ready');
    expect((await shownClassification(page)).classIndices[0]).toBe(digit.pred);
    expect(await page.isVisible('#error')).toBe(false);
  });

  it('reports an image the browser cannot decode', async () => {
    const notAnImage = Buffer.from('this text is not a PNG file');
    const state = await act(page, () => page.setInputFiles('#image-file', { name: 'notes.png', mimeType: 'image/png', buffer: notAnImage }));

    expect(state).toBe('error');
    expect(await shownError(page)).toMatch(/^Classifying notes\.png failed: the browser could not decode the image/);
  });

  it('raises no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

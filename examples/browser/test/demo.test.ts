import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { DEFAULT_BOUNDS, findFixture, logitsBound, measureError, missingFixtureMessage } from '@mobilemamba/conformance';
import { MAX_IMAGE_SIZE, loadModel, preprocessImageFile } from '@mobilemamba/models';
import { chromiumMissingReason } from '../../../packages/conformance/browser/chromium.js';
import { artifactDir } from './artifacts.js';
import { launchChromium } from './chromium.js';
import {
  act,
  classifyDigit,
  classifyImageFile,
  listedBackends,
  selectBackend,
  shownClassification,
  shownError,
  shownStatus,
  shownTable,
  waitForStart,
} from './demo-page.js';
import { gray16Png, tallPng, transparentRgbaPng } from './png-files.js';
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
/** Input size of the bundled model, which the page passes when it loads it. */
const MNIST_INPUT_SIZE = 64;

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

  it('decodes PNGs with alpha and 16 bits as Node does', async () => {
    // Node's path: sharp decodes, toRgb8 converts as Pillow does, and the reference backend runs the model.
    const backend = createReferenceBackend();
    await backend.init();
    const model = await loadModel(readFileSync(checkpointPath), { backend, imgSize: MNIST_INPUT_SIZE });
    const files = [
      ['transparent.png', transparentRgbaPng()],
      ['gray16.png', gray16Png()],
    ] as const;
    try {
      for (const [name, bytes] of files) {
        const { input } = await preprocessImageFile(bytes, MNIST_INPUT_SIZE, { name });
        const expected = await model.predict(input, [1, 3, MNIST_INPUT_SIZE, MNIST_INPUT_SIZE]);

        expect(await classifyImageFile(page, name, bytes), await shownError(page)).toBe('ready');
        const onPage = await shownClassification(page);
        expect(onPage.image).toBe(name);
        expect(onPage.logits, name).toHaveLength(expected.length);
        const figures = measureError(onPage.logits, expected);
        expect(figures.maxAbsError, `${name}: largest logit error against Node`).toBeLessThanOrEqual(
          logitsBound(figures.maxAbsReference, DEFAULT_BOUNDS.logits),
        );
      }
    } finally {
      model.dispose();
      await backend.destroy?.();
    }
  });

  it('reports a switch apart from its failed classification', async (context) => {
    // tall.png decodes, but the resize to the model's input exceeds the preprocessing's pixel limit.
    expect(await classifyImageFile(page, 'tall.png', tallPng()), 'picking tall.png').toBe('error');
    expect(await shownError(page)).toMatch(/^Classifying tall\.png failed: .*more than the limit/);
    expect(await page.textContent('#preview-caption')).toBe('tall.png');
    expect((await shownTable(page)).visible, 'table after the failed classification').toBe(false);

    const current = await page.inputValue('#backend');
    expect(await act(page, () => page.click('#load-bundled')), 'loading the bundled model').toBe('error');
    expect(await shownStatus(page)).toBe(`Loaded the bundled MNIST model on ${current}. Classifying tall.png on ${current} failed; the reason is below.`);
    expect(await shownError(page)).toMatch(new RegExp(`^Classifying tall\\.png on ${current} failed: `));
    expect((await shownTable(page)).visible, 'table after loading the model').toBe(false);

    const other = [...(await listedBackends(page))].find(([name, listed]) => listed.available && name !== current)?.[0];
    if (other === undefined) context.skip(`only ${current} is available, so the page cannot switch backends`);
    expect(await selectBackend(page, other!), 'switching backends').toBe('error');
    expect(await shownStatus(page)).toBe(`Switched to ${other}. Classifying tall.png on ${other} failed; the reason is below.`);
    expect(await shownError(page)).toMatch(new RegExp(`^Classifying tall\\.png on ${other} failed: `));
    expect(await page.inputValue('#backend'), 'selected backend').toBe(other);
    expect((await shownTable(page)).visible, 'table after the switch').toBe(false);

    // The next image runs on the new backend, and the table names it.
    const digit = digits[0];
    expect(await classifyDigit(page, digit.file), await shownError(page)).toBe('ready');
    expect(await shownTable(page)).toEqual({ visible: true, image: digit.file, caption: `${digit.file}, classified on ${other}` });
    expect((await shownClassification(page)).classIndices[0]).toBe(digit.pred);
  });

  it('reports an invalid input size', async () => {
    await page.setInputFiles('#checkpoint-file', checkpointPath);
    for (const value of ['0', '-5', '1e9', '2.5', '4097', 'abc']) {
      await page.fill('#input-size', value);
      expect(await act(page, () => page.click('#load-checkpoint')), value).toBe('error');
      expect(await shownError(page)).toBe(
        `Loading the checkpoint 'mnist_tiny.pth' failed: invalid input size '${value}': ` +
          `expected a whole number of pixels from 1 to ${MAX_IMAGE_SIZE}, or an empty field for the checkpoint's own size.`,
      );
    }
    await page.fill('#input-size', '');
  });

  it('rejects a labels file over 16 MiB', async () => {
    await page.setInputFiles('#checkpoint-file', checkpointPath);
    // Built in the page, because sending 16 MiB through setInputFiles takes seconds.
    await page.evaluate((size) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(size).fill(0x61)], 'huge.txt', { type: 'text/plain' }));
      document.querySelector<HTMLInputElement>('#labels-file')!.files = transfer.files;
    }, 16 * 2 ** 20 + 1);
    expect(await act(page, () => page.click('#load-checkpoint'))).toBe('error');
    expect(await shownError(page)).toBe(
      "Loading the checkpoint 'mnist_tiny.pth' failed: the labels file 'huge.txt' has 16777217 bytes, more than the limit of 16777216 bytes (16 MiB).",
    );
    await page.setInputFiles('#labels-file', []);
  });

  it('raises no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});

import type { Page } from 'playwright-core';

/** What the page lists about one backend. */
export interface ListedBackend {
  readonly available: boolean;
  /** The list item's text: the description, or the reason it is unavailable. */
  readonly text: string;
}

/** What the page shows after classifying an image. */
export interface ShownClassification {
  readonly backend: string;
  readonly image: string;
  /** Class indices of the top-5 rows, best first. */
  readonly classIndices: number[];
  readonly logits: number[];
  /** Live allocations on the backend after the run. */
  readonly allocations: number;
}

/** Time for one action, such as starting WebGPU and compiling its pipelines on SwiftShader. */
const ACTION_TIMEOUT_MS = 90_000;

/** Returns how many actions the page has finished (`data-completed` of #status). */
async function completedActions(page: Page): Promise<number> {
  return Number(await page.getAttribute('#status', 'data-completed'));
}

/**
 * Runs `start`, which must begin exactly one page action, and waits until the
 * page has finished it. Returns the page state afterwards: 'ready' or 'error'.
 */
export async function act(page: Page, start: () => Promise<void>): Promise<string> {
  const before = await completedActions(page);
  await start();
  await page.waitForSelector(`#status[data-completed="${before + 1}"]`, { timeout: ACTION_TIMEOUT_MS });
  return (await page.getAttribute('#status', 'data-state')) ?? '';
}

/** Waits until the page has probed the backends and loaded the bundled model, whether that worked or not. */
export async function waitForStart(page: Page): Promise<void> {
  await page.waitForSelector('#status[data-completed="1"]', { timeout: ACTION_TIMEOUT_MS });
}

export async function listedBackends(page: Page): Promise<Map<string, ListedBackend>> {
  const items = await page.$$eval('#backend-list li', (elements) =>
    elements.map((element) => ({
      name: (element as HTMLElement).dataset.backend ?? '',
      available: (element as HTMLElement).dataset.available === 'true',
      text: element.textContent ?? '',
    })),
  );
  return new Map(items.map(({ name, ...listed }) => [name, listed]));
}

/** Selects a backend in the page, unless it is already the selected one, and returns the page state. */
export async function selectBackend(page: Page, name: string): Promise<string> {
  if ((await page.inputValue('#backend')) === name) return (await page.getAttribute('#status', 'data-state')) ?? '';
  return act(page, async () => {
    await page.selectOption('#backend', name);
  });
}

/** Clicks a bundled digit and returns the page state. */
export async function classifyDigit(page: Page, file: string): Promise<string> {
  return act(page, () => page.click(`button[data-digit="${file}"]`));
}

/** Picks an image file in the page, given as its bytes, and returns the page state. */
export async function classifyImageFile(page: Page, name: string, bytes: Uint8Array): Promise<string> {
  return act(page, () => page.setInputFiles('#image-file', { name, mimeType: 'image/png', buffer: Buffer.from(bytes) }));
}

/** Returns whether the page shows a top-5 table, the image it was computed for and its caption. */
export async function shownTable(page: Page): Promise<{ visible: boolean; image: string; caption: string }> {
  return page.evaluate(() => {
    const table = document.querySelector<HTMLTableElement>('#top5')!;
    return { visible: !table.hidden, image: table.dataset.image ?? '', caption: table.caption?.textContent ?? '' };
  });
}

export async function shownStatus(page: Page): Promise<string> {
  return (await page.textContent('#status')) ?? '';
}

export async function shownClassification(page: Page): Promise<ShownClassification> {
  return page.evaluate(() => {
    const table = document.querySelector<HTMLTableElement>('#top5')!;
    const rows = [...table.tBodies[0].rows];
    return {
      backend: table.dataset.backend ?? '',
      image: table.dataset.image ?? '',
      classIndices: rows.map((row) => Number(row.dataset.classIndex)),
      logits: (document.querySelector('#logits')!.textContent ?? '').split(', ').map(Number),
      allocations: Number(document.querySelector<HTMLElement>('#memory')!.dataset.allocations),
    };
  });
}

export async function shownError(page: Page): Promise<string> {
  return (await page.textContent('#error')) ?? '';
}

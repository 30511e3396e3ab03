import type { RgbImage } from '@mobilemamba/models';
import { BACKEND_NAMES, defaultBackend, probeBackend, type BackendName, type BackendStatus } from './backends.js';
import { BUNDLED_DIGITS, fetchBytes, type BundledDigit } from './bundled.js';
import { describeFailure } from './errors.js';
import { decodeImage } from './image.js';
import { mnistSource, sourceFromFiles } from './model-source.js';
import { Session, type ModelSource } from './session.js';
import {
  clearClassification,
  countCompletedAction,
  findElements,
  renderBackends,
  renderClassification,
  renderDigits,
  renderModel,
  renderPreview,
  selectBackend,
  setControlsEnabled,
  showError,
  showStatus,
} from './view.js';

/** The image on screen, kept so that a new backend or model classifies it again. */
interface CurrentImage {
  readonly name: string;
  readonly pixels: RgbImage;
  /** An object URL of a picked file, revoked when another image replaces it. */
  readonly objectUrl?: string;
}

const elements = findElements();
const session = new Session();
let currentImage: CurrentImage | null = null;
let queue: Promise<void> = Promise.resolve();

/**
 * Runs one user action at a time: shows `busy` while it runs, then the
 * sentence it returns, or the reason it failed in the alert. Controls are
 * disabled meanwhile, and the queue orders actions that start anyway.
 */
function perform(busy: string, action: string, task: () => Promise<string>): Promise<void> {
  queue = queue.then(async () => {
    showStatus(elements, 'busy', busy);
    setControlsEnabled(elements, false);
    try {
      const done = await task();
      showError(elements, null);
      showStatus(elements, 'ready', done);
    } catch (error) {
      console.error(`${action} failed:`, error);
      showError(elements, describeFailure(action, error));
      showStatus(elements, 'error', `${action} failed; the reason is below.`);
    } finally {
      setControlsEnabled(elements, true);
      selectBackend(elements, session.backendName);
      countCompletedAction(elements);
    }
  });
  return queue;
}

/** Classifies the current image, if there is one, and returns a sentence about it. */
async function classifyCurrent(): Promise<string> {
  const backend = session.backendName;
  if (currentImage === null || backend === null) {
    clearClassification(elements);
    return 'Ready. Pick a digit or an image.';
  }
  const result = await session.classify(currentImage.pixels);
  renderClassification(elements, result, currentImage.name, backend);
  return `Classified ${currentImage.name} on ${backend}: ${result.top[0].label}.`;
}

/** Makes `image` the current one, freeing the previous object URL, and classifies it. */
async function showAndClassify(image: CurrentImage, previewUrl: string): Promise<string> {
  if (currentImage?.objectUrl) URL.revokeObjectURL(currentImage.objectUrl);
  currentImage = image;
  renderPreview(elements, previewUrl, image.name);
  return classifyCurrent();
}

function pickDigit(digit: BundledDigit): void {
  void perform(`Classifying ${digit.file}…`, `Classifying ${digit.file}`, async () => {
    const pixels = await decodeImage(new Blob([await fetchBytes(digit.url, digit.file)]));
    return showAndClassify({ name: digit.file, pixels }, digit.url);
  });
}

function pickImageFile(file: File): void {
  void perform(`Classifying ${file.name}…`, `Classifying ${file.name}`, async () => {
    const pixels = await decodeImage(file);
    const objectUrl = URL.createObjectURL(file);
    return showAndClassify({ name: file.name, pixels, objectUrl }, objectUrl);
  });
}

function switchBackend(name: BackendName): void {
  const model = session.source?.name ?? 'the model';
  void perform(`Starting ${name} and loading ${model} on it…`, `Switching to ${name}`, async () => {
    // The bundled model, when the page's first start failed before any model was loaded.
    await session.useBackend(name, session.source ?? (await mnistSource()));
    renderModel(elements, session.model!, session.source!);
    clearClassification(elements);
    return classifyCurrent();
  });
}

function switchModel(read: () => Promise<ModelSource>, label: string): void {
  void perform(`Loading ${label}…`, `Loading ${label}`, async () => {
    const source = await read();
    await session.useModel(source);
    renderModel(elements, session.model!, source);
    clearClassification(elements);
    return classifyCurrent();
  });
}

/** Probes every backend, then loads the bundled model on the preferred one. */
function start(): void {
  void perform('Checking which backends this browser offers…', 'Starting the page', async () => {
    const statuses: BackendStatus[] = [];
    // One at a time, so that the probes do not compete for the GPU and the CPU.
    for (const name of BACKEND_NAMES) statuses.push(await probeBackend(name));
    renderBackends(elements, statuses);

    const name = defaultBackend(statuses);
    if (name === null) {
      const reasons = statuses.map((status) => `${status.name}: ${status.available ? 'available' : status.reason}`).join('; ');
      throw new Error(`no backend can run in this browser (${reasons})`);
    }
    showStatus(elements, 'busy', `Loading the bundled MNIST model on ${name}…`);
    const source = await mnistSource();
    await session.useBackend(name, source);
    renderModel(elements, session.model!, source);
    return 'Ready. Pick a digit or an image.';
  });
}

renderDigits(elements, BUNDLED_DIGITS, pickDigit);

elements.backendSelect.addEventListener('change', () => {
  const name = elements.backendSelect.value as BackendName;
  if (name !== session.backendName) switchBackend(name);
});

elements.imageFile.addEventListener('change', () => {
  const file = elements.imageFile.files?.[0];
  if (file) pickImageFile(file);
  elements.imageFile.value = '';
});

elements.checkpointForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const checkpoint = elements.checkpointFile.files?.[0];
  const labels = elements.labelsFile.files?.[0];
  const size = elements.inputSize.value;
  switchModel(() => sourceFromFiles(checkpoint, labels, size), checkpoint ? `the checkpoint '${checkpoint.name}'` : 'the checkpoint');
});

elements.loadBundled.addEventListener('click', () => switchModel(mnistSource, 'the bundled MNIST model'));

// Frees the model and the backend when the page is unloaded, but not when the back-forward cache keeps it.
window.addEventListener('pagehide', (event) => {
  if (!event.persisted) void session.dispose();
});

start();

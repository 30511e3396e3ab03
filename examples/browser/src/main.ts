import { MAX_IMAGE_SIZE, type RgbImage } from '@mobilemamba/models';
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

/** The report of a finished action. */
interface Outcome {
  /** The status line: what the action did. */
  readonly status: string;
  /**
   * A step that failed after the action's change took effect, such as
   * classifying the image on a backend that did start. The page reports it
   * as that step's failure, not the action's.
   */
  readonly failedStep?: { readonly action: string; readonly error: unknown };
}

/**
 * Runs one user action at a time: shows `busy` while it runs, then the
 * status it returns, or the reason it or a later step failed in the alert.
 * Controls are disabled meanwhile, and the queue orders actions that start
 * anyway.
 */
function perform(busy: string, action: string, task: () => Promise<Outcome>): Promise<void> {
  queue = queue.then(async () => {
    showStatus(elements, 'busy', busy);
    setControlsEnabled(elements, false);
    try {
      const { status, failedStep } = await task();
      if (failedStep) {
        reportFailure(failedStep.action, failedStep.error, `${status} ${failedStep.action} failed; the reason is below.`);
      } else {
        showError(elements, null);
        showStatus(elements, 'ready', status);
      }
    } catch (error) {
      reportFailure(action, error, `${action} failed; the reason is below.`);
    } finally {
      setControlsEnabled(elements, true);
      selectBackend(elements, session.backendName);
      countCompletedAction(elements);
    }
  });
  return queue;
}

function reportFailure(action: string, error: unknown, status: string): void {
  console.error(`${action} failed:`, error);
  showError(elements, describeFailure(action, error));
  showStatus(elements, 'error', status);
}

/**
 * Classifies `image`, shows the result and returns a sentence about it.
 * Callers clear the old result first, when the image, backend or model
 * changes, so a failure leaves no result of another on screen.
 */
async function classifyImage(image: CurrentImage, backend: BackendName): Promise<string> {
  const result = await session.classify(image.pixels);
  renderClassification(elements, result, image.name, backend);
  return `Classified ${image.name} on ${backend}: ${result.top[0].label}.`;
}

/**
 * Classifies the current image again after `change`, a backend or model
 * switch that took effect. A failure here is reported as the
 * classification's, because the switch itself stays.
 */
async function reclassifyAfter(change: string): Promise<Outcome> {
  clearClassification(elements);
  const backend = session.backendName;
  if (currentImage === null || backend === null) return { status: `${change} Pick a digit or an image.` };

  const image = currentImage;
  try {
    return { status: `${change} ${await classifyImage(image, backend)}` };
  } catch (error) {
    return { status: change, failedStep: { action: `Classifying ${image.name} on ${backend}`, error } };
  }
}

/** Makes `image` the current one, freeing the previous object URL, and classifies it. */
async function showAndClassify(image: CurrentImage, previewUrl: string): Promise<Outcome> {
  if (currentImage?.objectUrl) URL.revokeObjectURL(currentImage.objectUrl);
  currentImage = image;
  renderPreview(elements, previewUrl, image.name);
  clearClassification(elements);

  const backend = session.backendName;
  if (backend === null) throw new Error('no model is loaded; choose a backend or load a checkpoint first');
  return { status: await classifyImage(image, backend) };
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
    return reclassifyAfter(`Switched to ${name}.`);
  });
}

function switchModel(read: () => Promise<ModelSource>, label: string): void {
  void perform(`Loading ${label}…`, `Loading ${label}`, async () => {
    const source = await read();
    await session.useModel(source);
    renderModel(elements, session.model!, source);
    return reclassifyAfter(`Loaded ${label} on ${session.backendName}.`);
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
    return { status: 'Ready. Pick a digit or an image.' };
  });
}

renderDigits(elements, BUNDLED_DIGITS, pickDigit);
elements.inputSize.placeholder = `auto, or 1 to ${MAX_IMAGE_SIZE}`;

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

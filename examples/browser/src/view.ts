import type { MobileMamba } from '@mobilemamba/models';
import type { BackendName, BackendStatus } from './backends.js';
import type { BundledDigit } from './bundled.js';
import type { Classification, ModelSource } from './session.js';

/** The page's elements, found once by id. */
export interface Elements {
  readonly status: HTMLElement;
  readonly error: HTMLElement;
  readonly backendSelect: HTMLSelectElement;
  readonly backendList: HTMLUListElement;
  readonly modelInfo: HTMLElement;
  readonly checkpointForm: HTMLFormElement;
  readonly checkpointFile: HTMLInputElement;
  readonly labelsFile: HTMLInputElement;
  readonly inputSize: HTMLInputElement;
  readonly loadBundled: HTMLButtonElement;
  readonly digits: HTMLElement;
  readonly imageFile: HTMLInputElement;
  readonly preview: HTMLElement;
  readonly previewImage: HTMLImageElement;
  readonly previewCaption: HTMLElement;
  readonly timing: HTMLElement;
  readonly top5: HTMLTableElement;
  readonly top5Caption: HTMLElement;
  readonly logitsDetails: HTMLElement;
  readonly logits: HTMLElement;
  readonly memory: HTMLElement;
}

/** Page state for readers and tests: 'busy' while a task runs, then 'ready', or 'error' when it failed. */
export type PageState = 'busy' | 'ready' | 'error';

export function findElements(): Elements {
  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (element === null) throw new Error(`index.html has no element with id '${id}'`);
    return element as T;
  };
  return {
    status: byId('status'),
    error: byId('error'),
    backendSelect: byId('backend'),
    backendList: byId('backend-list'),
    modelInfo: byId('model-info'),
    checkpointForm: byId('checkpoint-form'),
    checkpointFile: byId('checkpoint-file'),
    labelsFile: byId('labels-file'),
    inputSize: byId('input-size'),
    loadBundled: byId('load-bundled'),
    digits: byId('digits'),
    imageFile: byId('image-file'),
    preview: byId('preview'),
    previewImage: byId('preview-image'),
    previewCaption: byId('preview-caption'),
    timing: byId('timing'),
    top5: byId('top5'),
    top5Caption: byId('top5-caption'),
    logitsDetails: byId('logits-details'),
    logits: byId('logits'),
    memory: byId('memory'),
  };
}

export function showStatus(elements: Elements, state: PageState, text: string): void {
  elements.status.dataset.state = state;
  elements.status.textContent = text;
}

/** Counts finished actions in `data-completed`, so a test can wait for the end of the action it started. */
export function countCompletedAction(elements: Elements): void {
  elements.status.dataset.completed = String(Number(elements.status.dataset.completed ?? 0) + 1);
}

/** Shows `message` in the alert, or hides the alert when it is null. */
export function showError(elements: Elements, message: string | null): void {
  elements.error.hidden = message === null;
  elements.error.textContent = message ?? '';
}

/** Enables or disables every control, so that no action starts while another runs. */
export function setControlsEnabled(elements: Elements, enabled: boolean): void {
  for (const control of document.querySelectorAll<HTMLInputElement | HTMLButtonElement>('main input, main button')) {
    control.disabled = !enabled;
  }
  elements.backendSelect.disabled = !enabled || elements.backendSelect.options.length === 0;
}

/** Fills the selector with the backends that work and lists every backend with its description or the reason it failed. */
export function renderBackends(elements: Elements, statuses: readonly BackendStatus[]): void {
  elements.backendSelect.replaceChildren(
    ...statuses.filter((status) => status.available).map((status) => new Option(status.name, status.name)),
  );
  elements.backendList.replaceChildren(
    ...statuses.map((status) => {
      const item = document.createElement('li');
      item.dataset.backend = status.name;
      item.dataset.available = String(status.available);
      item.textContent = status.available ? `${status.name}: available (${status.detail})` : `${status.name}: unavailable: ${status.reason}`;
      return item;
    }),
  );
}

export function selectBackend(elements: Elements, name: BackendName | null): void {
  elements.backendSelect.value = name ?? '';
}

/** Adds one button per bundled digit. */
export function renderDigits(elements: Elements, digits: readonly BundledDigit[], onPick: (digit: BundledDigit) => void): void {
  elements.digits.replaceChildren(
    ...digits.map((digit) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.digit = digit.file;
      button.title = `Classify ${digit.file} (the digit ${digit.label})`;
      const image = document.createElement('img');
      image.src = digit.url;
      image.alt = `handwritten ${digit.label}`;
      button.append(image, digit.file);
      button.addEventListener('click', () => onPick(digit));
      return button;
    }),
  );
}

export function renderModel(elements: Elements, model: MobileMamba, source: ModelSource): void {
  const { variant, imgSize, imgSizeSource, parameters } = model.description;
  const architecture = variant ? `MobileMamba ${variant.toUpperCase()}` : 'a custom MobileMamba';
  const sizeOrigin = {
    option: 'as given',
    variant: 'the variant’s size',
    metadata: 'from the checkpoint’s metadata',
    default: 'the default; set the input size if the model was trained at another size',
  }[imgSizeSource];
  elements.modelInfo.textContent =
    `${source.name}: ${architecture}, ${parameters.toLocaleString('en')} parameters, ${model.numClasses} classes, ` +
    `input ${imgSize} x ${imgSize} pixels (${sizeOrigin}).`;
}

/** Shows the image being classified; `url` must stay valid while it is shown. */
export function renderPreview(elements: Elements, url: string, name: string): void {
  elements.preview.hidden = false;
  elements.previewImage.src = url;
  elements.previewCaption.textContent = name;
}

export function renderClassification(elements: Elements, result: Classification, image: string, backend: string): void {
  const { top5 } = elements;
  top5.hidden = false;
  top5.dataset.image = image;
  top5.dataset.backend = backend;
  elements.top5Caption.textContent = `${image}, classified on ${backend}`;
  top5.tBodies[0].replaceChildren(
    ...result.top.map((prediction, rank) => {
      const row = document.createElement('tr');
      row.dataset.classIndex = String(prediction.index);
      const cells = [String(rank + 1), prediction.label, `${(prediction.probability * 100).toFixed(2)} %`, prediction.logit.toFixed(4)];
      row.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
      return row;
    }),
  );

  // Every float32 logit widened to float64 prints exactly, so a reader can compare them with PyTorch's.
  elements.logitsDetails.hidden = false;
  elements.logits.textContent = Array.from(result.logits, String).join(', ');

  const run = result.firstRun ? 'first run after loading the model, which also compiles shaders or packs weights' : 'warm run';
  elements.timing.textContent =
    `Inference on ${backend}: ${result.inferenceMs.toFixed(1)} ms (${run}); preprocessing: ${result.preprocessMs.toFixed(1)} ms.`;
  elements.memory.dataset.allocations = String(result.memory.allocations);
  elements.memory.textContent =
    `Backend memory held after the run: ${result.memory.allocations} allocations, ${(result.memory.bytes / 2 ** 20).toFixed(2)} MiB. ` +
    'Each run frees the tensors it made, so this is the model’s weights.';
}

/** Hides the result of an earlier image, model or backend. */
export function clearClassification(elements: Elements): void {
  elements.top5.hidden = true;
  delete elements.top5.dataset.image;
  delete elements.top5.dataset.backend;
  elements.top5Caption.textContent = '';
  elements.top5.tBodies[0].replaceChildren();
  elements.logitsDetails.hidden = true;
  elements.logits.textContent = '';
  elements.timing.textContent = '';
  elements.memory.textContent = '';
  delete elements.memory.dataset.allocations;
}

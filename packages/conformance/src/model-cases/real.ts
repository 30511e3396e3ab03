import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Backend } from '@mobilemamba/core';
import { evalTransform, loadModel } from '@mobilemamba/models';
import { ConformanceMismatchError, type OutputFigures } from '../bounds.js';
import type { CaseContext, CaseGroup, ConformanceCase } from '../case.js';
import { findFixture, missingFixtureMessage, type FixtureOptions } from '../fixtures.js';
import { decodeGrayPng } from './gray-png.js';
import { argmaxRows, checkLogits } from './logits.js';
import { FixtureTensors } from './tensors.js';

/** One digit of real/mnist/index.json. */
interface DigitEntry {
  file: string;
  label: number;
  pred: number;
  logits: number[];
}

/** Input size of the MNIST model, from real/mnist_tiny.config.json's model_kwargs. */
function mnistInputSize(configPath: string): number {
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { model_kwargs?: { img_size?: unknown } };
  const size = config.model_kwargs?.img_size;
  if (typeof size !== 'number') throw new Error(`${configPath}: model_kwargs.img_size is missing`);
  return size;
}

/**
 * Real data: the MNIST MobileMamba on its 300 test digits (decoded and
 * preprocessed here, as a user would), and the T2 fixture model on the
 * preprocessed photographs.
 */
export function realGroups(locator: FixtureOptions): CaseGroup[] {
  return [mnistGroup(locator), photosGroup(locator)];
}

function mnistGroup(locator: FixtureOptions): CaseGroup {
  const family = 'real/mnist';
  const title = 'trained MNIST model on 300 real digits';
  const paths = ['real/mnist_tiny.pth', 'real/mnist/index.json', 'real/mnist_tiny.config.json'];
  const found = paths.map((path) => findFixture(path, locator));
  const missing = paths.find((_, i) => found[i] === null);
  if (missing) return { family, title, missing: missingFixtureMessage(missing, locator) };
  const [weights, index, config] = found as string[];

  const digitsCase: ConformanceCase = {
    id: family,
    run: async (backend: Backend, context: CaseContext): Promise<OutputFigures[]> => {
      const { entries, accuracy } = JSON.parse(readFileSync(index, 'utf8')) as { entries: DigitEntry[]; accuracy: number };
      const size = mnistInputSize(config);
      const model = await loadModel(weights, { backend, imgSize: size });
      try {
        const logits = await classifyDigits(model, entries.map((entry) => join(dirname(index), entry.file)), size);
        const classes = model.numClasses;
        const expected = Float32Array.from(entries.flatMap((entry) => entry.logits));
        const figures = checkLogits('logits', { shape: [entries.length, classes], values: logits }, { shape: [entries.length, classes], values: expected }, context.logits);

        const predictions = argmaxRows(logits, classes);
        const wrongPrediction = entries.findIndex((entry, i) => predictions[i] !== entry.pred);
        if (wrongPrediction >= 0) {
          const entry = entries[wrongPrediction];
          throw new ConformanceMismatchError(`${entry.file}: predicted ${predictions[wrongPrediction]}, PyTorch predicted ${entry.pred}`);
        }
        const correct = entries.filter((entry, i) => predictions[i] === entry.label).length;
        if (correct / entries.length !== accuracy) {
          throw new ConformanceMismatchError(`accuracy ${correct}/${entries.length} differs from PyTorch's ${accuracy}`);
        }
        return [figures];
      } finally {
        model.dispose();
      }
    },
  };
  return { family, title, cases: [digitsCase] };
}

/**
 * Decodes the digits (8-bit gray PNGs) with a pure-JavaScript decoder, so
 * that the case also runs in a browser page, preprocesses them with the
 * evaluation transform, and runs them in batches of 50.
 */
async function classifyDigits(model: Awaited<ReturnType<typeof loadModel>>, files: readonly string[], size: number): Promise<Float32Array> {
  const logits = new Float32Array(files.length * model.numClasses);
  const batchSize = 50;
  for (let first = 0; first < files.length; first += batchSize) {
    const batchFiles = files.slice(first, first + batchSize);
    const batch = new Float32Array(batchFiles.length * 3 * size * size);
    for (const [i, file] of batchFiles.entries()) batch.set(evalTransform(decodeGrayPng(readFileSync(file), file), size), i * 3 * size * size);
    logits.set(await model.predict(batch, [batchFiles.length, 3, size, size]), first * model.numClasses);
  }
  return logits;
}

function photosGroup(locator: FixtureOptions): CaseGroup {
  const family = 'real/photos';
  const title = 'T2 fixture model on six photographs (PNG and JPEG)';
  const paths = ['models/t2.weights.safetensors', 'images/photos_t2.io.safetensors'];
  const found = paths.map((path) => findFixture(path, locator));
  const missing = paths.find((_, i) => found[i] === null);
  if (missing) return { family, title, missing: missingFixtureMessage(missing, locator) };
  const [weights, io] = found as string[];

  const photosCase: ConformanceCase = {
    id: family,
    run: async (backend: Backend, context: CaseContext): Promise<OutputFigures[]> => {
      const tensors = FixtureTensors.read(paths[1], io);
      const names = tensors.names().filter((name) => /\.(png|jpg)\.input$/.test(name)).map((name) => name.replace(/\.input$/, ''));
      const model = await loadModel(weights, { backend });
      try {
        // All twelve inputs in one batch: each image's logits must not depend on the others.
        const inputs = names.map((name) => tensors.tensor(`${name}.input`));
        const [, channels, height, width] = inputs[0].shape;
        const batch = new Float32Array(inputs.length * channels * height * width);
        inputs.forEach((input, i) => batch.set(input.values, i * input.values.length));
        const logits = await model.predict(batch, [inputs.length, channels, height, width]);

        const expected = names.map((name) => tensors.tensor(`${name}.logits`));
        const classes = expected[0].shape[1];
        const expectedValues = new Float32Array(names.length * classes);
        expected.forEach((e, i) => expectedValues.set(e.values, i * classes));
        return [checkLogits('logits', { shape: [names.length, classes], values: logits }, { shape: [names.length, classes], values: expectedValues }, context.logits)];
      } finally {
        model.dispose();
      }
    },
  };
  return { family, title, cases: [photosCase] };
}

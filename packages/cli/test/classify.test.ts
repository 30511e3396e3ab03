import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, storedToFloat32 } from '@mobilemamba/core';
import { findFixture, missingFixtureMessage } from '../../conformance/src/fixtures.js';
import { runCli } from './run-cli.js';

interface DigitEntry {
  file: string;
  label: number;
  pred: number;
  logits: number[];
}

interface ImageResult {
  file: string;
  backend: string;
  top: { index: number; label: string; probability: number; logit: number }[];
}

const index = findFixture('real/mnist/index.json');
const weights = findFixture('real/mnist_tiny.pth');
const labels = join(import.meta.dirname, '../../../examples/mnist/labels.txt');

describe.skipIf(!index || !weights)(`classify on real MNIST digits${!index || !weights ? ` (${missingFixtureMessage('real/mnist')})` : ''}`, () => {
  it('gives PyTorch label on every digit', async () => {
    const { entries, accuracy } = JSON.parse(readFileSync(index!, 'utf8')) as { entries: DigitEntry[]; accuracy: number };
    const files = entries.map((entry) => join(dirname(index!), entry.file));

    const run = await runCli(['classify', ...files, '--weights', weights!, '--labels', labels, '--size', '64', '--top', '10', '--json', '--batch-size', '50']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const results = JSON.parse(run.stdout) as ImageResult[];
    expect(results).toHaveLength(entries.length);

    let correct = 0;
    entries.forEach((entry, i) => {
      const result = results[i];
      expect(result.file).toBe(files[i]);
      expect(result.top[0].index, entry.file).toBe(entry.pred);
      expect(result.top[0].label).toBe(String(entry.pred));
      const maxLogit = Math.max(...entry.logits.map(Math.abs));
      for (const prediction of result.top) {
        expect(Math.abs(prediction.logit - entry.logits[prediction.index]), entry.file).toBeLessThanOrEqual(1e-3 * Math.max(1, maxLogit));
      }
      if (result.top[0].index === entry.label) correct++;
    });
    expect(correct / entries.length).toBe(accuracy);
  });

  it('reports the backend and the time', async () => {
    const run = await runCli(['classify', join(dirname(index!), '0000_8.png'), '--weights', weights!, '--labels', labels, '--size', '64']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend \w+( \([^)]*skipped; --verbose prints why\))?: 1 image in \d+\.\d+ s/m);
    expect(run.stdout).toMatch(/1\. +\d+\.\d+% {2}8 {2}\(class 8/);
  });

  it('leaves out the hint with --verbose', async () => {
    const run = await runCli(['classify', join(dirname(index!), '0000_8.png'), '--weights', weights!, '--labels', labels, '--size', '64', '--verbose']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend \w+( \([^)]*skipped\))?: 1 image in/m);
    expect(run.stdout).not.toContain('--verbose prints why');
  });

  it('names classes once without labels', async () => {
    const run = await runCli(['classify', join(dirname(index!), '0000_8.png'), '--weights', weights!, '--size', '64']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/1\. +\d+\.\d+% {2}class 8 {2}\(logit -?\d+\.\d{4}\)/);
  });

  it('warns when the input size is a guess', async () => {
    const run = await runCli(['classify', join(dirname(index!), '0000_8.png'), '--weights', weights!, '--labels', labels]);

    expect(run.code).toBe(0);
    expect(run.stderr.join('\n')).toMatch(/records no input size, so the images are resized to 224 x 224; pass --size/);
  });
});

const t2Weights = findFixture('models/t2.weights.safetensors');
const photos = findFixture('images/photos_t2.io.safetensors');
let photoSkip = '';
if (!t2Weights) photoSkip = missingFixtureMessage('models/t2.weights.safetensors');
else if (!photos) photoSkip = missingFixtureMessage('images/photos_t2.io.safetensors');

describe.skipIf(photoSkip !== '')(`classify on real photographs${photoSkip ? ` (${photoSkip})` : ''}`, () => {
  it('matches the T2 logits of PyTorch on PNG and JPEG files', async () => {
    const io = parseSafetensors(readFileSync(photos!));
    const names = [...io.tensors.keys()].filter((name) => name.endsWith('.logits')).map((name) => name.replace(/\.logits$/, ''));
    const files = names.map((name) => join(dirname(photos!), name));

    const run = await runCli(['classify', ...files, '--weights', t2Weights!, '--top', '5', '--json']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const results = JSON.parse(run.stdout) as ImageResult[];

    names.forEach((name, i) => {
      const expected = storedToFloat32(io.tensors.get(`${name}.logits`)!);
      const top1 = expected.indexOf(Math.max(...expected));
      const bound = 1e-3 * Math.max(1, Math.max(...Array.from(expected, Math.abs)));
      expect(results[i].top[0].index, name).toBe(top1);
      for (const prediction of results[i].top) {
        expect(Math.abs(prediction.logit - expected[prediction.index]), name).toBeLessThanOrEqual(bound);
      }
    });
  });
});

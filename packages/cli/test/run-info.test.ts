import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, storedToFloat32 } from '@mobilemamba/core';
import { findFixture, missingFixtureMessage } from '../../conformance/src/fixtures.js';
import { runCli } from './run-cli.js';

const tinyWeights = findFixture('models/tiny.weights.safetensors');
const tinyIo = findFixture('models/tiny.io.safetensors');

function maxRelativeError(actual: Float32Array, expected: Float32Array): number {
  let error = 0;
  let reference = 0;
  for (let i = 0; i < expected.length; i++) {
    error = Math.max(error, Math.abs(actual[i] - expected[i]));
    reference = Math.max(reference, Math.abs(expected[i]));
  }
  return error / reference;
}

describe.skipIf(!tinyWeights || !tinyIo)('run', () => {
  it('writes logits and intermediates that match the fixture', async () => {
    const output = join(mkdtempSync(join(tmpdir(), 'mobilemamba-run-')), 'out.safetensors');
    const run = await runCli(['run', '--weights', tinyWeights!, '--input', tinyIo!, '--output', output, '--intermediates']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(run.stdout).toMatch(/wrote patch_embed, blocks1, blocks2, blocks3, pooled, logits/);

    const written = parseSafetensors(readFileSync(output));
    const expected = parseSafetensors(readFileSync(tinyIo!));
    for (const name of ['patch_embed', 'blocks1', 'blocks2', 'blocks3', 'pooled', 'logits']) {
      const actual = written.tensors.get(name);
      expect(actual?.shape, name).toEqual(expected.tensors.get(name)!.shape);
      expect(maxRelativeError(storedToFloat32(actual!), storedToFloat32(expected.tensors.get(name)!)), name).toBeLessThan(1e-4);
    }
  });

  it('rejects an input file without the tensor input', async () => {
    const run = await runCli(['run', '--weights', tinyWeights!, '--input', tinyWeights!, '--output', join(tmpdir(), 'never.safetensors')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toHaveLength(1);
    expect(run.stderr[0]).toMatch(/no tensor named 'input'/);
  });
});

const t2Weights = findFixture('models/t2.weights.safetensors');

describe('info', () => {
  it.skipIf(!tinyWeights)('describes a custom architecture', async () => {
    const run = await runCli(['info', '--weights', tinyWeights!]);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(run.stdout).toMatch(/custom MobileMamba/);
    expect(run.stdout).toMatch(/unfused, 10 classes/);
    // The fixture metadata records img_size 64 for this model.
    expect(run.stdout).toMatch(/resolution +64 x 64/);
  });

  it.skipIf(!t2Weights)(`recognises T2 and counts its parameters${t2Weights ? '' : ` (${missingFixtureMessage('models/t2.weights.safetensors')})`}`, async () => {
    const run = await runCli(['info', '--weights', t2Weights!, '--json']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const description = JSON.parse(run.stdout) as { variant: string; parameters: number; imgSize: number };
    expect(description.variant).toBe('t2');
    expect(description.imgSize).toBe(192);

    // PyTorch counts every parameter tensor: all but BatchNorm running statistics.
    const file = parseSafetensors(readFileSync(t2Weights!));
    let parameters = 0;
    for (const [key, tensor] of file.tensors) {
      if (!/running_(mean|var)$|num_batches_tracked$/.test(key)) parameters += tensor.shape.reduce((a, b) => a * b, 1);
    }
    expect(description.parameters).toBe(parameters);
  });
});

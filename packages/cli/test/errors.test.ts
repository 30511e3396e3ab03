import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFixture } from '../../conformance/src/fixtures.js';
import { runCli } from './run-cli.js';

const tinyWeights = findFixture('models/tiny.weights.safetensors')!;
const digit = findFixture('real/mnist/0000_8.png')!;
const folder = mkdtempSync(join(tmpdir(), 'mobilemamba-errors-'));

/** Expects exit code 1 and one error line matching `pattern`, with no stack trace. */
async function expectOneLineError(args: string[], pattern: RegExp): Promise<void> {
  const run = await runCli(args);
  expect(run.code).toBe(1);
  expect(run.stderr, run.stderr.join('\n')).toHaveLength(1);
  expect(run.stderr[0]).toMatch(/^mobilemamba: error: /);
  expect(run.stderr[0]).toMatch(pattern);
  expect(run.stderr[0]).not.toMatch(/\n\s+at /);
}

describe('command errors', () => {
  it('names a missing weights file', async () => {
    await expectOneLineError(['classify', digit, '--weights', join(folder, 'absent.pth')], /cannot read weights '.*absent\.pth': file not found/);
  });

  it('rejects weights in another format', async () => {
    await expectOneLineError(['classify', digit, '--weights', digit], /not a PyTorch \.pth \(zip\) or safetensors file/);
  });

  it('lists what a named variant is missing', async () => {
    await expectOneLineError(['info', '--weights', tinyWeights, '--model', 't2'], /does not match MobileMamba T2 .*missing \d+ .*mis-shaped \d+ \(patch_embed.0.c.weight \[4, 3, 3, 3\], expected \[18, 3, 3, 3\]/);
  });

  it('names an unknown backend', async () => {
    await expectOneLineError(['classify', digit, '--weights', tinyWeights, '--backend', 'nope'], /backend 'nope' is unavailable: not registered \(registered: .*reference/);
  });

  it('names a missing image', async () => {
    await expectOneLineError(['classify', join(folder, 'absent.png'), '--weights', tinyWeights], /absent\.png/);
  });

  it('names a corrupt image', async () => {
    const corrupt = join(folder, 'corrupt.png');
    writeFileSync(corrupt, 'this is not an image');
    await expectOneLineError(['classify', corrupt, '--weights', tinyWeights], /corrupt\.png/);
  });

  it('rejects labels of the wrong count', async () => {
    const labels = join(folder, 'labels.txt');
    writeFileSync(labels, 'a\nb\nc\n');
    await expectOneLineError(['classify', digit, '--weights', tinyWeights, '--labels', labels], /has 3 labels but the model has 10 classes/);
  });

  it('rejects a non-positive --top as a usage error', async () => {
    const run = await runCli(['classify', digit, '--weights', tinyWeights, '--top', '0']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.join('\n')).toMatch(/--top must be a positive integer, got '0'/);
  });

  it('prints the stack trace with --verbose', async () => {
    const run = await runCli(['classify', digit, '--weights', join(folder, 'absent.pth'), '--verbose']);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/\n\s+at /);
  });
});

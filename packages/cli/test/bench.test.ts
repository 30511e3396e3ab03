import { createWebGpuBackend } from '@mobilemamba/backend-webgpu';
import { describe, expect, it } from 'vitest';
import { findFixture, missingFixtureMessage } from '../../conformance/src/fixtures.js';
import { runCli } from './run-cli.js';

interface BenchJson {
  backend: string;
  model: string;
  batch: number;
  runs: number;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  first_inference_ms: number;
  images_per_second: number;
  gflops: number;
  img_size: number;
  weights: string;
  times_ms: number[];
  device?: string;
}

// The CLI accepts a software adapter such as llvmpipe when --backend webgpu is named, so the probe does too.
const webgpuAvailable = (await createWebGpuBackend({ allowSoftwareAdapter: true }).isAvailable?.()) ?? false;

const tinyWeights = findFixture('models/tiny.weights.safetensors');

describe('bench', () => {
  it('prints the figures of T2 as JSON', async () => {
    const run = await runCli(['bench', '--model', 't2', '--backend', 'reference', '--runs', '1', '--warmup', '0', '--json']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const result = JSON.parse(run.stdout) as BenchJson;

    expect(Object.keys(result).slice(0, 7)).toEqual(['backend', 'model', 'batch', 'runs', 'median_ms', 'min_ms', 'max_ms']);
    expect(result.backend).toBe('reference');
    expect(result.model).toBe('t2');
    expect(result.batch).toBe(1);
    expect(result.runs).toBe(1);
    expect(result.img_size).toBe(192);
    expect(result.weights).toBe('random (seed 0)');
    expect(result.times_ms).toHaveLength(1);
    for (const key of ['median_ms', 'min_ms', 'max_ms', 'first_inference_ms', 'images_per_second', 'gflops'] as const) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    expect(result.min_ms).toBeLessThanOrEqual(result.median_ms);
    expect(result.max_ms).toBeGreaterThanOrEqual(result.median_ms);
    expect(result.device).toBeUndefined();
  });

  it.skipIf(!tinyWeights)(
    `times a checkpoint in batches${tinyWeights ? '' : ` (${missingFixtureMessage('models/tiny.weights.safetensors')})`}`,
    async () => {
      const run = await runCli(['bench', '--weights', tinyWeights!, '--backend', 'reference', '--batch', '2', '--runs', '3', '--warmup', '1', '--json']);
      expect(run.code, run.stderr.join('\n')).toBe(0);
      const result = JSON.parse(run.stdout) as BenchJson;

      expect(result.model).toBe('custom');
      expect(result.batch).toBe(2);
      expect(result.runs).toBe(3);
      expect(result.img_size).toBe(64);
      expect(result.times_ms).toHaveLength(3);
      expect(result.times_ms.every((time) => time > 0)).toBe(true);
      expect(result.min_ms).toBe(Math.min(...result.times_ms));
      expect(result.max_ms).toBe(Math.max(...result.times_ms));
    },
  );

  it.skipIf(!tinyWeights)('prints a readable summary', async () => {
    const run = await runCli(['bench', '--weights', tinyWeights!, '--backend', 'reference', '--runs', '1', '--warmup', '1']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    expect(run.stdout).toMatch(/custom MobileMamba on backend reference, batch 1, 64 x 64/);
    expect(run.stdout).toMatch(/first inference +[\d.]+ ms/);
    expect(run.stdout).toMatch(/median +[\d.]+ ms \(min [\d.]+, max [\d.]+\) over 1 run after 1 warm-up/);
    expect(run.stdout).toMatch(/throughput +[\d.]+ images\/s, [\d.]+ GFLOP\/s/);
  });

  it('rejects auto without weights', async () => {
    const run = await runCli(['bench', '--model', 'auto', '--runs', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/--model auto needs --weights/);
  });

  it('rejects zero runs', async () => {
    const run = await runCli(['bench', '--backend', 'reference', '--runs', '0']);
    expect(run.code).not.toBe(0);
    expect(run.stderr.join('\n')).toMatch(/--runs must be a positive integer, got '0'/);
  });

  it('rejects an unknown backend', async () => {
    const run = await runCli(['bench', '--backend', 'nonexistent', '--runs', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/nonexistent/);
  });

  it.skipIf(!webgpuAvailable)(`names the webgpu adapter${webgpuAvailable ? '' : ' (skipped: no WebGPU adapter found)'}`, async () => {
    const run = await runCli(['bench', '--model', 't2', '--backend', 'webgpu', '--runs', '1', '--warmup', '1', '--json']);
    expect(run.code, run.stderr.join('\n')).toBe(0);
    const result = JSON.parse(run.stdout) as BenchJson;

    expect(result.backend).toBe('webgpu');
    expect(result.first_inference_ms).toBeGreaterThan(0);
    expect(result.times_ms).toHaveLength(1);
    expect(result.device).toMatch(/\S/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { MobileMambaError, parseSafetensors, serializeSafetensors } from '@mobilemamba/core';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { deflateSync } from 'fflate';
import { ArchitectureMismatchError, CheckpointError, MAX_IMAGE_SIZE, loadModel, readStateDict } from '../src/index.js';
import { ZipArchive } from '../src/checkpoint/zip.js';
import { readFixture, writeZip, type RawZipEntry } from './checkpoint/archives.js';
import { PickleBuilder, type TensorSpec } from './checkpoint/pickle-builder.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const backend = createReferenceBackend();
await backend.init();

const tinyWeightsPath = 'models/tiny.weights.safetensors';
const tinyWeights = readFixture(tinyWeightsPath);

/** Generous on a shared two-core machine. Each rejection below takes tens of milliseconds when run alone. */
const TIME_LIMIT_MS = 2000;
/** Heap and ArrayBuffer growth allowed while rejecting a bomb, because reading its storages would take hundreds of MB. */
const MEMORY_LIMIT_BYTES = 100 * 2 ** 20;

/** Floats in each junk storage: 1 MiB, the largest entry whose own ratio is not checked. */
const JUNK_ELEMENTS = 2 ** 18;

/** Returns a 1 MiB float storage whose every 256th byte is pseudo-random, which deflate shrinks about 93 to 1. */
function sparseStorage(): Uint8Array {
  const data = new Uint8Array(JUNK_ELEMENTS * 4);
  let state = 1;
  for (let i = 0; i < data.length; i += 256) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state >>> 24;
  }
  return data;
}

/**
 * Writes a torch.save archive whose pickle lists `real` (zero-filled,
 * stored) and `junkCount` further 1 MiB tensors named `junkName(i)`, all
 * deflated from one `junk` buffer.
 */
function bombArchive(real: ReadonlyMap<string, readonly number[]>, junkCount: number, junkName: (i: number) => string, junk: Uint8Array): Uint8Array {
  const specs: Record<string, TensorSpec> = {};
  const entries: RawZipEntry[] = [];
  let key = 0;
  for (const [name, shape] of real) {
    const numel = shape.reduce((a, b) => a * b, 1);
    specs[name] = { key: String(key), numel, size: shape };
    entries.push({ name: `bomb/data/${key++}`, data: new Uint8Array(numel * 4) });
  }
  const deflated = deflateSync(junk, { level: 9 });
  for (let i = 0; i < junkCount; i++) {
    specs[junkName(i)] = { key: String(key), numel: JUNK_ELEMENTS, size: [JUNK_ELEMENTS] };
    entries.push({ name: `bomb/data/${key++}`, data: junk, deflated });
  }
  const pickle = new PickleBuilder().proto().stateDict(specs).stop().toBytes();
  return writeZip([{ name: 'bomb/data.pkl', data: pickle }, ...entries]);
}

/** Loads `bytes`, expecting a rejection; returns the error, the elapsed time and the heap and ArrayBuffer growth. */
async function measureRejection(bytes: Uint8Array, options: Parameters<typeof loadModel>[1] = {}) {
  collectGarbage();
  const before = process.memoryUsage();
  const start = performance.now();
  let error: unknown = null;
  try {
    (await loadModel(bytes, { backend, ...options })).dispose();
  } catch (caught) {
    error = caught;
  }
  const elapsed = performance.now() - start;
  const after = process.memoryUsage();
  const growth = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  return { error, elapsed, growth };
}

describe('loadModel on hostile archives', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('rejects 2040 deflated 1 MiB storages by their total ratio', async ({ annotate }) => {
    const bytes = bombArchive(new Map(), 2040, (i) => `t${i}`, new Uint8Array(JUNK_ELEMENTS * 4));
    const { error, elapsed, growth } = await measureRejection(bytes);
    await annotate(`rejected in ${elapsed.toFixed(0)} ms, heap and ArrayBuffers grew ${growth} bytes`);

    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as Error).message).toMatch(/^checkpoint: the 2040 deflated entries would inflate \d+ bytes to 2139095040 in all, a ratio above 200/);
    expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
    expect(growth).toBeLessThan(MEMORY_LIMIT_BYTES);
  });

  it('rejects a foreign listing before inflating storages', async ({ annotate }) => {
    // 300 MiB inflated in all, at a ratio the archive checks allow.
    const bytes = bombArchive(new Map(), 300, (i) => `t${i}`, sparseStorage());
    const extract = vi.spyOn(ZipArchive.prototype, 'extract');
    const { error, elapsed, growth } = await measureRejection(bytes);
    await annotate(`rejected in ${elapsed.toFixed(0)} ms, heap and ArrayBuffers grew ${growth} bytes`);

    expect(error).toBeInstanceOf(MobileMambaError);
    expect((error as Error).message).toMatch(/^not a MobileMamba state_dict: no patch_embed\.0\.c\.weight or patch_embed\.0\.weight \(300 tensors/);
    expect(extract.mock.calls.flatMap(([names]) => [...names])).toEqual(['bomb/data.pkl']);
    expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
    expect(growth).toBeLessThan(MEMORY_LIMIT_BYTES);
  });

  it.runIf(tinyWeights !== null)('rejects extra tensors before inflating storages', async ({ annotate }) => {
    const { stateDict } = readStateDict(tinyWeights!);
    const shapes = new Map([...stateDict].map(([name, tensor]) => [name, tensor.shape]));
    const bytes = bombArchive(shapes, 300, (i) => `extra.${i}.weight`, sparseStorage());
    const extract = vi.spyOn(ZipArchive.prototype, 'extract');
    const { error, elapsed, growth } = await measureRejection(bytes);
    await annotate(`rejected in ${elapsed.toFixed(0)} ms, heap and ArrayBuffers grew ${growth} bytes`);

    expect(error).toBeInstanceOf(ArchitectureMismatchError);
    expect((error as ArchitectureMismatchError).unexpected).toHaveLength(300);
    expect((error as ArchitectureMismatchError).missing).toEqual([]);
    expect(extract.mock.calls.flatMap(([names]) => [...names])).toEqual(['bomb/data.pkl']);
    expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
    expect(growth).toBeLessThan(MEMORY_LIMIT_BYTES);
  });

  it.runIf(tinyWeights !== null)('checks a named variant against the listing', async () => {
    const extract = vi.spyOn(ZipArchive.prototype, 'extract');
    const { stateDict } = readStateDict(tinyWeights!);
    const shapes = new Map([...stateDict].map(([name, tensor]) => [name, tensor.shape]));
    const { error } = await measureRejection(bombArchive(shapes, 0, String, new Uint8Array(0)), { model: 't2' });

    expect(error).toBeInstanceOf(ArchitectureMismatchError);
    expect((error as Error).message).toMatch(/^checkpoint does not match MobileMamba T2 \(unfused weights\)/);
    expect(extract.mock.calls.flatMap(([names]) => [...names])).toEqual(['bomb/data.pkl']);
  });
});

describe('loadModel metadata img_size', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mobilemamba-load-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  /** Rewrites the tiny fixture with `config` as its metadata entry. */
  const withConfig = (config: string): Uint8Array => {
    const file = parseSafetensors(tinyWeights!);
    const tensors = Object.fromEntries([...file.tensors].map(([name, stored]) => [name, { dtype: stored.dtype, shape: stored.shape, bytes: stored.bytes }]));
    return serializeSafetensors(tensors, { ...file.metadata, config });
  };

  const invalid: [string, string][] = [
    ['0', '0'],
    ['-1', '-1'],
    [String(MAX_IMAGE_SIZE + 1), String(MAX_IMAGE_SIZE + 1)],
    ['1000000000', '1000000000'],
    ['64.5', '64.5'],
    ['1e400', 'Infinity'],
    ['"224"', '"224"'],
    ['[224]', '[224]'],
  ];
  for (const [value, shown] of invalid) {
    it.runIf(tinyWeights !== null)(`rejects img_size ${value}`, async () => {
      const bytes = withConfig(`{"img_size": ${value}}`);
      await expect(loadModel(bytes, { backend })).rejects.toThrow(CheckpointError);
      await expect(loadModel(bytes, { backend })).rejects.toThrow(
        `checkpoint: invalid img_size ${shown} in the metadata entry 'config'; expected an integer from 1 to ${MAX_IMAGE_SIZE}`,
      );
    });
  }

  it.runIf(tinyWeights !== null)('names the file of an invalid img_size', async () => {
    const path = join(folder, 'huge-size.safetensors');
    writeFileSync(path, withConfig('{"img_size": 1000000000}'));
    await expect(loadModel(path, { backend })).rejects.toThrow(`${path}: invalid img_size 1000000000 in the metadata entry 'config'`);
  });

  for (const size of [1, MAX_IMAGE_SIZE]) {
    it.runIf(tinyWeights !== null)(`accepts img_size ${size}`, async () => {
      const model = await loadModel(withConfig(JSON.stringify({ img_size: size })), { backend });
      expect(model.imgSize).toBe(size);
      expect(model.description.imgSizeSource).toBe('metadata');
      model.dispose();
    });
  }

  it.runIf(tinyWeights !== null)('ignores a config without img_size', async () => {
    for (const config of ['{}', '{"img_size": null}', 'not json']) {
      const model = await loadModel(withConfig(config), { backend });
      expect(model.description.imgSizeSource, config).toBe('default');
      model.dispose();
    }
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { findFixture } from '../../conformance/src/fixtures.js';
import { FileReadError, MobileMamba, evalResizeSize, readRegularFile, readStateDict, type MobileMambaConfig, type StateDict } from '../src/index.js';

const backend = createReferenceBackend();
await backend.init();

function tinyStateDict(): StateDict {
  return readStateDict(readFileSync(findFixture('models/tiny.weights.safetensors')!)).stateDict;
}

describe('readRegularFile', () => {
  it('rejects a character device instead of reading forever', async () => {
    await expect(readRegularFile('/dev/zero', 1024, 'weights')).rejects.toThrow("cannot read weights '/dev/zero': is not a regular file");
  });

  it('rejects a named pipe without blocking', { timeout: 10_000 }, async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'mobilemamba-fifo-')), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // Opening a FIFO for reading blocks until a writer appears, so the check must not open it.
    await expect(readRegularFile(fifo, 1024)).rejects.toThrow(/is not a regular file/);
  });

  it('rejects a directory and a missing file', async () => {
    await expect(readRegularFile(tmpdir(), 1024)).rejects.toThrow(/is a directory/);
    await expect(readRegularFile(join(tmpdir(), 'no-such-file-here'), 1024)).rejects.toThrow(FileReadError);
  });

  it('rejects a file over the size limit', async () => {
    await expect(readRegularFile(findFixture('models/tiny.io.safetensors')!, 10)).rejects.toThrow(/more than the limit of 10/);
  });
});

describe('corrupt weights', () => {
  it('rejects a negative BatchNorm variance', () => {
    const stateDict = tinyStateDict();
    const variance = stateDict.get('blocks1.0.dw0.m.bn.running_var')!;
    const data = variance.data.slice();
    data[3] = -1;
    stateDict.set('blocks1.0.dw0.m.bn.running_var', { ...variance, data });
    expect(() => MobileMamba.fromStateDict(stateDict, { backend })).toThrow(/'blocks1.0.dw0.m.bn.running_var' holds a negative variance \(-1 at element 3\)/);
  });

  it('rejects logits that overflow to infinity', async () => {
    const stateDict = tinyStateDict();
    const head = stateDict.get('head.l.weight')!;
    stateDict.set('head.l.weight', { ...head, data: head.data.map((value) => value * 3e38) });
    const model = MobileMamba.fromStateDict(stateDict, { backend });
    await expect(model.predict(new Float32Array(3 * 64 * 64).fill(1), [1, 3, 64, 64])).rejects.toThrow(/non-finite logit/);
    model.dispose();
  });

  it('names a malformed configuration', () => {
    const config = { foo: 1 } as unknown as MobileMambaConfig;
    expect(() => MobileMamba.fromStateDict(tinyStateDict(), { backend, model: config })).toThrow(/embedDims must be three finite numbers/);
  });

  it('rejects an input size out of range', () => {
    expect(() => MobileMamba.fromStateDict(tinyStateDict(), { backend, imgSize: -1 })).toThrow(/imgSize/);
  });
});

describe('evalResizeSize', () => {
  it('rejects an extreme aspect ratio before allocating', () => {
    expect(() => evalResizeSize(1, 100000, 64)).toThrow(/gives 73 x 7300000 pixels, more than the limit/);
  });
});

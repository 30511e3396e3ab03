import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeSafetensors } from '@mobilemamba/core';
import { afterAll, describe, expect, it } from 'vitest';
import { missingFixtureMessage } from '../../../conformance/src/fixtures.js';
import { CheckpointError, readStateDict, readStateDictFile, type CheckpointListing, type StateDict } from '../../src/checkpoint/index.js';
import { CentralHeader, centralHeaderOffset, float32Bytes, makePth, patchUint, readFixture } from './archives.js';
import { PickleBuilder } from './pickle-builder.js';

const tinyWeights = 'models/tiny.weights.safetensors';
const tinyPth = 'models/tiny.net.pth';
const trainerPth = 'models/tiny.ckpt_trainer.pth';
const tiny2Weights = 'models/tiny2.weights.safetensors';
const mnistPth = 'real/mnist_tiny.pth';
const mnistWeights = 'real/mnist_tiny.weights.safetensors';

/** Runs `body` with the fixture files, or skips with the locator's message. */
function withFixtures(name: string, paths: string[], body: (...files: Uint8Array[]) => void): void {
  const files = paths.map(readFixture);
  const missing = paths.find((_, i) => files[i] === null);
  if (missing) it.skip(`${name} (${missingFixtureMessage(missing)})`, () => {});
  else it(name, () => body(...(files as Uint8Array[])));
}

/** Asserts same keys in the same order, same shapes and bit-identical float32 data. */
function expectSameStateDict(actual: StateDict, expected: StateDict): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, tensor] of expected) {
    const other = actual.get(name)!;
    expect(other.shape, name).toEqual(tensor.shape);
    expect(other.storedDType, name).toBe(tensor.storedDType);
    const bits = new Uint32Array(other.data.buffer, other.data.byteOffset, other.data.length);
    const expectedBits = new Uint32Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.length);
    expect(bits, name).toEqual(expectedBits);
  }
}

/** Widens IEEE half-precision bits by building the float32 bit pattern (independent of core's formula). */
function halfBitsToFloat32(bits: number): number {
  const sign = (bits & 0x8000) << 16;
  let exponent = (bits >> 10) & 0x1f;
  let fraction = bits & 0x3ff;
  const out = new Uint32Array(1);
  if (exponent === 0x1f) {
    out[0] = sign | 0x7f800000 | (fraction << 13);
  } else if (exponent === 0) {
    if (fraction === 0) {
      out[0] = sign;
    } else {
      // Normalise the subnormal: shift until the implicit bit appears.
      exponent = 1;
      while ((fraction & 0x400) === 0) {
        fraction <<= 1;
        exponent--;
      }
      out[0] = sign | ((exponent - 15 + 127) << 23) | ((fraction & 0x3ff) << 13);
    }
  } else {
    out[0] = sign | ((exponent - 15 + 127) << 23) | (fraction << 13);
  }
  return new Float32Array(out.buffer)[0];
}

describe('readStateDict on fixtures', () => {
  withFixtures('tiny.net.pth equals tiny.weights', [tinyPth, tinyWeights], (pth, weights) => {
    const fromPth = readStateDict(pth, { source: tinyPth });
    const fromSafetensors = readStateDict(weights, { source: tinyWeights });
    expect(fromPth.format).toBe('pth');
    expect(fromPth.entry).toBeUndefined();
    expect(fromSafetensors.format).toBe('safetensors');
    expect(fromPth.stateDict.size).toBe(375);
    expectSameStateDict(fromPth.stateDict, fromSafetensors.stateDict);
    expect(fromPth.stateDict.get('patch_embed.0.bn.num_batches_tracked')?.storedDType).toBe('I64');
  });

  withFixtures('mnist_tiny.pth equals its safetensors', [mnistPth, mnistWeights], (pth, weights) => {
    const fromPth = readStateDict(pth, { source: mnistPth });
    const fromSafetensors = readStateDict(weights, { source: mnistWeights });
    expect(fromPth.stateDict.size).toBe(375);
    expectSameStateDict(fromPth.stateDict, fromSafetensors.stateDict);
    expect(fromSafetensors.metadata?.num_classes).toBe('10');
  });

  withFixtures('tiny2 F16 weights widen exactly', [tiny2Weights], (weights) => {
    const { stateDict } = readStateDict(weights, { source: tiny2Weights });
    const header = readHeader(weights);
    let halfTensors = 0;
    for (const [name, tensor] of stateDict) {
      const entry = header.entries[name];
      expect(tensor.storedDType, name).toBe(entry.dtype);
      if (entry.dtype !== 'F16') continue;
      halfTensors++;
      const raw = new DataView(weights.buffer, weights.byteOffset + header.dataStart + entry.data_offsets[0]);
      const mismatch = tensor.data.findIndex((value, i) => !Object.is(value, halfBitsToFloat32(raw.getUint16(2 * i, true))));
      expect(mismatch, `first element of ${name} that differs`).toBe(-1);
    }
    expect(halfTensors).toBeGreaterThan(100);
  });

  withFixtures('trainer checkpoint net equals tiny.weights', [trainerPth, tinyWeights], (pth, weights) => {
    const loaded = readStateDict(pth, { source: trainerPth });
    expect(loaded.entry).toBe('net');
    expectSameStateDict(loaded.stateDict, readStateDict(weights).stateDict);
  });

  withFixtures('trainer checkpoint net_E loads and differs', [trainerPth, tinyWeights], (pth, weights) => {
    const loaded = readStateDict(pth, { source: trainerPth, entry: 'net_E' });
    const net = readStateDict(weights).stateDict;
    expect(loaded.entry).toBe('net_E');
    expect([...loaded.stateDict.keys()]).toEqual([...net.keys()]);
    let differing = 0;
    for (const [name, tensor] of loaded.stateDict) {
      expect(tensor.shape, name).toEqual(net.get(name)!.shape);
      if (tensor.data.some((value, i) => value !== net.get(name)!.data[i])) differing++;
    }
    expect(differing).toBeGreaterThan(100);
  });

});

describe('readStateDict on generated files', () => {
  it('widens BF16 safetensors exactly', () => {
    const values = [1, -2.5, 3.140625, 1e-38, 0, -0, 65280, 2 ** -130];
    const bf16 = new Uint16Array(values.map((value) => new Uint32Array(new Float32Array([value]).buffer)[0] >>> 16));
    const bytes = serializeSafetensors({
      w: { dtype: 'BF16', shape: [2, 4], bytes: new Uint8Array(bf16.buffer) },
    });
    const tensor = readStateDict(bytes).stateDict.get('w')!;
    const expected = Array.from(bf16, (bits) => new Float32Array(new Uint32Array([bits << 16]).buffer)[0]);
    expect(tensor.storedDType).toBe('BF16');
    expect(tensor.shape).toEqual([2, 4]);
    expect(Array.from(tensor.data)).toEqual(expected);
    expect(Object.is(tensor.data[5], -0)).toBe(true);
  });

  it('widens F64 safetensors to float32', () => {
    const values = new Float64Array([0.1, -1e-3, 12345.678]);
    const bytes = serializeSafetensors({ w: { dtype: 'F64', shape: [3], bytes: new Uint8Array(values.buffer) } });
    const tensor = readStateDict(bytes).stateDict.get('w')!;
    expect(Array.from(tensor.data)).toEqual(Array.from(values, Math.fround));
  });

  it('strips a leading module. prefix', () => {
    const bytes = serializeSafetensors({
      'module.conv.weight': { shape: [1], data: new Float32Array([2]) },
      'head.module.bias': { shape: [1], data: new Float32Array([3]) },
    });
    expect([...readStateDict(bytes).stateDict.keys()]).toEqual(['conv.weight', 'head.module.bias']);
  });

  it('gathers non-contiguous and offset views', () => {
    const storage = float32Bytes(Array.from({ length: 12 }, (_, i) => i));
    const pickle = new PickleBuilder().proto().stateDict({
      transposed: { key: '0', numel: 12, size: [4, 3], stride: [1, 4] },
      strided: { key: '0', numel: 12, size: [2, 2], stride: [6, 2], offset: 1 },
      row: { key: '0', numel: 12, size: [4], offset: 8 },
      scalar: { key: '0', numel: 12, size: [], stride: [], offset: 5 },
      empty: { key: '0', numel: 12, size: [0, 3], offset: 12 },
    }).stop().toBytes();
    const { stateDict } = readStateDict(makePth('views', pickle, { 0: storage }));

    expect(Array.from(stateDict.get('transposed')!.data)).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(Array.from(stateDict.get('strided')!.data)).toEqual([1, 3, 7, 9]);
    expect(Array.from(stateDict.get('row')!.data)).toEqual([8, 9, 10, 11]);
    expect(stateDict.get('scalar')!.shape).toEqual([]);
    expect(Array.from(stateDict.get('scalar')!.data)).toEqual([5]);
    expect(stateDict.get('empty')!.data.length).toBe(0);
  });

  it('widens every torch storage type', () => {
    const half = new Uint16Array([0x3c00, 0xc000]);
    const bfloat = new Uint16Array([0x3f80, 0xc040]);
    const pickle = new PickleBuilder().proto().stateDict({
      half: { key: 'h', numel: 2, size: [2], storageClass: 'HalfStorage' },
      bfloat: { key: 'b', numel: 2, size: [2], storageClass: 'BFloat16Storage' },
      double: { key: 'd', numel: 2, size: [2], storageClass: 'DoubleStorage' },
      long: { key: 'l', numel: 1, size: [], storageClass: 'LongStorage' },
      int: { key: 'i', numel: 2, size: [2], storageClass: 'IntStorage' },
      short: { key: 's', numel: 2, size: [2], storageClass: 'ShortStorage' },
      char: { key: 'c', numel: 2, size: [2], storageClass: 'CharStorage' },
      byte: { key: 'u', numel: 2, size: [2], storageClass: 'ByteStorage' },
      bool: { key: 'o', numel: 2, size: [2], storageClass: 'BoolStorage' },
    }).stop().toBytes();
    const { stateDict } = readStateDict(makePth('types', pickle, {
      h: new Uint8Array(half.buffer),
      b: new Uint8Array(bfloat.buffer),
      d: new Uint8Array(new Float64Array([0.5, -0.25]).buffer),
      l: new Uint8Array(new BigInt64Array([750n]).buffer),
      i: new Uint8Array(new Int32Array([-7, 70000]).buffer),
      s: new Uint8Array(new Int16Array([-3, 300]).buffer),
      c: new Uint8Array(new Int8Array([-128, 127]).buffer),
      u: new Uint8Array([0, 255]),
      o: new Uint8Array([1, 0]),
    }));

    const values = (name: string) => Array.from(stateDict.get(name)!.data);
    expect(values('half')).toEqual([1, -2]);
    expect(values('bfloat')).toEqual([1, -3]);
    expect(values('double')).toEqual([0.5, -0.25]);
    expect(values('long')).toEqual([750]);
    expect(values('int')).toEqual([-7, 70000]);
    expect(values('short')).toEqual([-3, 300]);
    expect(values('char')).toEqual([-128, 127]);
    expect(values('byte')).toEqual([0, 255]);
    expect(values('bool')).toEqual([1, 0]);
    expect(stateDict.get('half')!.storedDType).toBe('F16');
    expect(stateDict.get('long')!.storedDType).toBe('I64');
  });

  it('reads protocol 4 opcodes and parameters', () => {
    // FRAME, SHORT_BINUNICODE, STACK_GLOBAL and MEMOIZE, as protocol 4 writes them.
    const builder = new PickleBuilder().proto(4).frame(0).emptyDict().memoize().mark();
    builder.shortString('weight').memoize();
    builder.stackGlobal('torch._utils', '_rebuild_parameter').memoize();
    builder.tensor({ key: '0', numel: 2, size: [2] }).bool(true).orderedDict().raw(0x87).reduce();
    builder.setitems().stop();
    const { stateDict } = readStateDict(makePth('p4', builder.toBytes(), { 0: float32Bytes([1.5, -1]) }));
    expect(Array.from(stateDict.get('weight')!.data)).toEqual([1.5, -1]);
  });

  it('reads the state_dict of a trainer checkpoint with module. keys', () => {
    const builder = new PickleBuilder().proto().emptyDict().mark();
    builder.string('net').stateDict({ 'module.w': { key: '0', numel: 1, size: [1] } });
    builder.string('net_E').none();
    builder.string('optimizer').emptyDict().mark().string('state').emptyDict().string('param_groups').emptyList().setitems();
    builder.string('epoch').int(3).string('total_time').float(1.5);
    builder.setitems().stop();
    const bytes = makePth('ckpt', builder.toBytes(), { 0: float32Bytes([4]) });

    const loaded = readStateDict(bytes, { source: 'ckpt.pth' });
    expect(loaded.entry).toBe('net');
    expect([...loaded.stateDict.keys()]).toEqual(['w']);
    expect(() => readStateDict(bytes, { source: 'ckpt.pth', entry: 'net_E' })).toThrow(/'net_E' is None: the trainer saved no EMA copy/);
  });
});

describe('readStateDict validateListing', () => {
  /** Writes a .pth with 'module.'-prefixed keys whose storage '0' fails its CRC-32 check when read. */
  const corruptPth = (): Uint8Array => {
    const pickle = new PickleBuilder().proto().stateDict({
      'module.w': { key: '0', numel: 6, size: [2, 3] },
      'module.n': { key: '1', numel: 1, size: [], storageClass: 'LongStorage' },
    }).stop().toBytes();
    const archive = makePth('listing', pickle, { 0: float32Bytes([1, 2, 3, 4, 5, 6]), 1: new Uint8Array(8) });
    return patchUint(archive, centralHeaderOffset(archive, 'listing/data/0') + CentralHeader.checksum, 4, 0);
  };

  it('receives the pth listing before any storage is read', () => {
    const bytes = corruptPth();
    expect(() => readStateDict(bytes, { source: 'x.pth' })).toThrow("x.pth: entry 'listing/data/0' fails its CRC-32 check");

    const listings: CheckpointListing[] = [];
    const stop = new Error('listing rejected');
    const validateListing = (listing: CheckpointListing) => {
      listings.push(listing);
      throw stop;
    };
    expect(() => readStateDict(bytes, { source: 'x.pth', validateListing })).toThrow(stop);
    expect(listings).toHaveLength(1);
    const [listing] = listings;
    expect(listing.format).toBe('pth');
    expect(listing.entry).toBeUndefined();
    expect([...listing.tensors.keys()]).toEqual(['w', 'n']);
    expect(listing.tensors.get('w')).toEqual({ shape: [2, 3], storedDType: 'F32' });
    expect(listing.tensors.get('n')).toEqual({ shape: [], storedDType: 'I64' });
  });

  it('receives the safetensors listing and metadata', () => {
    const bytes = serializeSafetensors(
      { 'module.a': { dtype: 'F16', shape: [2], bytes: new Uint8Array(4) }, b: { shape: [1, 1], data: new Float32Array([1]) } },
      { config: '{"img_size": 64}' },
    );
    let seen: CheckpointListing | null = null;
    const loaded = readStateDict(bytes, { validateListing: (listing) => { seen = listing; } });

    expect(seen).not.toBeNull();
    const listing = seen as unknown as CheckpointListing;
    expect(listing.format).toBe('safetensors');
    expect(listing.metadata).toEqual({ config: '{"img_size": 64}' });
    expect([...listing.tensors]).toEqual([['a', { shape: [2], storedDType: 'F16' }], ['b', { shape: [1, 1], storedDType: 'F32' }]]);
    expect([...loaded.stateDict.keys()]).toEqual(['a', 'b']);
  });
});

describe('readStateDictFile', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mobilemamba-checkpoint-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads a file and names it in errors', async () => {
    const path = join(folder, 'weights.bin');
    writeFileSync(path, serializeSafetensors({ w: { shape: [1], data: new Float32Array([7]) } }));
    const loaded = await readStateDictFile(path);
    expect(loaded.format).toBe('safetensors');
    expect(Array.from(loaded.stateDict.get('w')!.data)).toEqual([7]);

    writeFileSync(path, new Uint8Array([1, 2, 3]));
    await expect(readStateDictFile(path)).rejects.toThrow(`${path}: not a PyTorch .pth (zip) or safetensors file`);
  });

  it('reports a missing file', async () => {
    const path = join(folder, 'missing.pth');
    expect(existsSync(path)).toBe(false);
    await expect(readStateDictFile(path)).rejects.toThrow(CheckpointError);
    await expect(readStateDictFile(path)).rejects.toThrow(/missing\.pth: cannot read the file/);
  });
});

interface HeaderEntry {
  dtype: string;
  data_offsets: [number, number];
}

function readHeader(bytes: Uint8Array): { entries: Record<string, HeaderEntry>; dataStart: number } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const entries = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) as Record<string, HeaderEntry>;
  return { entries, dataStart: 8 + length };
}

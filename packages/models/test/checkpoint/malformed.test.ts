import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TensorFileError, parseSafetensors } from '@mobilemamba/core';
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { missingFixtureMessage } from '../../../conformance/src/fixtures.js';
import { CheckpointError, readStateDict, type ReadStateDictOptions } from '../../src/checkpoint/index.js';
import { CentralHeader, centralHeaderOffset, float32Bytes, makePth, patchUint, readFixture, repackZip, writeZip } from './archives.js';
import { PickleBuilder } from './pickle-builder.js';

/** Generous on a shared two-core machine; every case takes milliseconds when run alone. */
const TIME_LIMIT_MS = 2000;
const SOURCE = 'bad.pth';

const tinyNetPath = 'models/tiny.net.pth';
const tinyWeightsPath = 'models/tiny.weights.safetensors';
const tinyNet = readFixture(tinyNetPath);
const tinyWeights = readFixture(tinyWeightsPath);

/** A file the loader must reject with a message matching `message`. */
interface MalformedCase {
  readonly name: string;
  readonly message: RegExp;
  /** Builds the file; `fixture` is the fixture it mutates, when it needs one. */
  readonly make: (fixture: Uint8Array) => Uint8Array;
  readonly fixture?: { readonly path: string; readonly bytes: Uint8Array | null };
  /** The entry option to pass; a string outside 'net' and 'net_E' tests its validation. */
  readonly entry?: string;
  /** Checks to run after the rejection, such as that a command left no trace. */
  readonly after?: () => void;
}

const marker = join(tmpdir(), `mobilemamba-pickle-marker-${process.pid}-${Date.now()}`);

/** Writes a pickle with `write` and packs it in a small archive, by default with one 4-element storage '0'. */
function pickleArchive(write: (builder: PickleBuilder) => void, storages: Record<string, Uint8Array> = { 0: float32Bytes([1, 2, 3, 4]) }): Uint8Array {
  const builder = new PickleBuilder().proto();
  write(builder);
  return makePth('bad', builder.toBytes(), storages);
}

/** Builds an archive whose state_dict has one tensor 'w', a view of the 4-element storage '0'. */
function viewArchive(view: { size: (number | bigint)[]; stride?: (number | bigint)[]; offset?: number | bigint; numel?: number }): Uint8Array {
  return pickleArchive((builder) => {
    builder.stateDict({ w: { key: '0', numel: view.numel ?? 4, ...view } }).stop();
  });
}

/** Builds an archive whose pickle calls `module.name` with one string argument, as a hostile file would. */
function callingPickle(module: string, name: string, argument: string, stackGlobal = false): Uint8Array {
  return pickleArchive((builder) => {
    if (stackGlobal) builder.stackGlobal(module, name);
    else builder.global(module, name);
    builder.string(argument).tuple1().reduce().stop();
  });
}

/** Returns where the data of the entry `name` starts, from its local file header. */
function localEntryDataOffset(archive: Uint8Array, name: string): number {
  const encoded = new TextEncoder().encode(name);
  for (let header = 0; header + 30 + encoded.length <= archive.length; header++) {
    const isHeader = archive[header] === 0x50 && archive[header + 1] === 0x4b && archive[header + 2] === 0x03 && archive[header + 3] === 0x04;
    const nameLength = archive[header + 26] | (archive[header + 27] << 8);
    if (!isHeader || nameLength !== encoded.length) continue;
    if (encoded.every((byte, i) => archive[header + 30 + i] === byte)) {
      const extraLength = archive[header + 28] | (archive[header + 29] << 8);
      return header + 30 + nameLength + extraLength;
    }
  }
  throw new Error(`no local header for ${name}`);
}

/** Builds a safetensors file from a raw header object and data section, with no validation. */
function rawSafetensors(header: object, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

/** Deterministic pseudo-random bytes (xorshift32). */
function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

const net = { path: tinyNetPath, bytes: tinyNet };
const weights = { path: tinyWeightsPath, bytes: tinyWeights };

const cases: MalformedCase[] = [
  // Not a checkpoint at all.
  { name: 'empty file', message: /the file is empty/, make: () => new Uint8Array(0) },
  { name: 'random bytes', message: /not a PyTorch \.pth \(zip\) or safetensors file/, make: () => randomBytes(4096, 12345) },
  {
    name: 'legacy torch.save format',
    message: /legacy torch\.save format/,
    make: () => Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]),
  },

  // Zip structure, mutated from tiny.net.pth.
  { name: 'zip truncated to 100 bytes', fixture: net, message: /no end-of-central-directory record/, make: (f) => f.slice(0, 100) },
  { name: 'zip truncated to half', fixture: net, message: /no end-of-central-directory record/, make: (f) => f.slice(0, f.length >> 1) },
  { name: 'zip truncated by one byte', fixture: net, message: /no end-of-central-directory record/, make: (f) => f.slice(0, f.length - 1) },
  {
    name: 'zip truncated inside the central directory',
    fixture: net,
    message: /no end-of-central-directory record/,
    make: (f) => f.slice(0, f.length - 2000),
  },
  {
    name: 'central directory past its end record',
    fixture: net,
    message: /central directory \(offset \d+, \d+ bytes\) runs past/,
    make: (f) => patchUint(f, f.length - 22 + 16, 4, f.length - 100),
  },
  {
    name: 'entry size past the file',
    fixture: net,
    message: /entry 'tiny\.net\/data\.pkl' declares 2147483647 compressed bytes, more than the \d+-byte file/,
    make: (f) => {
      const header = centralHeaderOffset(f, 'tiny.net/data.pkl');
      const patched = patchUint(f, header + CentralHeader.compressedSize, 4, 0x7fffffff);
      return patchUint(patched, header + CentralHeader.uncompressedSize, 4, 0x7fffffff);
    },
  },
  {
    name: 'entry sizes overlapping other entries',
    fixture: net,
    message: /the entries declare \d+ compressed bytes in a \d+-byte file/,
    make: (f) => {
      const header = centralHeaderOffset(f, 'tiny.net/data/0');
      const patched = patchUint(f, header + CentralHeader.compressedSize, 4, f.length - 1000);
      return patchUint(patched, header + CentralHeader.uncompressedSize, 4, f.length - 1000);
    },
  },
  {
    name: 'entry data offset past the file',
    fixture: net,
    message: /entry 'tiny\.net\/data\/5' yields 0 of its \d+ bytes/,
    make: (f) => patchUint(f, centralHeaderOffset(f, 'tiny.net/data/5') + CentralHeader.localHeaderOffset, 4, 0x7fffff00),
  },
  {
    name: 'flipped bit in a stored tensor',
    fixture: net,
    message: /entry 'tiny\.net\/data\/0' fails its CRC-32 check/,
    make: (f) => {
      const copy = f.slice();
      const data = localEntryDataOffset(copy, 'tiny.net/data/0');
      copy[data] ^= 0x01;
      return copy;
    },
  },
  {
    name: 'unsupported compression method',
    fixture: net,
    message: /uses compression method 12; only stored \(0\) and deflate \(8\)/,
    make: (f) => patchUint(f, centralHeaderOffset(f, 'tiny.net/data/3') + CentralHeader.method, 2, 12),
  },
  {
    name: 'duplicate entry name',
    fixture: net,
    message: /contains the entry 'tiny\.net\/data\/1' twice/,
    make: (f) => {
      const copy = f.slice();
      const header = centralHeaderOffset(f, 'tiny.net/data/2');
      copy[header + CentralHeader.name + 'tiny.net/data/'.length] = '1'.charCodeAt(0);
      return copy;
    },
  },
  {
    name: 'zip without data.pkl',
    message: /no <folder>\/data\.pkl entry/,
    make: () => zipSync({ 'model/version': new TextEncoder().encode('3\n') }, { level: 0 }),
  },
  {
    name: 'zip with two data.pkl folders',
    message: /has 2 data\.pkl entries \(a, b\)/,
    make: () => {
      const pickle = new PickleBuilder().proto().emptyDict().stop().toBytes();
      return zipSync({ 'a/data.pkl': pickle, 'b/data.pkl': pickle }, { level: 0 });
    },
  },
  {
    name: 'TorchScript archive',
    message: /TorchScript archive/,
    make: () => makePth('script', new PickleBuilder().proto().emptyDict().stop().toBytes(), {}, { 'script/constants.pkl': new Uint8Array(1) }),
  },
  {
    name: 'big-endian storages',
    message: /byte order 'big'; only 'little'/,
    make: () => makePth('be', new PickleBuilder().proto().emptyDict().stop().toBytes(), {}, { 'be/byteorder': new TextEncoder().encode('big') }),
  },
  {
    name: 'zip bomb by compression ratio',
    message: /would inflate \d+ bytes to 16777216, a ratio above 200/,
    make: () => zipSync({ 'bomb/data.pkl': [new Uint8Array(16 * 2 ** 20), { level: 9 }] }),
  },
  {
    name: 'zip bomb declaring 3 GiB',
    message: /would inflate \d+ bytes to 3221225472/,
    make: () => {
      const archive = zipSync({ 'bomb/data.pkl': [new Uint8Array(2 ** 20), { level: 9 }] });
      return patchUint(archive, centralHeaderOffset(archive, 'bomb/data.pkl') + CentralHeader.uncompressedSize, 4, 3 * 2 ** 30);
    },
  },
  {
    name: 'zip bomb of many small entries',
    // Each entry stays below the 1 MiB per-entry threshold, so only the ratio over all deflated entries catches it.
    message: /the 65 deflated entries would inflate \d+ bytes to \d+ in all, a ratio above 200/,
    make: () => {
      const zeros = new Uint8Array(2 ** 20);
      const deflated = deflateSync(zeros, { level: 9 });
      const storages = Array.from({ length: 64 }, (_, i) => ({ name: `bomb/data/${i}`, data: zeros, deflated }));
      const pickle = new PickleBuilder().proto().emptyDict().stop().toBytes();
      return writeZip([{ name: 'bomb/data.pkl', data: pickle, deflated: deflateSync(pickle) }, ...storages]);
    },
  },

  // Storages, mutated from tiny.net.pth or written from scratch.
  {
    name: 'storage key missing from the zip',
    fixture: net,
    message: /references storage '7', but the archive has no entry 'tiny\.net\/data\/7'/,
    make: (f) => repackZip(f, (files) => delete files['tiny.net/data/7']),
  },
  {
    name: 'storage bytes not numel times itemsize',
    fixture: net,
    message: /storage '7' \(FloatStorage, \d+ elements\) needs \d+ bytes, but 'tiny\.net\/data\/7' has \d+/,
    make: (f) => repackZip(f, (files) => {
      files['tiny.net/data/7'] = files['tiny.net/data/7'].slice(4);
    }),
  },
  { name: 'storage too short for the size', message: /size \[3, 3\].*reaches past the end of storage '0' \(4 elements\)/, make: () => viewArchive({ size: [3, 3] }) },
  {
    name: 'storage too short for the stride',
    message: /stride \[5\]\) reaches past the end of storage '0'/,
    make: () => viewArchive({ size: [2], stride: [5] }),
  },
  { name: 'negative stride', message: /invalid stride entry -1/, make: () => viewArchive({ size: [2], stride: [-1], offset: 3 }) },
  { name: 'huge stride', message: /invalid stride entry 36893488147419103232/, make: () => viewArchive({ size: [2], stride: [2n ** 65n] }) },
  { name: 'huge offset', message: /offset 1099511627776.*reaches past the end of storage '0'/, make: () => viewArchive({ size: [1], offset: 2n ** 40n }) },
  { name: 'negative offset', message: /invalid storage offset -4/, make: () => viewArchive({ size: [1], offset: -4 }) },
  {
    name: 'storage element count lying',
    message: /storage '0' \(FloatStorage, 400 elements\) needs 1600 bytes, but 'bad\/data\/0' has 16/,
    make: () => viewArchive({ size: [400], numel: 400 }),
  },
  {
    name: 'many views of one storage',
    message: /the tensors have 40 elements in all, more than 4 times the 4 elements/,
    make: () => pickleArchive((builder) => {
      const tensors = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`w${i}`, { key: '0', numel: 4, size: [4] }]));
      builder.stateDict(tensors).stop();
    }),
  },
  {
    name: 'shape past a stride-0 storage',
    message: /the tensors have 1000000000 elements/,
    make: () => viewArchive({ size: [1_000_000_000], stride: [0] }),
  },

  // Pickles that try to run code.
  {
    name: 'pickle calling os.system',
    message: /global 'os\.system' is not allowed in a checkpoint/,
    make: () => callingPickle('os', 'system', `touch ${marker}`),
    after: () => expect(existsSync(marker)).toBe(false),
  },
  {
    name: 'pickle calling builtins.eval',
    message: /global 'builtins\.eval' is not allowed/,
    make: () => callingPickle('builtins', 'eval', `__import__('os').system('touch ${marker}')`),
    after: () => expect(existsSync(marker)).toBe(false),
  },
  {
    name: 'pickle calling posix.system by STACK_GLOBAL',
    message: /global 'posix\.system' is not allowed/,
    make: () => callingPickle('posix', 'system', `touch ${marker}`, true),
    after: () => expect(existsSync(marker)).toBe(false),
  },
  {
    name: 'pickle calling subprocess.Popen',
    message: /global 'subprocess\.Popen' is not allowed/,
    make: () => callingPickle('subprocess', 'Popen', `touch ${marker}`),
    after: () => expect(existsSync(marker)).toBe(false),
  },
  {
    name: 'pickle calling a storage class',
    message: /calling torch\.FloatStorage is not allowed/,
    make: () => pickleArchive((builder) => builder.global('torch', 'FloatStorage').int(10).tuple1().reduce().stop()),
  },
  {
    name: 'pickle with INST',
    message: /opcode INST \(0x69\) is not supported/,
    make: () => pickleArchive((builder) => builder.mark().raw(0x69, ...new TextEncoder().encode('os\nsystem\n')).stop()),
  },

  // Malformed pickles.
  { name: 'pickle with an unknown opcode', message: /byte 2: unknown opcode 0xff/, make: () => pickleArchive((builder) => builder.raw(0xff).stop()) },
  { name: 'pickle protocol 6', message: /pickle protocol 6 is not supported/, make: () => makePth('bad', new PickleBuilder().proto(6).emptyDict().stop().toBytes()) },
  { name: 'pickle without STOP', message: /ends without a STOP opcode/, make: () => pickleArchive((builder) => builder.emptyDict()) },
  {
    name: 'pickle truncated inside a string',
    message: /BINUNICODE \(0x58\) declares 100 bytes, but only 3 remain/,
    make: () => pickleArchive((builder) => builder.raw(0x58, 100, 0, 0, 0, 0x61, 0x62, 0x63)),
  },
  { name: 'stack underflow', message: /stack underflow/, make: () => pickleArchive((builder) => builder.append().stop()) },
  { name: 'memo key never stored', message: /memo key 5 was never stored/, make: () => pickleArchive((builder) => builder.get(5).stop()) },
  {
    name: 'memo key out of range',
    message: /memo key 4294967295 was never stored/,
    make: () => pickleArchive((builder) => builder.emptyList().put(0).pop().get(0xffffffff).stop()),
  },
  { name: 'TUPLE without MARK', message: /no MARK on the stack/, make: () => pickleArchive((builder) => builder.none().tuple().stop()) },
  { name: 'MARK left open at STOP', message: /STOP leaves 0 values and 1 MARKs on the stack/, make: () => pickleArchive((builder) => builder.mark().emptyDict().stop()) },
  {
    name: 'APPEND past a MARK',
    message: /stack underflow \(or an opcode pops past a MARK\)/,
    make: () => pickleArchive((builder) => builder.emptyList().mark().append().stop()),
  },
  {
    name: 'huge BINUNICODE8 length',
    message: /BINUNICODE8 \(0x8d\) declares 4611686018427387904 bytes, but only 1 remain/,
    make: () => pickleArchive((builder) => builder.raw(0x8d, 0, 0, 0, 0, 0, 0, 0, 0x40).stop()),
  },
  {
    name: 'huge BINBYTES length',
    message: /BINBYTES \(0x42\) declares 4294967295 bytes/,
    make: () => pickleArchive((builder) => builder.raw(0x42, 0xff, 0xff, 0xff, 0xff).stop()),
  },
  {
    name: 'huge LONG4 length',
    message: /integer of 2147483647 bytes is wider than the 64 bytes supported/,
    make: () => pickleArchive((builder) => builder.raw(0x8b, 0xff, 0xff, 0xff, 0x7f).stop()),
  },
  {
    name: 'huge FRAME length',
    message: /FRAME \(0x95\) declares 1099511627776 bytes/,
    make: () => makePth('bad', new PickleBuilder().proto(4).frame(2n ** 40n).emptyDict().stop().toBytes()),
  },
  { name: 'bytes after STOP', message: /3 bytes follow the STOP opcode/, make: () => pickleArchive((builder) => builder.emptyDict().stop().raw(1, 2, 3)) },
  {
    name: 'unhashable dict key',
    message: /unhashable dict key of type list/,
    make: () => pickleArchive((builder) => builder.emptyDict().emptyList().none().setitem().stop()),
  },
  {
    name: 'nested-list bomb on the stack',
    message: /the stack grows past 100000 items/,
    make: () => pickleArchive((builder) => {
      for (let i = 0; i < 1_000_000; i++) builder.emptyList();
      for (let i = 1; i < 1_000_000; i++) builder.append();
      builder.stop();
    }),
  },
  {
    name: 'nested-list bomb through the memo',
    message: /containers are nested more than 100 levels deep/,
    make: () => pickleArchive((builder) => {
      // Each step appends a new list to the previous one and continues inside it, so the stack stays short.
      builder.emptyList().put(1);
      for (let i = 0; i < 1_000_000; i++) builder.emptyList().put(0).append().pop().get(0);
      builder.pop().get(1).stop();
    }),
  },
  {
    name: 'self-referential list',
    message: /a list contains itself/,
    make: () => pickleArchive((builder) => builder.emptyList().put(0).get(0).append().stop()),
  },
  {
    name: 'self-referential dict inside a state_dict',
    message: /a dict contains itself/,
    make: () => pickleArchive((builder) => builder.emptyDict().put(0).string('net').get(0).setitem().stop()),
  },
  {
    name: 'billion laughs',
    message: /shared references expand to more than 20000000 values/,
    make: () => pickleArchive((builder) => {
      builder.emptyList().put(0).pop();
      for (let level = 1; level <= 64; level++) builder.mark().get(level - 1).get(level - 1).list().put(level).pop();
      builder.get(64).stop();
    }),
  },
  { name: 'malformed persistent id', message: /persistent id must be a tuple/, make: () => pickleArchive((builder) => builder.string('storage').binpersid().stop()) },

  // Valid pickles that hold no state_dict.
  { name: 'root is a list', message: /root object is of type list, not a dict/, make: () => pickleArchive((builder) => builder.emptyList().stop()) },
  {
    name: 'state_dict value not a tensor',
    message: /the state_dict maps 'w' to a value of type int, not a tensor/,
    make: () => pickleArchive((builder) => builder.emptyDict().string('w').int(3).setitem().stop()),
  },
  {
    name: 'net_E requested from a bare state_dict',
    message: /entry 'net_E' is not available because the file contains a bare state_dict/,
    entry: 'net_E',
    make: () => viewArchive({ size: [4] }),
  },

  {
    name: 'invalid entry option',
    message: /invalid entry option "ema"; expected 'net' or 'net_E'/,
    entry: 'ema',
    make: () => viewArchive({ size: [4] }),
  },

  // Safetensors structure, mutated from tiny.weights or written from scratch.
  {
    name: 'safetensors header length past the end',
    fixture: weights,
    message: /header length \d+ runs past the end/,
    make: (f) => {
      const copy = f.slice();
      new DataView(copy.buffer).setBigUint64(0, BigInt(f.length), true);
      return copy;
    },
  },
  {
    name: 'safetensors overlapping data offsets',
    message: /tensor 'b' overlaps tensor 'a'/,
    make: () => rawSafetensors({
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    }, new Uint8Array(12)),
  },
  {
    name: 'safetensors data offsets out of range',
    message: /data_offsets \[0, 4000\] lie outside the 16-byte data section/,
    make: () => rawSafetensors({ a: { dtype: 'F32', shape: [1000], data_offsets: [0, 4000] } }, new Uint8Array(16)),
  },
  {
    name: 'safetensors unknown dtype',
    message: /unknown dtype "F8_E4M3"/,
    make: () => rawSafetensors({ a: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, new Uint8Array(4)),
  },
  {
    name: 'safetensors shape and size mismatch',
    message: /shape \[3, 3\] of F32 needs 36 bytes but data_offsets give 16/,
    make: () => rawSafetensors({ a: { dtype: 'F32', shape: [3, 3], data_offsets: [0, 16] } }, new Uint8Array(16)),
  },
  {
    name: 'safetensors net_E requested',
    fixture: weights,
    message: /a safetensors file contains a single state_dict/,
    entry: 'net_E',
    make: (f) => f,
  },

  // Non-finite weights.
  {
    name: 'NaN in a safetensors weight',
    fixture: weights,
    message: /tensor 'patch_embed\.0\.c\.weight' contains NaN at element 3 of 108 \(stored as F32\)/,
    make: (f) => {
      const copy = f.slice();
      const stored = parseSafetensors(copy).tensors.get('patch_embed.0.c.weight')!;
      new DataView(stored.bytes.buffer, stored.bytes.byteOffset).setFloat32(12, Number.NaN, true);
      return copy;
    },
  },
  {
    name: 'Infinity in a pth weight',
    fixture: net,
    message: /tensor 'patch_embed\.0\.c\.weight' contains Infinity at element 0 of 108/,
    make: (f) => repackZip(f, (files) => {
      const storage = files['tiny.net/data/0'].slice();
      new DataView(storage.buffer).setFloat32(0, Number.POSITIVE_INFINITY, true);
      files['tiny.net/data/0'] = storage;
    }),
  },
  {
    name: 'negative Infinity in a pth weight',
    message: /tensor 'w' contains -Infinity at element 2 of 4/,
    make: () => pickleArchive((builder) => builder.stateDict({ w: { key: '0', numel: 4, size: [4] } }).stop(), {
      0: float32Bytes([0, 1, Number.NEGATIVE_INFINITY, 3]),
    }),
  },
];

describe('readStateDict rejects malformed checkpoints', () => {
  it('covers at least 20 generated files', () => {
    expect(cases.filter((c) => !c.fixture).length).toBeGreaterThanOrEqual(20);
  });

  for (const malformed of cases) {
    if (malformed.fixture && !malformed.fixture.bytes) {
      it.skip(`${malformed.name} (${missingFixtureMessage(malformed.fixture.path)})`, () => {});
      continue;
    }

    it(malformed.name, () => {
      const bytes = malformed.make(malformed.fixture?.bytes ?? new Uint8Array(0));

      const start = performance.now();
      let error: unknown;
      try {
        readStateDict(bytes, { source: SOURCE, entry: malformed.entry as ReadStateDictOptions['entry'] });
      } catch (caught) {
        error = caught;
      }
      const elapsed = performance.now() - start;

      expect(error).toBeInstanceOf(CheckpointError);
      const message = (error as Error).message;
      expect(message).toMatch(malformed.message);
      expect(message.startsWith(`${SOURCE}: `)).toBe(true);
      expect(message).not.toContain('\n');
      expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
      malformed.after?.();
    });
  }

  it('keeps the core error as the cause', () => {
    const bytes = rawSafetensors({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 4] } }, new Uint8Array(4));
    let error: unknown;
    try {
      readStateDict(bytes, { source: 'x.safetensors' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CheckpointError);
    expect((error as CheckpointError).cause).toBeInstanceOf(TensorFileError);
  });

  it('rejects module. prefix collisions', () => {
    const bytes = pickleArchive((builder) => builder.stateDict({
      w: { key: '0', numel: 4, size: [4] },
      'module.w': { key: '0', numel: 4, size: [4] },
    }).stop());
    expect(() => readStateDict(bytes, { source: SOURCE })).toThrow(/keys 'module\.w' and 'w' are the same tensor name/);
  });
});

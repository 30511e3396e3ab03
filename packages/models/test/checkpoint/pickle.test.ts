import { describe, expect, it } from 'vitest';
import { CheckpointError, PickleDict, PickleList, PickleTuple, TensorRecord, unpickle, type PickleValue } from '../../src/checkpoint/index.js';
import { PickleBuilder } from './pickle-builder.js';

function load(write: (builder: PickleBuilder) => void): PickleValue {
  const builder = new PickleBuilder().proto();
  write(builder);
  return unpickle(builder.stop().toBytes(), { source: 'test.pkl' }).root;
}

describe('unpickle', () => {
  it('decodes integers of every width', () => {
    const root = load((builder) => {
      builder.mark().int(7).int(300).int(-5).int(2 ** 31 - 1).long1(-(2n ** 40n)).long1(2n ** 70n).raw(0x8a, 0).list();
    });
    expect((root as PickleList).items).toEqual([7, 300, -5, 2 ** 31 - 1, -(2 ** 40), 2n ** 70n, 0]);
  });

  it('decodes floats, strings, bytes and constants', () => {
    const root = load((builder) => {
      builder.mark().float(-0.1).string('état').shortString('x').raw(0x43, 2, 9, 8).none().bool(true).bool(false).tuple();
    });
    expect(root).toBeInstanceOf(PickleTuple);
    expect((root as PickleTuple).items).toEqual([-0.1, 'état', 'x', new Uint8Array([9, 8]), null, true, false]);
  });

  it('builds dicts, lists and tuples with MARK opcodes', () => {
    const root = load((builder) => {
      builder.mark().string('a').int(1).raw(0x64); // DICT
      builder.string('b').emptyList().mark().int(2).int(3).appends().setitem();
      builder.string('c').int(4).int(5).tuple2().setitem();
      builder.mark().int(6).raw(0x31); // POP_MARK discards 6
      builder.string('d').int(8).raw(0x32).tuple2().setitem(); // DUP
    }) as PickleDict;
    expect([...root.entries.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect((root.entries.get('b') as PickleList).items).toEqual([2, 3]);
    expect((root.entries.get('c') as PickleTuple).items).toEqual([4, 5]);
    expect((root.entries.get('d') as PickleTuple).items).toEqual([8, 8]);
  });

  it('shares memoized values', () => {
    const root = load((builder) => builder.emptyList().put(3).pop().mark().get(3).get(3).tuple()) as PickleTuple;
    expect(root.items[0]).toBe(root.items[1]);
  });

  it('accepts OrderedDict by NEWOBJ and BUILD', () => {
    const root = load((builder) => {
      builder.global('collections', 'OrderedDict').emptyTuple().newobj();
      builder.emptyDict().string('_metadata').orderedDict().setitem().build();
    });
    expect(root).toBeInstanceOf(PickleDict);
    expect((root as PickleDict).ordered).toBe(true);
  });

  it('rebuilds a tensor record and lists its storage', () => {
    const builder = new PickleBuilder().proto().tensor({ key: '9', numel: 6, size: [2, 3], offset: 0, storageClass: 'HalfStorage' }).stop();
    const { root, storages } = unpickle(builder.toBytes(), { source: 'test.pkl' });
    expect(root).toBeInstanceOf(TensorRecord);
    expect((root as TensorRecord).size).toEqual([2, 3]);
    expect((root as TensorRecord).stride).toEqual([3, 1]);
    expect(storages.map((storage) => [storage.key, storage.dtype, storage.numel, storage.location])).toEqual([['9', 'F16', 6, 'cpu']]);
  });

  it('names the source and byte of an error', () => {
    const bytes = new PickleBuilder().proto().emptyList().global('os', 'system').stop().toBytes();
    expect(() => unpickle(bytes, { source: 'evil.pkl' })).toThrow(CheckpointError);
    expect(() => unpickle(bytes, { source: 'evil.pkl' })).toThrow(/^evil\.pkl: byte 3: global 'os\.system' is not allowed/);
  });

  it('applies custom limits', () => {
    const bytes = new PickleBuilder().proto().mark().int(1).int(2).int(3).list().stop().toBytes();
    expect(() => unpickle(bytes, { source: 'x', limits: { maxStackItems: 3 } })).toThrow(/stack grows past 3 items/);
    expect(() => unpickle(bytes, { source: 'x', limits: { maxOperations: 5 } })).toThrow(/more than 5 operations/);
    expect(() => unpickle(bytes, { source: 'x', limits: { maxExpandedItems: 3 } })).toThrow(/expand to more than 3 values/);
  });
});

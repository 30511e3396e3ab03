import { CheckpointError } from './errors.js';
import { Opcode as OPCODES, describeOpcode } from './pickle-opcodes.js';
import { checkObjectGraph } from './pickle-graph.js';
import {
  PickleDict,
  PickleList,
  PickleTuple,
  pythonTypeName,
  type PickleValue,
  type StorageRecord,
} from './pickle-values.js';
import { buildObject, callGlobal, newObject, resolveGlobal, resolvePersistentId } from './torch-objects.js';

/** Bounds on the work one pickle may cause. */
export interface PickleLimits {
  /** Opcodes run plus items moved by MARK-based opcodes. */
  readonly maxOperations: number;
  /** Values on the stack, plus open MARKs. */
  readonly maxStackItems: number;
  /** Nesting of lists, tuples and dicts. */
  readonly maxDepth: number;
  /** Values reachable from the root, counting a shared value once per reference. */
  readonly maxExpandedItems: number;
}

/**
 * Defaults with wide margins over real checkpoints. The tiny trainer
 * checkpoint fixture (375 tensors, AdamW state, an EMA copy) takes 63,691
 * operations, its stack peaks at 765 values, and its containers nest 5 deep.
 * Python's pickler writes APPENDS and SETITEMS in batches of 1,000 items, so
 * the stack stays small for larger models too.
 */
export const DEFAULT_PICKLE_LIMITS: PickleLimits = {
  maxOperations: 20_000_000,
  maxStackItems: 100_000,
  maxDepth: 100,
  maxExpandedItems: 20_000_000,
};

export interface UnpickleOptions {
  /** Names the pickle in messages, such as 'model.pth: model/data.pkl'. */
  readonly source: string;
  readonly limits?: Partial<PickleLimits>;
}

export interface UnpickledObject {
  readonly root: PickleValue;
  /** Every storage a persistent id named, in order of appearance (repeats included). */
  readonly storages: readonly StorageRecord[];
  /** The PROTO version, or 0 when the pickle has no PROTO opcode. */
  readonly protocol: number;
}

/**
 * A module-local copy of the opcode table. The opcode switch reads it once
 * per case, and loaders that rewrite imports into getters (vitest's) made
 * each read several times slower than a plain property read.
 */
const Opcode = OPCODES;

/** Maximum length in bytes of a module or attribute name in a GLOBAL opcode. */
const MAX_GLOBAL_NAME_BYTES = 256;

/** Maximum width in bytes of a LONG1 or LONG4 integer. A checkpoint stores no integer wider than 8 bytes. */
const MAX_LONG_BYTES = 64;

/**
 * Reads a pickle written by `torch.save` (protocol 2, or up to 5) without
 * running anything: GLOBAL resolves only against an allow-list of torch
 * rebuild functions, storage classes and OrderedDict, and REDUCE, NEWOBJ and
 * BUILD act only on those. Every length is checked against the bytes left
 * before anything is allocated, and the limits bound the work, so a hostile
 * pickle raises CheckpointError instead of exhausting memory or time.
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): UnpickledObject {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
  const machine = new PickleMachine(bytes, options.source, limits);
  const result = machine.run();

  checkObjectGraph(result.root, limits, (message) => {
    throw new CheckpointError(`${options.source}: ${message}`);
  });
  return result;
}

/**
 * The pickle virtual machine: one loop over the opcodes with an explicit
 * stack, so no input can make it recurse. MARK positions are kept apart from
 * the stack, as CPython does, so an opcode can never pop below the last MARK.
 */
class PickleMachine {
  private readonly view: DataView;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private position = 0;
  private opcodeStart = 0;
  private operations = 0;
  private protocol = 0;
  private readonly stack: PickleValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly storages: StorageRecord[] = [];
  private readonly fail: (message: string) => never = (message) => {
    throw new CheckpointError(`${this.source}: byte ${this.opcodeStart}: ${message}`);
  };

  constructor(
    private readonly bytes: Uint8Array,
    private readonly source: string,
    private readonly limits: PickleLimits,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): UnpickledObject {
    for (;;) {
      if (this.position >= this.bytes.byteLength) {
        this.opcodeStart = this.position;
        this.fail('the pickle is truncated: it ends without a STOP opcode');
      }
      this.opcodeStart = this.position;
      const code = this.bytes[this.position++];
      this.count(1);

      if (code === Opcode.STOP) return this.stop();
      this.step(code);
    }
  }

  /** Runs one opcode other than STOP. */
  private step(code: number): void {
    switch (code) {
      case Opcode.PROTO: {
        const version = this.readUint8();
        if (version > 5) this.fail(`pickle protocol ${version} is not supported (at most 5)`);
        this.protocol = version;
        return;
      }
      case Opcode.FRAME:
        // Frames only group opcodes for buffered reading; the declared length must still fit.
        this.readLength(8);
        return;

      case Opcode.MARK:
        if (this.marks.length + this.stack.length >= this.limits.maxStackItems) this.failStackLimit();
        this.marks.push(this.stack.length);
        return;
      case Opcode.POP:
        if (this.stack.length > this.markBase()) this.stack.pop();
        else this.popMark();
        return;
      case Opcode.POP_MARK:
        this.popMark();
        return;
      case Opcode.DUP:
        this.push(this.top());
        return;

      case Opcode.NONE:
        this.push(null);
        return;
      case Opcode.NEWTRUE:
        this.push(true);
        return;
      case Opcode.NEWFALSE:
        this.push(false);
        return;
      case Opcode.BININT:
        this.push(this.view.getInt32(this.take(4), true));
        return;
      case Opcode.BININT1:
        this.push(this.readUint8());
        return;
      case Opcode.BININT2:
        this.push(this.view.getUint16(this.take(2), true));
        return;
      case Opcode.LONG1:
        this.push(this.readLong(this.readUint8()));
        return;
      case Opcode.LONG4: {
        const length = this.view.getInt32(this.take(4), true);
        if (length < 0) this.fail(`LONG4 has a negative length ${length}`);
        this.push(this.readLong(length));
        return;
      }
      case Opcode.BINFLOAT:
        // The only big-endian field in the format.
        this.push(this.view.getFloat64(this.take(8), false));
        return;

      case Opcode.SHORT_BINUNICODE:
      case Opcode.SHORT_BINSTRING:
        this.push(this.readUtf8(this.readUint8()));
        return;
      case Opcode.BINUNICODE:
        this.push(this.readUtf8(this.readLength(4)));
        return;
      case Opcode.BINSTRING: {
        // A Python 2 str. torch.load decodes these as UTF-8 by default.
        const length = this.view.getInt32(this.take(4), true);
        if (length < 0) this.fail(`BINSTRING has a negative length ${length}`);
        this.push(this.readUtf8(length));
        return;
      }
      case Opcode.BINUNICODE8:
        this.push(this.readUtf8(this.readLength(8)));
        return;
      case Opcode.SHORT_BINBYTES:
        this.push(this.readBytes(this.readUint8()));
        return;
      case Opcode.BINBYTES:
        this.push(this.readBytes(this.readLength(4)));
        return;
      case Opcode.BINBYTES8:
        this.push(this.readBytes(this.readLength(8)));
        return;

      case Opcode.EMPTY_LIST:
        this.push(new PickleList());
        return;
      case Opcode.EMPTY_TUPLE:
        this.push(new PickleTuple([]));
        return;
      case Opcode.EMPTY_DICT:
        this.push(new PickleDict(false));
        return;
      case Opcode.LIST:
        this.push(new PickleList(this.popMark()));
        return;
      case Opcode.TUPLE:
        this.push(new PickleTuple(this.popMark()));
        return;
      case Opcode.TUPLE1:
      case Opcode.TUPLE2:
      case Opcode.TUPLE3:
        this.push(new PickleTuple(this.popItems(code - Opcode.TUPLE1 + 1)));
        return;
      case Opcode.DICT: {
        const dict = new PickleDict(false);
        this.setItems(dict, this.popMark());
        this.push(dict);
        return;
      }
      case Opcode.APPEND: {
        const value = this.pop();
        this.topList('APPEND').items.push(value);
        return;
      }
      case Opcode.APPENDS: {
        const values = this.popMark();
        const list = this.topList('APPENDS');
        for (const value of values) list.items.push(value);
        return;
      }
      case Opcode.SETITEM: {
        const [key, value] = this.popItems(2);
        this.setItems(this.topDict('SETITEM'), [key, value]);
        return;
      }
      case Opcode.SETITEMS: {
        const items = this.popMark();
        this.setItems(this.topDict('SETITEMS'), items);
        return;
      }

      case Opcode.BINGET:
        this.push(this.memoGet(this.readUint8()));
        return;
      case Opcode.LONG_BINGET:
        this.push(this.memoGet(this.view.getUint32(this.take(4), true)));
        return;
      case Opcode.BINPUT:
        this.memo.set(this.readUint8(), this.top());
        return;
      case Opcode.LONG_BINPUT:
        this.memo.set(this.view.getUint32(this.take(4), true), this.top());
        return;
      case Opcode.MEMOIZE:
        this.memo.set(this.memo.size, this.top());
        return;

      case Opcode.GLOBAL: {
        const module = this.readLine();
        const name = this.readLine();
        this.push(resolveGlobal(module, name, this.fail));
        return;
      }
      case Opcode.STACK_GLOBAL: {
        const [module, name] = this.popItems(2);
        if (typeof module !== 'string' || typeof name !== 'string') {
          this.fail(`STACK_GLOBAL needs two strings, got ${pythonTypeName(module)} and ${pythonTypeName(name)}`);
        }
        this.push(resolveGlobal(module, name, this.fail));
        return;
      }
      case Opcode.REDUCE: {
        const [callable, args] = this.popItems(2);
        this.push(callGlobal(callable, args, this.fail));
        return;
      }
      case Opcode.NEWOBJ: {
        const [cls, args] = this.popItems(2);
        this.push(newObject(cls, args, this.fail));
        return;
      }
      case Opcode.BUILD: {
        const state = this.pop();
        buildObject(this.top(), state, this.fail);
        return;
      }
      case Opcode.BINPERSID: {
        const record = resolvePersistentId(this.pop(), this.fail);
        this.storages.push(record);
        this.push(record);
        return;
      }

      default: {
        const description = describeOpcode(code);
        this.fail(description.startsWith('unknown') ? description : `opcode ${description} is not supported in a checkpoint`);
      }
    }
  }

  private stop(): UnpickledObject {
    const root = this.pop();
    if (this.stack.length > 0 || this.marks.length > 0) {
      this.fail(`STOP leaves ${this.stack.length} values and ${this.marks.length} MARKs on the stack`);
    }
    const trailing = this.bytes.byteLength - this.position;
    if (trailing > 0) this.fail(`${trailing} bytes follow the STOP opcode`);
    return { root, storages: this.storages, protocol: this.protocol };
  }

  private count(operations: number): void {
    this.operations += operations;
    if (this.operations > this.limits.maxOperations) {
      this.fail(`the pickle needs more than ${this.limits.maxOperations} operations`);
    }
  }

  private markBase(): number {
    return this.marks.length > 0 ? this.marks[this.marks.length - 1] : 0;
  }

  private push(value: PickleValue): void {
    if (this.stack.length + this.marks.length >= this.limits.maxStackItems) this.failStackLimit();
    this.stack.push(value);
  }

  private failStackLimit(): never {
    return this.fail(`the stack grows past ${this.limits.maxStackItems} items`);
  }

  private pop(): PickleValue {
    if (this.stack.length <= this.markBase()) this.fail('stack underflow (or an opcode pops past a MARK)');
    return this.stack.pop() as PickleValue;
  }

  private top(): PickleValue {
    if (this.stack.length <= this.markBase()) this.fail('stack underflow (or an opcode reads past a MARK)');
    return this.stack[this.stack.length - 1];
  }

  /** Pops `count` values and returns them in push order. */
  private popItems(count: number): PickleValue[] {
    if (this.stack.length - this.markBase() < count) this.fail(`stack underflow: ${count} values needed`);
    return this.stack.splice(this.stack.length - count, count);
  }

  /** Pops every value above the last MARK, and the MARK itself. */
  private popMark(): PickleValue[] {
    const base = this.marks.pop();
    if (base === undefined) this.fail('no MARK on the stack');
    const items = this.stack.splice(base);
    this.count(items.length);
    return items;
  }

  private topList(opcode: string): PickleList {
    const target = this.top();
    if (!(target instanceof PickleList)) this.fail(`${opcode} needs a list, got ${pythonTypeName(target)}`);
    return target;
  }

  private topDict(opcode: string): PickleDict {
    const target = this.top();
    if (!(target instanceof PickleDict)) this.fail(`${opcode} needs a dict, got ${pythonTypeName(target)}`);
    return target;
  }

  /** Stores alternating keys and values, as SETITEMS and DICT pop them. */
  private setItems(dict: PickleDict, items: PickleValue[]): void {
    if (items.length % 2 !== 0) this.fail(`a dict needs key-value pairs, got ${items.length} items`);
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      if (key instanceof PickleList || key instanceof PickleDict) this.fail(`unhashable dict key of type ${pythonTypeName(key)}`);
      dict.entries.set(key, items[i + 1]);
    }
  }

  private memoGet(key: number): PickleValue {
    if (!this.memo.has(key)) this.fail(`memo key ${key} was never stored`);
    return this.memo.get(key) as PickleValue;
  }

  /** Advances past `length` bytes and returns where they start. */
  private take(length: number): number {
    const remaining = this.bytes.byteLength - this.position;
    if (length > remaining) {
      this.fail(`the pickle is truncated: ${describeOpcode(this.bytes[this.opcodeStart])} needs ${length} bytes, ${remaining} remain`);
    }
    const start = this.position;
    this.position += length;
    return start;
  }

  private readUint8(): number {
    return this.bytes[this.take(1)];
  }

  /** Reads a 4- or 8-byte unsigned length and checks it against the bytes left. */
  private readLength(width: 4 | 8): number {
    const at = this.take(width);
    const length = width === 4 ? BigInt(this.view.getUint32(at, true)) : this.view.getBigUint64(at, true);
    const remaining = this.bytes.byteLength - this.position;
    if (length > BigInt(remaining)) {
      this.fail(`${describeOpcode(this.bytes[this.opcodeStart])} declares ${length} bytes, but only ${remaining} remain`);
    }
    return Number(length);
  }

  private readBytes(length: number): Uint8Array {
    const start = this.take(length);
    return this.bytes.slice(start, start + length);
  }

  private readUtf8(length: number): string {
    const start = this.take(length);
    try {
      return this.decoder.decode(this.bytes.subarray(start, start + length));
    } catch {
      return this.fail('a string is not valid UTF-8');
    }
  }

  /** Reads a newline-terminated name for GLOBAL. */
  private readLine(): string {
    const end = Math.min(this.bytes.byteLength, this.position + MAX_GLOBAL_NAME_BYTES + 1);
    const newline = this.bytes.subarray(this.position, end).indexOf(0x0a);
    if (newline < 0) this.fail(`GLOBAL name is unterminated or longer than ${MAX_GLOBAL_NAME_BYTES} bytes`);
    const line = this.readUtf8(newline);
    this.position += 1;
    return line;
  }

  /** Decodes a little-endian two's-complement integer (LONG1, LONG4). */
  private readLong(length: number): number | bigint {
    if (length > MAX_LONG_BYTES) this.fail(`integer of ${length} bytes is wider than the ${MAX_LONG_BYTES} bytes supported`);
    const start = this.take(length);
    if (length === 0) return 0;

    let value = 0n;
    for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.bytes[start + i]);
    if (this.bytes[start + length - 1] & 0x80) value -= 1n << BigInt(8 * length);

    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value;
  }
}

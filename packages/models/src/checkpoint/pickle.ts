import { CheckpointError } from './errors.js';
import { Opcode as OPCODES, describeOpcode } from './pickle-opcodes.js';
import { checkObjectGraph } from './pickle-graph.js';
import { PickleReader } from './pickle-reader.js';
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
  private readonly reader: PickleReader;
  private operations = 0;
  private protocol = 0;
  private readonly stack: PickleValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo = new Map<number, PickleValue>();
  private readonly storages: StorageRecord[] = [];
  private readonly fail: (message: string) => never = (message) => {
    throw new CheckpointError(`${this.source}: byte ${this.reader.opcodeStart}: ${message}`);
  };

  constructor(
    bytes: Uint8Array,
    private readonly source: string,
    private readonly limits: PickleLimits,
  ) {
    this.reader = new PickleReader(bytes, this.fail);
  }

  run(): UnpickledObject {
    for (;;) {
      const code = this.reader.opcode();
      this.count(1);

      if (code === Opcode.STOP) return this.stop();
      this.step(code);
    }
  }

  /** Runs one opcode other than STOP. */
  private step(code: number): void {
    switch (code) {
      case Opcode.PROTO: {
        const version = this.reader.uint8();
        if (version > 5) this.fail(`pickle protocol ${version} is not supported (at most 5)`);
        this.protocol = version;
        return;
      }
      case Opcode.FRAME:
        // Frames only group opcodes for buffered reading, but the declared length must still fit.
        this.reader.length(8);
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
        this.push(this.reader.int32());
        return;
      case Opcode.BININT1:
        this.push(this.reader.uint8());
        return;
      case Opcode.BININT2:
        this.push(this.reader.uint16());
        return;
      case Opcode.LONG1:
        this.push(this.reader.long(this.reader.uint8()));
        return;
      case Opcode.LONG4:
        this.push(this.reader.long(this.reader.signedLength()));
        return;
      case Opcode.BINFLOAT:
        this.push(this.reader.float64());
        return;

      case Opcode.SHORT_BINUNICODE:
      case Opcode.SHORT_BINSTRING:
        this.push(this.reader.utf8(this.reader.uint8()));
        return;
      case Opcode.BINUNICODE:
        this.push(this.reader.utf8(this.reader.length(4)));
        return;
      case Opcode.BINSTRING:
        // A Python 2 str. torch.load decodes these as UTF-8 by default.
        this.push(this.reader.utf8(this.reader.signedLength()));
        return;
      case Opcode.BINUNICODE8:
        this.push(this.reader.utf8(this.reader.length(8)));
        return;
      case Opcode.SHORT_BINBYTES:
        this.push(this.reader.bytesOf(this.reader.uint8()));
        return;
      case Opcode.BINBYTES:
        this.push(this.reader.bytesOf(this.reader.length(4)));
        return;
      case Opcode.BINBYTES8:
        this.push(this.reader.bytesOf(this.reader.length(8)));
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
        this.push(this.memoGet(this.reader.uint8()));
        return;
      case Opcode.LONG_BINGET:
        this.push(this.memoGet(this.reader.uint32()));
        return;
      case Opcode.BINPUT:
        this.memo.set(this.reader.uint8(), this.top());
        return;
      case Opcode.LONG_BINPUT:
        this.memo.set(this.reader.uint32(), this.top());
        return;
      case Opcode.MEMOIZE:
        this.memo.set(this.memo.size, this.top());
        return;

      case Opcode.GLOBAL: {
        const module = this.reader.line();
        const name = this.reader.line();
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
    const trailing = this.reader.remaining;
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
}

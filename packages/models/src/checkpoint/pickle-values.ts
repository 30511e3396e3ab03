import type { SafetensorsDType } from '@mobilemamba/core';

/**
 * Python objects as the restricted unpickler builds them. Integers are
 * numbers while they are safe integers and bigints beyond that. Strings and
 * bytes stay JavaScript strings and Uint8Arrays.
 */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleList
  | PickleTuple
  | PickleDict
  | PickleGlobal
  | StorageRecord
  | TensorRecord;

/** A Python list. */
export class PickleList {
  readonly items: PickleValue[];

  constructor(items: PickleValue[] = []) {
    this.items = items;
  }
}

/** A Python tuple. */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/**
 * A Python dict or collections.OrderedDict, in insertion order. Keys are
 * compared as JavaScript Map keys: by value for strings and numbers, by
 * identity for tuples.
 */
export class PickleDict {
  readonly entries = new Map<PickleValue, PickleValue>();

  constructor(readonly ordered: boolean) {}
}

/** The action of an allowed global when the pickle calls it or names it as a storage type. */
export type GlobalRole = 'rebuild_tensor_v2' | 'rebuild_parameter' | 'ordered_dict' | 'storage_class';

/** A global from the allow-list, such as `torch._utils._rebuild_tensor_v2`. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
    readonly role: GlobalRole,
    /** The element type, for the torch storage classes only. */
    readonly storageDType?: SafetensorsDType,
  ) {}

  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * A storage that a persistent id names: torch saves each storage's raw bytes
 * as the archive entry `<folder>/data/<key>`, holding `numel` elements.
 */
export class StorageRecord {
  constructor(
    readonly storageClass: string,
    readonly dtype: SafetensorsDType,
    readonly key: string,
    /** The device the tensor was saved from, such as 'cpu' or 'cuda:0'. It is not used. */
    readonly location: string,
    readonly numel: number,
  ) {}
}

/**
 * A tensor as `_rebuild_tensor_v2` describes it: a strided view of a storage.
 * Its values are read from the archive only for the tensors a caller selects.
 * Every element of the view lies inside the storage, checked on creation.
 */
export class TensorRecord {
  constructor(
    readonly storage: StorageRecord,
    readonly storageOffset: number,
    readonly size: readonly number[],
    readonly stride: readonly number[],
    readonly requiresGrad: boolean,
  ) {}
}

/** Python's name for the type of a value, for error messages. Never looks inside containers. */
export function pythonTypeName(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'string') return 'str';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof PickleList) return 'list';
  if (value instanceof PickleTuple) return 'tuple';
  if (value instanceof PickleDict) return value.ordered ? 'OrderedDict' : 'dict';
  if (value instanceof PickleGlobal) return value.qualifiedName;
  if (value instanceof StorageRecord) return value.storageClass;
  return 'Tensor';
}

/** Returns whether a value contains other values: a list, tuple or dict. */
export function isContainer(value: PickleValue): value is PickleList | PickleTuple | PickleDict {
  return value instanceof PickleList || value instanceof PickleTuple || value instanceof PickleDict;
}

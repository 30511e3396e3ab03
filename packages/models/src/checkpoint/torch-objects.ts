import type { SafetensorsDType } from '@mobilemamba/core';
import {
  PickleDict,
  PickleGlobal,
  PickleTuple,
  StorageRecord,
  TensorRecord,
  pythonTypeName,
  type PickleValue,
} from './pickle-values.js';

/** Throws the caller's error for a pickle that is invalid at the current opcode. */
export type Fail = (message: string) => never;

/** Torch's typed storage classes, as `torch.save` names them, with their element types. */
const STORAGE_CLASSES: Readonly<Record<string, SafetensorsDType>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

/**
 * The only globals a checkpoint pickle may name. A state_dict needs the
 * tensor rebuild functions, the storage classes and OrderedDict (the empty
 * backward-hooks argument of every tensor, and the state_dict type itself).
 * Tensor sizes and strides are plain tuples and the device is a string, so
 * torch.Size and torch.device are not needed.
 */
const ALLOWED_GLOBALS: ReadonlyMap<string, PickleGlobal> = new Map([
  ['torch._utils._rebuild_tensor_v2', new PickleGlobal('torch._utils', '_rebuild_tensor_v2', 'rebuild_tensor_v2')],
  ['torch._utils._rebuild_parameter', new PickleGlobal('torch._utils', '_rebuild_parameter', 'rebuild_parameter')],
  ['collections.OrderedDict', new PickleGlobal('collections', 'OrderedDict', 'ordered_dict')],
  ...Object.entries(STORAGE_CLASSES).map(([name, dtype]): [string, PickleGlobal] => [
    `torch.${name}`,
    new PickleGlobal('torch', name, 'storage_class', dtype),
  ]),
]);

const ALLOWED_SUMMARY = 'torch storage classes, torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter, collections.OrderedDict';

/** More dimensions than any state_dict tensor has; it bounds the size and stride tuples. */
const MAX_RANK = 32;

/** Resolves a GLOBAL or STACK_GLOBAL against the allow-list. Nothing is imported or run. */
export function resolveGlobal(module: string, name: string, fail: Fail): PickleGlobal {
  const allowed = ALLOWED_GLOBALS.get(`${module}.${name}`);
  if (!allowed) {
    fail(`global '${module}.${name}' is not allowed in a checkpoint (allowed: ${ALLOWED_SUMMARY})`);
  }
  return allowed;
}

/**
 * Resolves a BINPERSID argument, which torch.save writes as the tuple
 * ('storage', storage class, key, location, numel).
 */
export function resolvePersistentId(pid: PickleValue, fail: Fail): StorageRecord {
  if (!(pid instanceof PickleTuple) || pid.items.length !== 5 || pid.items[0] !== 'storage') {
    fail(`persistent id must be a tuple ('storage', class, key, location, numel), got ${pythonTypeName(pid)}`);
  }
  const [, storageClass, key, location, numel] = pid.items;

  if (!(storageClass instanceof PickleGlobal) || storageClass.role !== 'storage_class' || !storageClass.storageDType) {
    fail(`persistent id names ${pythonTypeName(storageClass)} where a torch storage class is expected`);
  }
  if (typeof key !== 'string' || key.length === 0) fail(`persistent id has an invalid storage key (${pythonTypeName(key)})`);
  if (typeof location !== 'string') fail(`storage '${key}' has a location of type ${pythonTypeName(location)}, not str`);
  if (!isCount(numel)) fail(`storage '${key}' has an invalid element count ${String(numel)}`);

  return new StorageRecord(storageClass.name, storageClass.storageDType, key, location, numel);
}

/** Runs REDUCE: calls an allowed global with an argument tuple. */
export function callGlobal(callable: PickleValue, args: PickleValue, fail: Fail): PickleValue {
  if (!(callable instanceof PickleGlobal)) fail(`REDUCE calls a value of type ${pythonTypeName(callable)}, which is not callable here`);
  if (!(args instanceof PickleTuple)) fail(`REDUCE arguments for ${callable.qualifiedName} must be a tuple, got ${pythonTypeName(args)}`);

  switch (callable.role) {
    case 'rebuild_tensor_v2':
      return rebuildTensorV2(args.items, fail);
    case 'rebuild_parameter':
      return rebuildParameter(args.items, fail);
    case 'ordered_dict':
      return newOrderedDict(args.items, fail);
    case 'storage_class':
      return fail(`calling ${callable.qualifiedName} is not allowed; storages come only from persistent ids`);
  }
}

/** Runs NEWOBJ (`cls.__new__(cls, *args)`), which only OrderedDict may use. */
export function newObject(cls: PickleValue, args: PickleValue, fail: Fail): PickleValue {
  if (!(cls instanceof PickleGlobal) || cls.role !== 'ordered_dict') {
    fail(`NEWOBJ on ${pythonTypeName(cls)} is not allowed; only collections.OrderedDict may be created this way`);
  }
  if (!(args instanceof PickleTuple)) fail(`NEWOBJ arguments must be a tuple, got ${pythonTypeName(args)}`);
  return newOrderedDict(args.items, fail);
}

/**
 * Runs BUILD. PyTorch sets the `_metadata` attribute of a state_dict
 * OrderedDict this way (per-module version numbers), which is not needed to
 * read the tensors, so the state is checked for shape and dropped.
 */
export function buildObject(target: PickleValue, state: PickleValue, fail: Fail): void {
  if (!(target instanceof PickleDict)) fail(`BUILD on a value of type ${pythonTypeName(target)} is not allowed; only a dict's attributes may be set`);
  const validState = state === null || state instanceof PickleDict
    || (state instanceof PickleTuple && state.items.length === 2);
  if (!validState) fail(`BUILD state for a dict must be a dict or a (dict, slots) tuple, got ${pythonTypeName(state)}`);
}

function newOrderedDict(args: readonly PickleValue[], fail: Fail): PickleDict {
  if (args.length !== 0) fail(`collections.OrderedDict is called with ${args.length} arguments; only OrderedDict() is supported`);
  return new PickleDict(true);
}

/** Runs `_rebuild_parameter(data, requires_grad, backward_hooks)`, which returns the data tensor: a Parameter needs nothing more here. */
function rebuildParameter(args: readonly PickleValue[], fail: Fail): TensorRecord {
  if (args.length !== 3) fail(`_rebuild_parameter takes 3 arguments, got ${args.length}`);
  const [data] = args;
  if (!(data instanceof TensorRecord)) fail(`_rebuild_parameter needs a tensor, got ${pythonTypeName(data)}`);
  return data;
}

/**
 * Runs `_rebuild_tensor_v2(storage, storage_offset, size, stride,
 * requires_grad, backward_hooks[, metadata])`. The view must stay inside the
 * storage: with numel > 0, offset + sum((size[i] - 1) * stride[i]) < numel.
 */
function rebuildTensorV2(args: readonly PickleValue[], fail: Fail): TensorRecord {
  if (args.length !== 6 && args.length !== 7) fail(`_rebuild_tensor_v2 takes 6 or 7 arguments, got ${args.length}`);
  const [storage, offset, size, stride, requiresGrad, hooks] = args;
  const metadata = args.length === 7 ? args[6] : null;

  if (!(storage instanceof StorageRecord)) fail(`_rebuild_tensor_v2 needs a storage, got ${pythonTypeName(storage)}`);
  if (!isCount(offset)) fail(`tensor on storage '${storage.key}' has an invalid storage offset ${String(offset)}`);
  const sizes = readIndexTuple(size, 'size', storage, fail);
  const strides = readIndexTuple(stride, 'stride', storage, fail);
  if (strides.length !== sizes.length) {
    fail(`tensor on storage '${storage.key}' has size [${sizes.join(', ')}] but stride [${strides.join(', ')}] of another rank`);
  }
  if (typeof requiresGrad !== 'boolean') fail(`tensor on storage '${storage.key}' has requires_grad of type ${pythonTypeName(requiresGrad)}`);
  if (!(hooks instanceof PickleDict)) fail(`tensor on storage '${storage.key}' has backward hooks of type ${pythonTypeName(hooks)}, not OrderedDict`);
  if (metadata !== null && !(metadata instanceof PickleDict)) {
    fail(`tensor on storage '${storage.key}' has metadata of type ${pythonTypeName(metadata)}, not dict`);
  }

  checkViewInsideStorage(storage, offset, sizes, strides, fail);
  return new TensorRecord(storage, offset, sizes, strides, requiresGrad);
}

function readIndexTuple(value: PickleValue, field: 'size' | 'stride', storage: StorageRecord, fail: Fail): number[] {
  if (!(value instanceof PickleTuple)) fail(`tensor on storage '${storage.key}' has a ${field} of type ${pythonTypeName(value)}, not tuple`);
  if (value.items.length > MAX_RANK) fail(`tensor on storage '${storage.key}' has ${value.items.length} dimensions (at most ${MAX_RANK} are supported)`);
  const numbers: number[] = [];
  for (const item of value.items) {
    // Torch forbids negative strides, and a negative size is never valid.
    if (!isCount(item)) fail(`tensor on storage '${storage.key}' has an invalid ${field} entry ${String(item)}`);
    numbers.push(item);
  }
  return numbers;
}

function checkViewInsideStorage(storage: StorageRecord, offset: number, sizes: number[], strides: number[], fail: Fail): void {
  const view = `tensor view (offset ${offset}, size [${sizes.join(', ')}], stride [${strides.join(', ')}])`;
  if (sizes.includes(0)) {
    if (offset > storage.numel) fail(`${view} starts past the end of storage '${storage.key}' (${storage.numel} elements)`);
    return;
  }

  let last = offset;
  for (let i = 0; i < sizes.length; i++) {
    last += (sizes[i] - 1) * strides[i];
    // Stop before the sum loses precision: any value this large is already out of range.
    if (!Number.isSafeInteger(last) || last >= storage.numel) {
      fail(`${view} reaches past the end of storage '${storage.key}' (${storage.numel} elements)`);
    }
  }
}

function isCount(value: PickleValue): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

import { SAFETENSORS_DTYPE_SIZES } from '@mobilemamba/core';
import { CheckpointError } from './errors.js';
import { unpickle } from './pickle.js';
import { PickleDict, TensorRecord, pythonTypeName, type PickleValue, type StorageRecord } from './pickle-values.js';
import { gatherTensor } from './strided.js';
import type { HostTensor, StateDict } from './types.js';
import { ZipArchive } from './zip.js';

/** The state_dicts of the authors' trainer checkpoint: the model, and its EMA copy. */
export type CheckpointEntry = 'net' | 'net_E';

const WRAPPER_ENTRIES: readonly CheckpointEntry[] = ['net', 'net_E'];

/**
 * Maximum total elements of the selected tensors, as a multiple of the
 * elements of every storage in the archive. Tensors that share a storage
 * (tied weights, views) rarely reach twice the storage size. A larger total
 * comes from a pickle that repeats views of one storage to multiply the work.
 */
const MAX_VIEW_EXPANSION = 4;

export interface PthContents {
  readonly stateDict: StateDict;
  /** The trainer checkpoint entry read, or undefined for a bare state_dict. */
  readonly entry?: CheckpointEntry;
}

/** A PyTorch checkpoint whose pickle has been read and checked, but none of whose storages has been inflated. */
export interface PthListing {
  /** The selected state_dict's tensors as the pickle describes them, in its key order. */
  readonly records: ReadonlyMap<string, TensorRecord>;
  /** The trainer checkpoint entry selected, or undefined for a bare state_dict. */
  readonly entry?: CheckpointEntry;
  /** Inflates the selected tensors' storages and gathers each view into float32. */
  read(): StateDict;
}

/**
 * Reads a PyTorch zip checkpoint (torch 1.6 and later): `<folder>/data.pkl`
 * contains the pickled object and `<folder>/data/<key>` each storage's raw
 * bytes, where the folder is named after the saved file. The object is a
 * state_dict, or the authors' trainer checkpoint whose 'net' (default) or
 * 'net_E' entry is one. Every storage the pickle names must exist with the
 * right size, but only the selected tensors are read and widened to float32.
 */
export function readPth(bytes: Uint8Array, source: string, requested?: CheckpointEntry): PthContents {
  const listing = openPth(bytes, source, requested);
  return { stateDict: listing.read(), entry: listing.entry };
}

/**
 * Lists the archive, reads the pickle, checks the storages' declared sizes
 * and selects the state_dict, inflating no storage. `read()` does the rest
 * of readPth, so a caller can check the tensor names and shapes first.
 */
export function openPth(bytes: Uint8Array, source: string, requested?: CheckpointEntry): PthListing {
  const fail = (message: string): never => {
    throw new CheckpointError(`${source}: ${message}`);
  };
  const archive = ZipArchive.open(bytes, source);
  const folder = findArchiveFolder(archive, fail);

  checkByteOrder(archive, folder, fail);
  const pickleName = `${folder}/data.pkl`;
  const pickleBytes = archive.extract([pickleName]).get(pickleName) as Uint8Array;
  const { root, storages } = unpickle(pickleBytes, { source: `${source}: ${pickleName}` });
  const storageElements = checkStorages(storages, archive, folder, fail);

  const { records, entry } = selectStateDict(root, requested, fail);
  checkViewExpansion(records, storageElements, fail);
  return { records, entry, read: () => readTensors(records, archive, folder) };
}

/** Returns the one folder holding a data.pkl, as torch.save names it after the file. */
function findArchiveFolder(archive: ZipArchive, fail: (message: string) => never): string {
  const folders = [...archive.entries.keys()]
    .filter((name) => /^[^/]+\/data\.pkl$/.test(name))
    .map((name) => name.slice(0, -'/data.pkl'.length));

  if (folders.length === 0) fail('the zip archive has no <folder>/data.pkl entry, so it is not a file written by torch.save');
  if (folders.length > 1) fail(`the zip archive has ${folders.length} data.pkl entries (${folders.slice(0, 4).join(', ')}); torch.save writes one`);

  const folder = folders[0];
  if (archive.entries.has(`${folder}/constants.pkl`)) {
    fail('this is a TorchScript archive (torch.jit.save); save the weights with torch.save(model.state_dict(), path) instead');
  }
  return folder;
}

/** Rejects archives whose storages are big-endian; torch 2.1 and later record this in `byteorder`. */
function checkByteOrder(archive: ZipArchive, folder: string, fail: (message: string) => never): void {
  const name = `${folder}/byteorder`;
  if (!archive.entries.has(name)) return;
  const order = new TextDecoder().decode(archive.extract([name]).get(name)).trim();
  if (order !== 'little') fail(`the storages are stored with byte order '${order}'; only 'little' is supported`);
}

/**
 * Checks that every storage the pickle names is an archive entry of
 * numel * itemsize bytes, and returns the elements of all storages.
 */
function checkStorages(
  storages: readonly StorageRecord[],
  archive: ZipArchive,
  folder: string,
  fail: (message: string) => never,
): number {
  const seen = new Map<string, StorageRecord>();
  let elements = 0;

  for (const storage of storages) {
    const previous = seen.get(storage.key);
    if (previous) {
      if (previous.dtype !== storage.dtype || previous.numel !== storage.numel) {
        fail(`storage '${storage.key}' is declared as both ${previous.storageClass}(${previous.numel}) and ${storage.storageClass}(${storage.numel})`);
      }
      continue;
    }
    seen.set(storage.key, storage);

    const name = `${folder}/data/${storage.key}`;
    const entry = archive.entries.get(name);
    if (!entry) fail(`the pickle references storage '${storage.key}', but the archive has no entry '${name}'`);
    const expected = storage.numel * SAFETENSORS_DTYPE_SIZES[storage.dtype];
    if (entry.size !== expected) {
      fail(`storage '${storage.key}' (${storage.storageClass}, ${storage.numel} elements) needs ${expected} bytes, but '${name}' has ${entry.size}`);
    }
    elements += storage.numel;
  }
  return elements;
}

/** Picks the bare state_dict, or the requested entry of a trainer checkpoint. */
function selectStateDict(
  root: PickleValue,
  requested: CheckpointEntry | undefined,
  fail: (message: string) => never,
): { records: Map<string, TensorRecord>; entry?: CheckpointEntry } {
  if (!(root instanceof PickleDict)) fail(`the pickled root object is of type ${pythonTypeName(root)}, not a dict (a state_dict or a trainer checkpoint)`);

  // A wrapper has 'net' or 'net_E' holding a dict or None; a state_dict could only hold a tensor under such a key.
  const isWrapper = WRAPPER_ENTRIES.some((key) => root.entries.has(key) && !(root.entries.get(key) instanceof TensorRecord));
  if (!isWrapper) {
    if (requested === 'net_E') fail("entry 'net_E' is not available because the file contains a bare state_dict, not a trainer checkpoint; omit the entry option");
    return { records: tensorsOf(root, 'the state_dict', fail) };
  }

  const entry = requested ?? 'net';
  if (!root.entries.has(entry)) {
    const keys = [...root.entries.keys()].slice(0, 12).map((key) => String(key)).join(', ');
    fail(`the trainer checkpoint has no '${entry}' entry (keys: ${keys})`);
  }
  const value = root.entries.get(entry) as PickleValue;
  if (value === null) {
    fail(entry === 'net_E'
      ? "'net_E' is None: the trainer saved no EMA copy, so load 'net' instead"
      : "'net' is None in the trainer checkpoint");
  }
  if (!(value instanceof PickleDict)) fail(`'${entry}' is of type ${pythonTypeName(value)}, not a state_dict dict`);
  return { records: tensorsOf(value, `'${entry}'`, fail), entry };
}

function tensorsOf(dict: PickleDict, where: string, fail: (message: string) => never): Map<string, TensorRecord> {
  const records = new Map<string, TensorRecord>();
  for (const [key, value] of dict.entries) {
    if (typeof key !== 'string') fail(`${where} has a key of type ${pythonTypeName(key)}; state_dict keys are strings`);
    if (!(value instanceof TensorRecord)) fail(`${where} maps '${key}' to a value of type ${pythonTypeName(value)}, not a tensor`);
    records.set(key, value);
  }
  return records;
}

/** Rejects a selection whose views add up to more than MAX_VIEW_EXPANSION times the storages' elements. */
function checkViewExpansion(records: Map<string, TensorRecord>, storageElements: number, fail: (message: string) => never): void {
  const unique = new Set(records.values());
  let elements = 0;
  for (const record of unique) elements += record.size.reduce((product, dim) => product * dim, 1);
  if (elements > MAX_VIEW_EXPANSION * storageElements) {
    fail(`the tensors have ${elements} elements in all, more than ${MAX_VIEW_EXPANSION} times the ${storageElements} elements of the archive's storages`);
  }
}

/**
 * Reads the selected tensors' storages and gathers each view; a record named twice is read once.
 *
 * NOTE: whole storages are inflated, so a listing that matches the model can
 * still name storages far larger than its views. Only the archive limits in
 * zip.ts bound that: 2 GiB in all, and 1 MiB plus 200 times the file size.
 */
function readTensors(records: Map<string, TensorRecord>, archive: ZipArchive, folder: string): StateDict {
  const unique = new Set(records.values());
  const entryName = (record: TensorRecord) => `${folder}/data/${record.storage.key}`;
  const files = archive.extract([...unique].map(entryName));

  const tensors = new Map<TensorRecord, HostTensor>();
  const stateDict: StateDict = new Map();
  for (const [name, record] of records) {
    let tensor = tensors.get(record);
    if (!tensor) {
      const data = gatherTensor(record, files.get(entryName(record)) as Uint8Array);
      tensor = { shape: [...record.size], data, storedDType: record.storage.dtype };
      tensors.set(record, tensor);
    }
    stateDict.set(name, tensor);
  }
  return stateDict;
}

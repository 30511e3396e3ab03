export { CheckpointError } from './errors.js';
export {
  detectCheckpointFormat,
  readStateDict,
  readStateDictFile,
  type CheckpointFormat,
  type CheckpointListing,
  type LoadedStateDict,
  type ReadStateDictOptions,
} from './load.js';
export { DEFAULT_PICKLE_LIMITS, unpickle, type PickleLimits, type UnpickledObject, type UnpickleOptions } from './pickle.js';
export {
  PickleDict,
  PickleGlobal,
  PickleList,
  PickleTuple,
  StorageRecord,
  TensorRecord,
  type PickleValue,
} from './pickle-values.js';
export { readPth, type CheckpointEntry, type PthContents } from './pth.js';
export type { HostTensor, StateDict, TensorInfo } from './types.js';
export { MAX_DEFLATE_RATIO, MAX_UNCOMPRESSED_BYTES, ZipArchive, type ZipEntry } from './zip.js';

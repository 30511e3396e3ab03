export type {
  Backend,
  BackendMemory,
  BatchNormFoldAttributes,
  BatchNormParameters,
  BinaryKernelName,
  Conv2dAttributes,
  DataHandle,
  DepthwiseConv2dAttributes,
  HaarAttributes,
  InverseHaarAttributes,
  KernelName,
  Kernels,
  KernelTensor,
  Padding4,
  SelectiveScanAttributes,
  UnaryKernelName,
} from './backend.js';
export {
  BackendUnavailableError,
  DisposedTensorError,
  InvalidArgumentError,
  MobileMambaError,
  NoBackendError,
  UnsupportedKernelError,
  describeValue,
  type BackendFailure,
} from './errors.js';
export { memory, type MemoryInfo } from './memory.js';
export {
  activeBackend,
  backendFailures,
  getBackend,
  listBackends,
  ready,
  registerBackend,
  removeBackend,
  setBackend,
  setBackendLogger,
  type BackendFactory,
  type BackendRequest,
  type BackendInfo,
} from './registry.js';
export { keep, tidy, type TidyResult } from './scope.js';
export { broadcastShapes, broadcastStrides, formatShape, shapesEqual, sizeOf, stridesOf, type Shape } from './shape.js';
export { Tensor, type DType, type Storage } from './tensor.js';
export { tensor } from './ops/creation.js';
export { conv2d, depthwiseConv2d, type Conv2dOptions, type DepthwiseConv2dOptions, type PaddingSpec } from './ops/convolution.js';
export { add, mul, relu, sigmoid, silu, softplus } from './ops/elementwise.js';
export { batchNormFold, type BatchNorm, type FoldedLayer } from './ops/fold.js';
export { concat, flip, reshape, slice, split } from './ops/layout.js';
export { globalAvgPool, layerNorm, linear } from './ops/normalization.js';
export { selectiveScan, type SelectiveScanOptions } from './ops/scan.js';
export { HAAR_TAP, dwt2d, idwt2d } from './ops/wavelet.js';
export { SAFETENSORS_DTYPE_SIZES, halfToFloat, isSafetensorsDType, toFloat32, type SafetensorsDType } from './io/dtypes.js';
export {
  TensorFileError,
  parseSafetensors,
  serializeSafetensors,
  storedToFloat32,
  type SafetensorsFile,
  type StoredTensor,
  type TensorToWrite,
} from './io/safetensors.js';
export { Random, seedFromString } from './random.js';

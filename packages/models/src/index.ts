export {
  VARIANTS,
  VARIANT_NAMES,
  isVariantName,
  nearestMultipleOf16,
  splitChannels,
  squeezeExciteWidth,
  variantConfig,
  type ChannelSplit,
  type MobileMambaConfig,
  type VariantName,
} from './architecture/config.js';
export { countMacs } from './architecture/flops.js';
export { ArchitectureMismatchError, checkAgainstListing, detectWeightForm, inferPlan, type TensorShapes } from './architecture/infer.js';
export { expectedShapes, parameterCount, type ShapeListing, type WeightForm } from './architecture/parameters.js';
export { planFromConfig, type ModelPlan, type StagePlan } from './architecture/plan.js';
export type { HostTensor, StateDict, TensorInfo } from './checkpoint/types.js';
export { INTERMEDIATE_NAMES, runNetwork, type NetworkOutputs } from './layers/network.js';
export { inferStage } from './architecture/infer.js';
export { MAX_IMAGE_SIZE, MobileMamba, checkFiniteLogits, type ModelChoice, type ModelDescription, type ModelOptions } from './model.js';
export { loadModel, type LoadModelOptions } from './load.js';
export { WeightBuilder } from './weights/build.js';
export { randomStateDict } from './weights/random.js';
export type * from './weights/types.js';
export { mobileMambaBlock, patchMerging, prelude, squeezeExcite } from './layers/blocks.js';
export { localBranch, mixer, waveletMamba } from './layers/mixer.js';
export { ss2d } from './layers/ss2d.js';
export {
  EVAL_CROP_FRACTION,
  IMAGENET_MEAN,
  IMAGENET_STD,
  ImageDecodeError,
  ImageDecoderUnavailableError,
  centerCrop,
  centerCropOffsets,
  decodeImage,
  detectImageFormat,
  evalResizeSize,
  evalTransform,
  evalTransformSteps,
  normalizeToChw,
  preprocessImageFile,
  resizeBicubic,
  roundHalfEven,
  toRgb8,
  type CropOffsets,
  type DecodeImageOptions,
  type DecodedPixels,
  type DecodedSpace,
  type EvalTransformSteps,
  type ImageFormat,
  type ImageSize,
  type PreprocessedImage,
  type RgbImage,
} from './preprocess/index.js';
export { IMAGENET_CLASSES, InvalidLabelsError, parseLabels, readLabelsFile, topK, type Prediction } from './labels/index.js';
export {
  CheckpointError,
  detectCheckpointFormat,
  readStateDict,
  readStateDictFile,
  type CheckpointEntry,
  type CheckpointFormat,
  type CheckpointListing,
  type LoadedStateDict,
  type ReadStateDictOptions,
} from './checkpoint/index.js';
export { FileReadError, readRegularFile } from './io/read-file.js';

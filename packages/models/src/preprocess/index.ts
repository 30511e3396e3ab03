export { bicubicKernel, computeAxisWeights, PRECISION_BITS, type AxisWeights } from './bicubic-weights.js';
export { centerCrop, centerCropOffsets, roundHalfEven, type CropOffsets } from './crop.js';
export { decodeImage, detectImageFormat, type DecodeImageOptions, type ImageFormat } from './decode.js';
export { ImageDecodeError, ImageDecoderUnavailableError } from './errors.js';
export { preprocessImageFile, type PreprocessedImage } from './file.js';
export type { RgbImage } from './image.js';
export { IMAGENET_MEAN, IMAGENET_STD, normalizeToChw } from './normalize.js';
export { resizeBicubic } from './resize.js';
export { toRgb8, type DecodedPixels, type DecodedSpace } from './to-rgb.js';
export {
  EVAL_CROP_FRACTION,
  evalResizeSize,
  evalTransform,
  evalTransformSteps,
  type EvalTransformSteps,
  type ImageSize,
} from './transform.js';

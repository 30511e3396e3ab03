import type { Padding4 } from '../backend.js';
import { InvalidArgumentError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { checkInteger, checkOptionKeys, checkShape, checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

/**
 * Zero padding: one number for every side, [vertical, horizontal],
 * [top, bottom, left, right], 'valid' for none, or 'same' (stride 1 only),
 * which like PyTorch puts the odd extra pixel at the bottom and right.
 */
export type PaddingSpec = number | readonly [number, number] | Padding4 | 'same' | 'valid';

export interface Conv2dOptions {
  /** One stride for both axes, or [vertical, horizontal]. Default 1. */
  stride?: number | readonly [number, number];
  /** Default 0. */
  padding?: PaddingSpec;
  /** Default 1. */
  groups?: number;
}

export type DepthwiseConv2dOptions = Omit<Conv2dOptions, 'groups'>;

function resolveStride(op: string, stride: Conv2dOptions['stride']): [number, number] {
  const pair = typeof stride === 'number' ? [stride, stride] : stride;
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new InvalidArgumentError(op, 'stride', stride, 'expected a positive integer or [vertical, horizontal]');
  }
  checkInteger(op, 'stride', pair[0], 1);
  checkInteger(op, 'stride', pair[1], 1);
  return [pair[0], pair[1]];
}

function resolvePadding(op: string, padding: PaddingSpec, kernel: [number, number], stride: [number, number]): Padding4 {
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new InvalidArgumentError(op, 'padding', padding, `'same' requires stride 1, got stride ${formatShape(stride)}`);
    }
    const [top, left] = [Math.floor((kernel[0] - 1) / 2), Math.floor((kernel[1] - 1) / 2)];
    return [top, kernel[0] - 1 - top, left, kernel[1] - 1 - left];
  }

  let sides: number[];
  if (typeof padding === 'number') sides = [padding, padding, padding, padding];
  else if (Array.isArray(padding) && padding.length === 2) sides = [padding[0], padding[0], padding[1], padding[1]];
  else if (Array.isArray(padding) && padding.length === 4) sides = [...padding];
  else {
    throw new InvalidArgumentError(op, 'padding', padding, "expected a number, [v, h], [top, bottom, left, right], 'same' or 'valid'");
  }
  sides.forEach((side) => checkInteger(op, 'padding', side, 0));
  return sides as unknown as Padding4;
}

function outputSize(op: string, x: Tensor, kernel: [number, number], stride: [number, number], padding: Padding4): [number, number] {
  const height = Math.floor((x.shape[2] + padding[0] + padding[1] - kernel[0]) / stride[0]) + 1;
  const width = Math.floor((x.shape[3] + padding[2] + padding[3] - kernel[1]) / stride[1]) + 1;
  if (height < 1 || width < 1) {
    throw new InvalidArgumentError(
      op,
      'x',
      x,
      `is too small for a ${kernel[0]}x${kernel[1]} kernel with padding ${formatShape(padding)}: the output would be ${height}x${width}`,
    );
  }
  return [height, width];
}

/**
 * Grouped 2-D convolution as PyTorch's Conv2d computes it (cross-correlation):
 * x [B, Cin, H, W], weight [Cout, Cin/groups, kh, kw], bias [Cout] or null.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  const op = 'conv2d';
  checkOptionKeys(op, options, ['stride', 'padding', 'groups']);
  checkTensor(op, 'x', x, 4);
  checkTensor(op, 'weight', weight, 4);
  const groups = checkInteger(op, 'groups', options.groups ?? 1, 1);
  const [outChannels, groupChannels, kh, kw] = weight.shape;
  if (x.shape[1] % groups !== 0 || outChannels % groups !== 0) {
    throw new InvalidArgumentError(op, 'groups', groups, `must divide both Cin (${x.shape[1]}) and Cout (${outChannels})`);
  }
  if (groupChannels * groups !== x.shape[1]) {
    throw new InvalidArgumentError(op, 'weight', weight, `expected axis 1 to be Cin/groups = ${x.shape[1] / groups}`);
  }
  if (kh < 1 || kw < 1) throw new InvalidArgumentError(op, 'weight', weight, 'has an empty kernel');
  if (bias !== null) {
    checkTensor(op, 'bias', bias, 1);
    checkShape(op, 'bias', bias, [outChannels]);
  }
  const backend = commonBackend(op, { x, weight, bias });

  const stride = resolveStride(op, options.stride ?? 1);
  const padding = resolvePadding(op, options.padding ?? 0, [kh, kw], stride);
  const [height, width] = outputSize(op, x, [kh, kw], stride, padding);
  const outShape = [x.shape[0], outChannels, height, width];

  const handle = kernelOf(backend, 'conv2d')(x, weight, bias, { stride, padding, groups }, outShape);
  return wrapHandle(backend, handle, outShape);
}

/** Depthwise 2-D convolution: weight [C, 1, kh, kw], one filter per input channel. */
export function depthwiseConv2d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: DepthwiseConv2dOptions = {},
): Tensor {
  const op = 'depthwiseConv2d';
  checkOptionKeys(op, options, ['stride', 'padding']);
  checkTensor(op, 'x', x, 4);
  checkTensor(op, 'weight', weight, 4);
  const channels = x.shape[1];
  const [kh, kw] = [weight.shape[2], weight.shape[3]];
  if (weight.shape[0] !== channels || weight.shape[1] !== 1 || kh < 1 || kw < 1) {
    throw new InvalidArgumentError(op, 'weight', weight, `expected [${channels}, 1, kh, kw] for x with ${channels} channels`);
  }
  if (bias !== null) {
    checkTensor(op, 'bias', bias, 1);
    checkShape(op, 'bias', bias, [channels]);
  }
  const backend = commonBackend(op, { x, weight, bias });

  const stride = resolveStride(op, options.stride ?? 1);
  const padding = resolvePadding(op, options.padding ?? 0, [kh, kw], stride);
  const [height, width] = outputSize(op, x, [kh, kw], stride, padding);
  const outShape = [x.shape[0], channels, height, width];

  const handle = kernelOf(backend, 'depthwiseConv2d')(x, weight, bias, { stride, padding }, outShape);
  return wrapHandle(backend, handle, outShape);
}

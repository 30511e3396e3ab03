import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkFinite, checkInteger, checkTensor, kernelOf, wrapHandle } from './validate.js';

/**
 * The Haar tap PyTorch's reference filters hold: 1/sqrt(2) rounded to
 * float32, squared in float32, which gives 0.49999997 rather than 0.5.
 */
export const HAAR_TAP = Math.fround(Math.fround(Math.SQRT1_2) * Math.fround(Math.SQRT1_2));

/**
 * Single-level 2-D Haar analysis of each channel: [B, C, H, W] to
 * [B, 4C, ceil(H/2), ceil(W/2)], where channel 4c+k is subband k of channel
 * c (k = 0 LL, 1 rows differ, 2 columns differ, 3 diagonal). Odd H or W is
 * zero-padded at the bottom or right first.
 */
export function dwt2d(x: Tensor, tap = HAAR_TAP): Tensor {
  const op = 'dwt2d';
  checkTensor(op, 'x', x, 4);
  checkFinite(op, 'tap', tap);
  const [batch, channels, height, width] = x.shape;
  if (height === 0 || width === 0) throw new InvalidArgumentError(op, 'x', x, 'has an empty spatial size');
  const backend = x.backend;

  const outShape = [batch, 4 * channels, Math.ceil(height / 2), Math.ceil(width / 2)];
  return wrapHandle(backend, kernelOf(backend, 'dwt2d')(x, { tap }), outShape);
}

/**
 * Haar synthesis, the inverse of `dwt2d`: [B, 4C, h, w] to
 * [B, C, outHeight, outWidth], where the output is 2h x 2w cropped at the
 * bottom and right. The default output size is 2h x 2w.
 */
export function idwt2d(x: Tensor, outHeight?: number, outWidth?: number, tap = HAAR_TAP): Tensor {
  const op = 'idwt2d';
  checkTensor(op, 'x', x, 4);
  checkFinite(op, 'tap', tap);
  const [batch, subbands, height, width] = x.shape;
  if (subbands % 4 !== 0) throw new InvalidArgumentError(op, 'x', x, 'axis 1 must hold 4 subbands per channel');

  const rows = outHeight ?? 2 * height;
  const columns = outWidth ?? 2 * width;
  checkInteger(op, 'outHeight', rows, Math.max(1, 2 * height - 1), 2 * height);
  checkInteger(op, 'outWidth', columns, Math.max(1, 2 * width - 1), 2 * width);
  const backend = x.backend;

  const outShape = [batch, subbands / 4, rows, columns];
  const handle = kernelOf(backend, 'idwt2d')(x, { tap, outHeight: rows, outWidth: columns });
  return wrapHandle(backend, handle, outShape);
}

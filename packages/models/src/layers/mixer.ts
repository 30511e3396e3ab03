import { add, concat, depthwiseConv2d, dwt2d, idwt2d, mul, relu, slice, type Tensor } from '@mobilemamba/core';
import type { LocalBranchWeights, MixerWeights, WaveletMambaWeights } from '../weights/types.js';
import { depthwise, pointwise } from './basic.js';
import { ss2d } from './ss2d.js';

/**
 * WTE-Mamba (the reference's MBWTConv2d with one wavelet level):
 * base_scale * SS2D(x) + IDWT(wavelet_scale * depthwise_k(DWT(x))). The
 * depthwise conv covers all four subbands with 'same' padding and no bias;
 * odd sizes are padded for the transform and cropped back after it.
 */
export function waveletMamba(x: Tensor, weights: WaveletMambaWeights): Tensor {
  const [, , height, width] = x.shape;

  const subbands = dwt2d(x, weights.haarTap);
  const filtered = depthwiseConv2d(subbands, weights.waveletConv, null, { padding: 'same' });
  const detail = idwt2d(mul(filtered, weights.waveletScale), height, width, weights.haarTap);

  const global = mul(ss2d(x, weights.ss2d), weights.baseScale);
  return add(global, detail);
}

/** MK-DeConv: depthwise k x k conv, ReLU, per-channel 1x1 conv (BatchNorms folded). */
export function localBranch(x: Tensor, weights: LocalBranchWeights): Tensor {
  return depthwise(relu(depthwise(x, weights.spatial)), weights.pointwise);
}

/**
 * The MRFFI mixer: channels split into global, local and identity parts,
 * each part through its branch, concatenated, ReLU, then a 1x1 conv.
 * Empty parts (zero channels) are skipped.
 */
export function mixer(x: Tensor, weights: MixerWeights): Tensor {
  const [batch, , height, width] = x.shape;
  const { global, local, identity } = weights.split;
  const part = (begin: number, size: number) => slice(x, [0, begin, 0, 0], [batch, size, height, width]);

  const outputs: Tensor[] = [];
  if (global > 0) outputs.push(waveletMamba(part(0, global), weights.global!));
  if (local > 0) outputs.push(localBranch(part(global, local), weights.local!));
  if (identity > 0) outputs.push(part(global + local, identity));

  const joined = outputs.length === 1 ? outputs[0] : concat(outputs, 1);
  return pointwise(relu(joined), weights.proj);
}

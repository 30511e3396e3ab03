import type { Tensor } from '@mobilemamba/core';
import type { ChannelSplit } from '../architecture/config.js';

/** A conv (or linear) layer with any BatchNorm already folded in. */
export interface FoldedConv {
  weight: Tensor;
  bias: Tensor;
}

export interface FfnWeights {
  pw1: FoldedConv;
  pw2: FoldedConv;
}

export interface Ss2dWeights {
  inProj: FoldedConv;
  /** Depthwise 3x3 conv with bias. */
  conv: FoldedConv;
  /** Per-direction x projection as a grouped 1x1 conv weight [2*(R+2N), D, 1, 1]. */
  xProj: Tensor;
  /** Per-direction dt projection as a grouped 1x1 conv weight [2*D, R, 1, 1]. */
  dtProj: Tensor;
  /** A = -exp(A_logs), [2*D, N]. */
  A: Tensor;
  /** Skip term Ds, [2*D]. */
  D: Tensor;
  /** dt_projs_bias flattened, [2*D]. */
  deltaBias: Tensor;
  outNorm: { weight: Tensor; bias: Tensor };
  outProj: FoldedConv;
  dInner: number;
  dtRank: number;
  dState: number;
}

export interface WaveletMambaWeights {
  ss2d: Ss2dWeights;
  baseScale: Tensor;
  waveletConv: Tensor;
  waveletScale: Tensor;
  /** Absolute tap of the Haar filters the checkpoint stores. */
  haarTap: number;
}

export interface LocalBranchWeights {
  /** Depthwise k x k conv. */
  spatial: FoldedConv;
  /** Per-channel 1x1 conv, run as a depthwise conv. */
  pointwise: FoldedConv;
}

export interface MixerWeights {
  split: ChannelSplit;
  global: WaveletMambaWeights | null;
  local: LocalBranchWeights | null;
  proj: FoldedConv;
}

export interface BlockWeights {
  dw0: FoldedConv;
  ffn0: FfnWeights;
  mixer: MixerWeights;
  dw1: FoldedConv;
  ffn1: FfnWeights;
}

/** Residual depthwise 3x3 Conv+BN, then residual FFN. */
export interface PreludeWeights {
  dw: FoldedConv;
  ffn: FfnWeights;
}

export interface PatchMergingWeights {
  conv1: FoldedConv;
  conv2: FoldedConv;
  se: { fc1: FoldedConv; fc2: FoldedConv };
  conv3: FoldedConv;
}

/** The downsample between two stages. */
export interface DownsampleWeights {
  before: PreludeWeights;
  merge: PatchMergingWeights;
  after: PreludeWeights;
}

export interface StageWeights {
  downsample: DownsampleWeights | null;
  blocks: BlockWeights[];
}

export interface ModelWeights {
  stem: [FoldedConv, FoldedConv, FoldedConv, FoldedConv];
  stages: [StageWeights, StageWeights, StageWeights];
  head: FoldedConv;
  headDist: FoldedConv | null;
}

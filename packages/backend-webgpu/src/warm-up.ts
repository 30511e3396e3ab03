import type { ShaderProgram } from './gpu/pipeline-cache.js';
import { broadcastBinaryProgram, sameShapeBinaryProgram } from './shaders/binary.js';
import { batchNormFoldProgram } from './shaders/batch-norm-fold.js';
import { conv2dProgram } from './shaders/conv2d.js';
import { tiledDepthwiseProgram } from './shaders/depthwise-conv2d.js';
import { NARROW_TILE, WIDE_TILE, gemmProgram } from './shaders/gemm.js';
import { dwtProgram, idwtProgram } from './shaders/haar.js';
import { globalAvgPoolProgram, layerNormProgram } from './shaders/normalization.js';
import { selectiveScanProgram } from './shaders/selective-scan.js';
import { stridedCopyProgram } from './shaders/strided-copy.js';
import { unaryProgram } from './shaders/unary.js';

/**
 * Returns the programs a MobileMamba forward pass and its weight folding
 * use. These are the depthwise convs of kernel 3, 5 and 7 (with bias in
 * the blocks, without in the wavelet branch), PatchMerging's stride-2 3x3,
 * the stem's direct conv, the GEMM for 1x1 convs and the head, and the
 * d_state 1 scan with softplus, skip and delta bias. The small kernels
 * around them complete the list. A kernel that meets any other variant
 * compiles it on first use.
 */
export function mobileMambaPrograms(): ShaderProgram[] {
  const depthwise = [3, 5, 7].flatMap((k) => [true, false].map((withBias) =>
    tiledDepthwiseProgram({ kernelHeight: k, kernelWidth: k, strideY: 1, strideX: 1 }, withBias)));
  return [
    ...(['relu', 'silu', 'sigmoid', 'softplus'] as const).map(unaryProgram),
    ...(['add', 'mul'] as const).flatMap((kind) => [sameShapeBinaryProgram(kind), broadcastBinaryProgram(kind)]),
    stridedCopyProgram(),
    ...[WIDE_TILE, NARROW_TILE].flatMap((tile) => [gemmProgram(tile, true), gemmProgram(tile, false)]),
    conv2dProgram(true),
    conv2dProgram(false),
    ...depthwise,
    tiledDepthwiseProgram({ kernelHeight: 3, kernelWidth: 3, strideY: 2, strideX: 2 }, true),
    dwtProgram(),
    idwtProgram(),
    layerNormProgram(),
    globalAvgPoolProgram(),
    selectiveScanProgram({ states: 1, softplus: true, withSkip: true, withDeltaBias: true }),
    batchNormFoldProgram(true),
    batchNormFoldProgram(false),
  ];
}

import { add, concat, conv2d, flip, layerNorm, mul, selectiveScan, silu, slice, split, type Tensor } from '@mobilemamba/core';
import type { Ss2dWeights } from '../weights/types.js';
import { depthwise, pointwise } from './basic.js';

/**
 * SS2D as MobileMamba configures it (forward type v052d, channel first,
 * two scan directions, d_state from the weights):
 *
 * 1. in_proj (1x1) to 2*D channels, split into x and z; z = SiLU(z).
 * 2. x = SiLU(depthwise 3x3 conv with bias (x)), flattened row-major to L = H*W.
 * 3. Two sequences per image: x and x reversed, stacked as 2*D channels.
 * 4. Per direction k: x_proj (D to R + 2N) gives dt, B and C; dt_proj (R to D).
 * 5. Selective scan with softplus(dt + dt_bias), A = -exp(A_logs), skip D.
 * 6. Direction 0 plus direction 1 flipped back, LayerNorm over channels,
 *    times z, then out_proj (1x1).
 */
export function ss2d(x: Tensor, weights: Ss2dWeights): Tensor {
  const [batch, , height, width] = x.shape;
  const { dInner, dtRank, dState } = weights;
  const length = height * width;

  const [xPart, zPart] = split(pointwise(x, weights.inProj), [dInner, dInner], 1);
  const z = silu(zPart);
  const sequence = silu(depthwise(xPart, weights.conv)).reshape([batch, dInner, length]);

  const xs = concat([sequence, flip(sequence, 2)], 1);
  const projected = conv2d(xs.reshape([batch, 2 * dInner, 1, length]), weights.xProj, null, { groups: 2 })
    .reshape([batch, 2, dtRank + 2 * dState, length]);
  const dtRaw = slice(projected, [0, 0, 0, 0], [batch, 2, dtRank, length]);
  const Bs = slice(projected, [0, 0, dtRank, 0], [batch, 2, dState, length]);
  const Cs = slice(projected, [0, 0, dtRank + dState, 0], [batch, 2, dState, length]);
  const delta = conv2d(dtRaw.reshape([batch, 2 * dtRank, 1, length]), weights.dtProj, null, { groups: 2 })
    .reshape([batch, 2 * dInner, length]);

  const ys = selectiveScan(xs, delta, weights.A, Bs, Cs, {
    D: weights.D,
    deltaBias: weights.deltaBias,
    deltaSoftplus: true,
  });

  const [forward, backward] = split(ys, [dInner, dInner], 1);
  const merged = add(forward, flip(backward, 2)).reshape([batch, dInner, height, width]);
  const normed = layerNorm(merged, weights.outNorm.weight, weights.outNorm.bias, 1e-5);
  return pointwise(mul(normed, z), weights.outProj);
}

import { InvalidArgumentError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkOptionKeys, checkShape, checkTensor, commonBackend, kernelOf, wrapHandle } from './validate.js';

export interface SelectiveScanOptions {
  /** Skip connection D [K*D]. */
  D?: Tensor | null;
  /** Added to delta before the optional softplus, [K*D]. */
  deltaBias?: Tensor | null;
  /** Apply softplus to delta + deltaBias. Default false. */
  deltaSoftplus?: boolean;
}

/**
 * Selective scan (the S6 recurrence of Mamba), independently per batch item
 * and channel. With d = softplus(delta + deltaBias) (or without softplus):
 * h_t = exp(d_t * A) * h_{t-1} + d_t * B_t * u_t, h_0 = 0, and
 * y_t = sum_n h_t[n] * C_t[n] + D * u_t.
 *
 * u, delta: [B, K*D, L]; A: [K*D, N]; Bs, Cs: [B, K, N, L], where channel c
 * belongs to group k = floor(c / D). Returns y [B, K*D, L].
 */
export function selectiveScan(
  u: Tensor,
  delta: Tensor,
  A: Tensor,
  Bs: Tensor,
  Cs: Tensor,
  options: SelectiveScanOptions = {},
): Tensor {
  const op = 'selectiveScan';
  checkOptionKeys(op, options, ['D', 'deltaBias', 'deltaSoftplus']);
  checkTensor(op, 'u', u, 3);
  checkTensor(op, 'delta', delta, 3);
  checkTensor(op, 'A', A, 2);
  checkTensor(op, 'Bs', Bs, 4);
  checkTensor(op, 'Cs', Cs, 4);
  const [batch, channels, length] = u.shape;
  const [groups, states] = [Bs.shape[1], A.shape[1]];

  checkShape(op, 'delta', delta, u.shape);
  checkShape(op, 'A', A, [channels, states]);
  if (groups < 1 || channels % groups !== 0) {
    throw new InvalidArgumentError(op, 'Bs', Bs, `axis 1 (K = ${groups}) must divide the ${channels} channels of u`);
  }
  checkShape(op, 'Bs', Bs, [batch, groups, states, length]);
  checkShape(op, 'Cs', Cs, [batch, groups, states, length]);

  const D = options.D ?? null;
  const deltaBias = options.deltaBias ?? null;
  if (D !== null) checkShape(op, 'D', checkTensor(op, 'D', D, 1), [channels]);
  if (deltaBias !== null) checkShape(op, 'deltaBias', checkTensor(op, 'deltaBias', deltaBias, 1), [channels]);
  const deltaSoftplus = options.deltaSoftplus ?? false;
  if (typeof deltaSoftplus !== 'boolean') {
    throw new InvalidArgumentError(op, 'deltaSoftplus', deltaSoftplus, 'expected a boolean');
  }
  const backend = commonBackend(op, { u, delta, A, Bs, Cs, D, deltaBias });

  const handle = kernelOf(backend, 'selectiveScan')(u, delta, A, Bs, Cs, D, deltaBias, { deltaSoftplus });
  return wrapHandle(backend, handle, u.shape);
}

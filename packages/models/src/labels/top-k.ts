/** One ranked class of a classification. */
export interface Prediction {
  /** The class index, the position in the logits. */
  readonly index: number;
  /** The class name from `labels`, or "class N" where `labels` has none. */
  readonly label: string;
  /** The softmax probability over all logits. */
  readonly probability: number;
  readonly logit: number;
}

/**
 * Ranks the k most probable classes of one image's logits. The softmax is
 * computed in float64 after subtracting the largest logit, so large logits
 * do not overflow. Ties keep the lower index first.
 */
export function topK(logits: ArrayLike<number>, k: number, labels: readonly string[] = []): Prediction[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max);

  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b] - logits[a] || a - b);
  return order.slice(0, Math.min(k, logits.length)).map((index) => ({
    index,
    label: labels[index] ?? `class ${index}`,
    probability: Math.exp(logits[index] - max) / sum,
    logit: logits[index],
  }));
}

/** One ranked class. */
export interface Prediction {
  readonly index: number;
  readonly label: string;
  readonly probability: number;
  readonly logit: number;
}

/** Returns the k most probable classes, with softmax probabilities computed in float64. Ties keep the lower index first. */
export function topK(logits: ArrayLike<number>, k: number, labels: readonly string[]): Prediction[] {
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

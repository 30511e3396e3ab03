import { ConformanceMismatchError, logitsBound, measureError, type HostTensor, type OutputFigures } from '../bounds.js';

/** Index of the largest value of each row of a [rows, classes] array. */
export function argmaxRows(values: ArrayLike<number>, classes: number): number[] {
  const rows = values.length / classes;
  return Array.from({ length: rows }, (_, row) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[row * classes + c] > values[row * classes + best]) best = c;
    return best;
  });
}

/**
 * Checks logits [B, classes] against the whole-model bound
 * (max |error| <= bound * max(1, max |expected|)) and that every row has the
 * same top-1 class as the expected logits.
 */
export function checkLogits(output: string, actual: HostTensor, expected: HostTensor, bound: number): OutputFigures {
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((dim, i) => dim === expected.shape[i]);
  if (!sameShape) {
    throw new ConformanceMismatchError(`${output}: shape [${actual.shape.join(', ')}] differs from the expected [${expected.shape.join(', ')}]`);
  }

  const figures = measureError(actual.values, expected.values);
  const allowed = logitsBound(figures.maxAbsReference, bound);
  if (!(figures.maxAbsError <= allowed)) {
    throw new ConformanceMismatchError(
      `${output}: max |actual - expected| = ${figures.maxAbsError.toExponential(3)} exceeds ${bound} * max(1, ${figures.maxAbsReference.toPrecision(4)}) = ${allowed.toExponential(3)}`,
    );
  }

  const classes = expected.shape[expected.shape.length - 1];
  const actualTop = argmaxRows(actual.values, classes);
  const expectedTop = argmaxRows(expected.values, classes);
  const differing = actualTop.findIndex((top, row) => top !== expectedTop[row]);
  if (differing >= 0) {
    throw new ConformanceMismatchError(
      `${output}: row ${differing} has top-1 class ${actualTop[differing]} but the reference's is ${expectedTop[differing]}`,
    );
  }
  return { output, ...figures };
}

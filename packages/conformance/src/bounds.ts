/**
 * Accuracy bounds of the suite. A per-op output passes when
 *
 *   max_i |actual_i - expected_i| <= opRelative * max_i |expected_i|
 *
 * and whole-model logits pass when
 *
 *   max_i |actual_i - expected_i| <= logits * max(1, max_i |expected_i|).
 *
 * The defaults are what float32 backends must reach. A backend that needs a
 * looser bound passes its own, states it in its README with the measured
 * figure, and is held to that.
 */
export const DEFAULT_BOUNDS = { opRelative: 1e-4, logits: 1e-3 } as const;

/** Values and shape of a tensor on the host. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** How far an output is from its expected values. */
export interface ErrorFigures {
  /** max_i |actual_i - expected_i|; Infinity where the actual value is NaN or infinite. */
  readonly maxAbsError: number;
  /** max_i |expected_i|. */
  readonly maxAbsReference: number;
  /** maxAbsError / maxAbsReference (0 when both are 0). */
  readonly relativeError: number;
  /** Flat index of the largest error. */
  readonly worstIndex: number;
}

/** The figures of one named output of a case. */
export interface OutputFigures extends ErrorFigures {
  readonly output: string;
}

/** An output of a backend is outside its bound, or has the wrong shape. */
export class ConformanceMismatchError extends Error {
  override readonly name = 'ConformanceMismatchError';
}

/** Largest absolute error allowed for a per-op output. */
export function opBound(maxAbsReference: number, opRelative: number): number {
  return opRelative * maxAbsReference;
}

/** Largest absolute error allowed for logits. */
export function logitsBound(maxAbsReference: number, logits: number): number {
  return logits * Math.max(1, maxAbsReference);
}

/** Measures the error of `actual` against `expected`, two arrays of equal length. */
export function measureError(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorFigures {
  let maxAbsError = 0;
  let maxAbsReference = 0;
  let worstIndex = 0;
  for (let i = 0; i < expected.length; i++) {
    maxAbsReference = Math.max(maxAbsReference, Math.abs(expected[i]));

    // A NaN difference would never compare greater, so count it as infinitely wrong.
    const difference = Math.abs(actual[i] - expected[i]);
    const error = Number.isNaN(difference) ? Infinity : difference;
    if (error > maxAbsError) {
      maxAbsError = error;
      worstIndex = i;
    }
  }
  const relativeError = maxAbsError === 0 ? 0 : maxAbsError / maxAbsReference;
  return { maxAbsError, maxAbsReference, relativeError, worstIndex };
}

/**
 * Checks one output against the per-op bound and returns its figures.
 * Throws ConformanceMismatchError on a shape mismatch or an error above the
 * bound. Expected values must be finite, since a non-finite reference would
 * let a backend that produces the same NaN pass.
 */
export function checkOpOutput(output: string, actual: HostTensor, expected: HostTensor, opRelative: number): OutputFigures {
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((dim, i) => dim === expected.shape[i]);
  if (!sameShape || actual.values.length !== expected.values.length) {
    throw new ConformanceMismatchError(`${output}: shape [${actual.shape.join(', ')}] differs from the expected [${expected.shape.join(', ')}]`);
  }
  const nonFinite = expected.values.findIndex((value) => !Number.isFinite(value));
  if (nonFinite >= 0) {
    throw new ConformanceMismatchError(`${output}: the expected value at index ${nonFinite} is ${expected.values[nonFinite]}, so this case is invalid`);
  }

  const figures = measureError(actual.values, expected.values);
  const allowed = opBound(figures.maxAbsReference, opRelative);
  if (!(figures.maxAbsError <= allowed)) {
    const at = figures.worstIndex;
    throw new ConformanceMismatchError(
      `${output}: max |actual - expected| = ${figures.maxAbsError.toExponential(3)} at index ${at} ` +
        `(actual ${actual.values[at]}, expected ${expected.values[at]}), ` +
        `which is ${figures.relativeError.toExponential(3)} of max |expected| = ${figures.maxAbsReference.toExponential(3)}; ` +
        `the bound is ${opRelative} of it (${allowed.toExponential(3)})`,
    );
  }
  return { output, ...figures };
}

/** Checks every expected output of a case; `actual` must hold an output of each name. */
export function checkOpOutputs(
  actual: Readonly<Record<string, HostTensor>>,
  expected: Readonly<Record<string, HostTensor>>,
  opRelative: number,
): OutputFigures[] {
  return Object.entries(expected).map(([name, values]) => {
    if (!(name in actual)) throw new ConformanceMismatchError(`${name}: the case computed no output of this name`);
    return checkOpOutput(name, actual[name], values, opRelative);
  });
}

/** Formats figures as one line, such as "out: 3.1e-7 (2.0e-8 of max |expected| 15.2)". */
export function formatFigures(figures: readonly OutputFigures[]): string {
  return figures
    .map((f) => `${f.output}: ${f.maxAbsError.toExponential(1)} (${f.relativeError.toExponential(1)} of max |expected| ${f.maxAbsReference.toPrecision(3)})`)
    .join('; ');
}

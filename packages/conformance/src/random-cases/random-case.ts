import { checkOpOutputs, ConformanceMismatchError, type HostTensor } from '../bounds.js';
import { computeOnBackend, type Computation, type ConformanceCase } from '../case.js';
import { Random, seedFromString } from '../random.js';

/** A generated case whose expected outputs come from the reference backend. */
export interface RandomCase {
  /** Stable id such as 'random/conv2d/grouped'; it also seeds the generator. */
  readonly id: string;
  readonly inputs: (random: Random) => Record<string, HostTensor>;
  readonly compute: Computation;
}

/**
 * Turns a random case into a suite case: the same inputs run on the
 * reference backend and on the backend under test, and every output must
 * agree within the per-op bound.
 */
export function randomConformanceCase(randomCase: RandomCase): ConformanceCase {
  return {
    id: randomCase.id,
    run: async (backend, context) => {
      const inputs = randomCase.inputs(new Random(seedFromString(randomCase.id)));
      const expected = await computeOnBackend(context.reference, inputs, randomCase.compute);
      for (const [name, output] of Object.entries(expected)) {
        if (!output.values.every(Number.isFinite)) {
          throw new ConformanceMismatchError(`${name}: the reference backend produced non-finite values; the generated case is invalid or the reference is wrong`);
        }
      }

      const actual = await computeOnBackend(backend, inputs, randomCase.compute);
      return checkOpOutputs(actual, expected, context.opRelative);
    },
  };
}

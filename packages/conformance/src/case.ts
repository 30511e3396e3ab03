import { tensor, tidy, type Backend, type Tensor } from '@mobilemamba/core';
import { ConformanceMismatchError, type HostTensor, type OutputFigures } from './bounds.js';

/** Settings every case runs with, besides the backend under test. */
export interface CaseContext {
  /** The per-op relative bound (see bounds.ts). */
  readonly opRelative: number;
  /** The whole-model logits bound (see bounds.ts). */
  readonly logits: number;
  /** A reference backend, for cases whose expected values it computes. */
  readonly reference: Backend;
}

/** One test of the suite. */
export interface ConformanceCase {
  /** Stable id such as 'conv2d/case3/conv2d'; the title of its test and its key in `exclude`. */
  readonly id: string;
  /** Runs the case on `backend`, throws on a mismatch and returns the figures of each output. */
  run(backend: Backend, context: CaseContext): Promise<OutputFigures[]>;
}

/** The cases of one fixture file or one random family, or the reason they cannot run. */
export type CaseGroup =
  | { readonly family: string; readonly title: string; readonly cases: readonly ConformanceCase[] }
  | { readonly family: string; readonly title: string; readonly missing: string };

/** Op calls that turn named input tensors into named output tensors. */
export type Computation = (inputs: Readonly<Record<string, Tensor>>) => Record<string, Tensor>;

/**
 * Uploads `inputs` to `backend`, runs `compute`, downloads every output and
 * disposes every tensor made on the way. Throws when the backend reports
 * more allocations afterwards than before, since that is a leak.
 */
export async function computeOnBackend(
  backend: Backend,
  inputs: Readonly<Record<string, HostTensor>>,
  compute: Computation,
): Promise<Record<string, HostTensor>> {
  const allocationsBefore = backend.memory().allocations;

  // tidy disposes the inputs and intermediates and keeps only the returned outputs.
  const outputs = tidy(() => {
    const uploaded: Record<string, Tensor> = {};
    for (const [name, host] of Object.entries(inputs)) uploaded[name] = tensor(host.values, host.shape, backend);
    return compute(uploaded);
  });

  const downloaded: Record<string, HostTensor> = {};
  try {
    for (const [name, output] of Object.entries(outputs)) {
      downloaded[name] = { shape: output.shape, values: await output.data() };
    }
  } finally {
    for (const output of Object.values(outputs)) output.dispose();
  }

  const allocationsAfter = backend.memory().allocations;
  if (allocationsAfter !== allocationsBefore) {
    throw new ConformanceMismatchError(
      `backend ${backend.name}: memory().allocations is ${allocationsAfter} after every tensor of the case was disposed, but was ${allocationsBefore} before`,
    );
  }
  return downloaded;
}

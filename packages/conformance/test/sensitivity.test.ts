import { createReferenceBackend } from '@mobilemamba/backend-reference';
import type { Backend, KernelTensor, Kernels } from '@mobilemamba/core';
import { describe, expect, it } from 'vitest';
import { ConformanceMismatchError, DEFAULT_BOUNDS, type ConformanceCase } from '../src/index.js';
import { fixtureGroups, randomGroups } from '../src/groups.js';

/** Every case of the suite, by id. */
const cases = new Map<string, ConformanceCase>(
  [...fixtureGroups({}), ...randomGroups()].flatMap((group) => ('cases' in group ? group.cases.map((c) => [c.id, c] as const) : [])),
);

function runCase(id: string, backend: Backend): Promise<unknown> {
  const conformanceCase = cases.get(id);
  if (!conformanceCase) throw new Error(`no case ${id}`);
  return conformanceCase.run(backend, { ...DEFAULT_BOUNDS, reference: createReferenceBackend() });
}

/** Returns a reference backend with some kernels replaced. A replacement may call the original kernels. */
function mutant(replace: (original: Kernels, backend: Backend) => Partial<Kernels>, overrides: Partial<Backend> = {}): Backend {
  const backend = createReferenceBackend();
  const original = backend.kernels as Kernels;
  return { ...backend, ...overrides, kernels: { ...original, ...replace(original, backend) } };
}

/** Softplus as a float32 backend computes it without PyTorch's threshold: exp overflows above 88.7. */
function naiveFloat32Softplus(x: number): number {
  return Math.fround(Math.log(1 + Math.fround(Math.exp(x))));
}

const MUTANTS: [string, Backend, string[]][] = [
  [
    'Haar subbands 1 and 2 swapped',
    mutant((original) => ({
      dwt2d: (x, attributes) => {
        const out = original.dwt2d(x, attributes) as Float32Array;
        const plane = (out.length / x.shape[0] / x.shape[1]) / 4;
        for (let c = 0; c < x.shape[0] * x.shape[1]; c++) {
          const rows = out.slice((4 * c + 1) * plane, (4 * c + 2) * plane);
          out.copyWithin((4 * c + 1) * plane, (4 * c + 2) * plane, (4 * c + 3) * plane);
          out.set(rows, (4 * c + 2) * plane);
        }
        return out;
      },
    })),
    ['wavelet_haar/case0', 'wavelet_haar/case6', 'random/haar/dwt2d-odd-size'],
  ],
  [
    'conv2d dropping its bias',
    mutant((original) => ({ conv2d: (x, weight, _bias, attributes, outShape) => original.conv2d(x, weight, null, attributes, outShape) })),
    ['conv2d/case1/conv2d', 'conv2d/case17/conv2d', 'random/conv2d/pointwise-odd-size'],
  ],
  [
    "batchNormFold folding 'before' as 'after'",
    mutant((original) => ({
      batchNormFold: (weight, bias, batchNorm, attributes) => original.batchNormFold(weight, bias, batchNorm, { ...attributes, placement: 'after' }),
    })),
    ['fuse/case4', 'fuse/case6', 'random/batchNormFold/before-linear'],
  ],
  [
    'selectiveScan with a naive float32 softplus',
    mutant((original, backend) => ({
      selectiveScan: (u, delta, A, Bs, Cs, D, deltaBias, attributes) => {
        if (!attributes.deltaSoftplus) return original.selectiveScan(u, delta, A, Bs, Cs, D, deltaBias, attributes);
        const [deltas, biases] = [delta.handle as Float32Array, deltaBias?.handle as Float32Array | undefined];
        const channels = u.shape[1];
        const length = u.shape[2];
        const steps = deltas.map((value, i) => naiveFloat32Softplus(value + (biases ? biases[Math.floor(i / length) % channels] : 0)));
        const stepTensor: KernelTensor = { shape: delta.shape, handle: backend.upload(steps, delta.shape) };
        const out = original.selectiveScan(u, stepTensor, A, Bs, Cs, D, null, { deltaSoftplus: false });
        backend.disposeData(stepTensor.handle);
        return out;
      },
    })),
    ['random/selectiveScan/large-delta-softplus', 'random/selectiveScan/exp-underflow'],
  ],
  ['flip that copies', mutant((original) => ({ flip: (x) => original.slice(x, x.shape.map(() => 0), x.shape) })), ['random/layout/flip-sequence']],
  ['disposeData that frees nothing', mutant(() => ({}), { disposeData: () => {} }), ['random/elementwise/add-same-shape']],
];

describe('suite sensitivity', () => {
  for (const [name, backend, ids] of MUTANTS) {
    for (const id of ids) {
      it(`fails ${id} on ${name}`, async () => {
        await expect(runCase(id, backend)).rejects.toThrow(ConformanceMismatchError);
      });
    }
  }

  it('passes those cases on the unmodified reference', async () => {
    const ids = new Set(MUTANTS.flatMap(([, , caseIds]) => caseIds));

    for (const id of ids) await expect(runCase(id, createReferenceBackend())).resolves.toBeDefined();
  });
});

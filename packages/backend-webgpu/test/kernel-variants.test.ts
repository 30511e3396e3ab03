import { createReferenceBackend } from '@mobilemamba/backend-reference';
import { checkOpOutput, normalTensor, Random, uniformTensor } from '@mobilemamba/conformance';
import { depthwiseConv2d, mul, selectiveScan, tensor, type Backend, type Tensor } from '@mobilemamba/core';
import { afterAll, describe, expect, it } from 'vitest';
import { skipNote, startBackend } from './helpers.js';

const started = await startBackend({ warmUp: false });
const reference = createReferenceBackend();

/** Host tensors for a case, drawn from a seeded generator. */
type Inputs = Record<string, { shape: readonly number[]; values: Float32Array }>;

/** Runs `compute` on both backends and checks the WebGPU output at the per-op bound of 1e-4. */
async function compareWithReference(inputs: Inputs, compute: (t: Record<string, Tensor>) => Tensor): Promise<void> {
  const run = async (backend: Backend) => {
    const uploaded = Object.fromEntries(Object.entries(inputs).map(([name, host]) => [name, tensor(host.values, [...host.shape], backend)]));
    const output = compute(uploaded);
    const values = await output.data();
    [output, ...Object.values(uploaded)].forEach((t) => t.dispose());
    return { shape: output.shape, values };
  };
  const expected = await run(reference);
  const actual = await run(started.backend!);
  const figures = checkOpOutput('out', actual, expected, 1e-4);
  expect(figures.maxAbsError).toBeLessThanOrEqual(1e-4 * figures.maxAbsReference);
}

// Variants the conformance suite's shapes do not reach.
describe.skipIf(started.unavailable !== null)(`kernel variants${skipNote(started)}`, () => {
  afterAll(() => started.backend?.destroy());

  it('depthwise kernel too large for the tiled shader', async () => {
    const random = new Random(1);
    const inputs = { x: normalTensor(random, [1, 2, 45, 44]), w: normalTensor(random, [2, 1, 41, 41], 0.05), b: normalTensor(random, [2]) };

    await compareWithReference(inputs, (t) => depthwiseConv2d(t.x, t.w, t.b, { padding: 'same' }));
  });

  it('depthwise stride 3 on the tiled shader', async () => {
    const random = new Random(2);
    const inputs = { x: normalTensor(random, [2, 3, 20, 17]), w: normalTensor(random, [3, 1, 5, 5], 0.2) };

    await compareWithReference(inputs, (t) => depthwiseConv2d(t.x, t.w, null, { stride: 3, padding: 2 }));
  });

  it('selective scan with no state', async () => {
    const random = new Random(3);
    const inputs = {
      u: normalTensor(random, [2, 4, 7]),
      delta: uniformTensor(random, [2, 4, 7], 0.01, 0.5),
      A: { shape: [4, 0], values: new Float32Array(0) },
      Bs: { shape: [2, 2, 0, 7], values: new Float32Array(0) },
      Cs: { shape: [2, 2, 0, 7], values: new Float32Array(0) },
      D: normalTensor(random, [4]),
    };

    await compareWithReference(inputs, (t) => selectiveScan(t.u, t.delta, t.A, t.Bs, t.Cs, { D: t.D }));
  });

  it('selective scan with three states and no softplus', async () => {
    const random = new Random(4);
    const inputs = {
      u: normalTensor(random, [1, 6, 50]),
      delta: uniformTensor(random, [1, 6, 50], 0.01, 0.5),
      A: uniformTensor(random, [6, 3], -2, -0.1),
      Bs: normalTensor(random, [1, 3, 3, 50]),
      Cs: normalTensor(random, [1, 3, 3, 50]),
      deltaBias: uniformTensor(random, [6], 0, 0.1),
    };

    await compareWithReference(inputs, (t) => selectiveScan(t.u, t.delta, t.A, t.Bs, t.Cs, { deltaBias: t.deltaBias }));
  });

  it('broadcast over five axes', async () => {
    const random = new Random(5);
    const inputs = { a: normalTensor(random, [2, 1, 3, 1, 4]), b: normalTensor(random, [5, 1, 2, 1]) };

    await compareWithReference(inputs, (t) => mul(t.a, t.b));
  });
});

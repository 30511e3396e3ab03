import { conv2d, depthwiseConv2d, type PaddingSpec } from '@mobilemamba/core';
import { checkOpOutputs, type HostTensor } from '../bounds.js';
import { computeOnBackend, type ConformanceCase } from '../case.js';
import { metaBoolean, metaNumber, type FixtureCaseMeta, type FixtureFile } from '../fixture-file.js';

/**
 * Cases of ops/conv2d.safetensors, plain nn.Conv2d runs whose metadata gives
 * Cin, Cout, groups, k, stride, pad (pixels or 'same') and bias. Every case
 * runs through conv2d; the depthwise ones (groups = Cin = Cout) also run
 * through depthwiseConv2d.
 */
export function conv2dCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.flatMap((meta) => {
    const kernels = isDepthwise(meta) ? (['conv2d', 'depthwiseConv2d'] as const) : (['conv2d'] as const);
    return kernels.map((kernel): ConformanceCase => ({
      id: `conv2d/${meta.id}/${kernel}`,
      run: async (backend, context) => {
        const named = (name: string): HostTensor => file.tensor(`${meta.id}.${name}`);
        const inputs: Record<string, HostTensor> = { x: named('x'), weight: named('weight') };
        if (metaBoolean(meta, 'bias')) inputs.bias = named('bias');
        const stride = metaNumber(meta, 'stride');
        const padding = paddingOf(meta);
        const groups = metaNumber(meta, 'groups');

        const actual = await computeOnBackend(backend, inputs, (t) => ({
          out: kernel === 'conv2d'
            ? conv2d(t.x, t.weight, t.bias ?? null, { stride, padding, groups })
            : depthwiseConv2d(t.x, t.weight, t.bias ?? null, { stride, padding }),
        }));
        return checkOpOutputs(actual, { out: named('out') }, context.opRelative);
      },
    }));
  });
}

function isDepthwise(meta: FixtureCaseMeta): boolean {
  const groups = metaNumber(meta, 'groups');
  return groups === metaNumber(meta, 'Cin') && groups === metaNumber(meta, 'Cout');
}

function paddingOf(meta: FixtureCaseMeta): PaddingSpec {
  const pad = meta.pad;
  if (pad === 'same' || typeof pad === 'number') return pad;
  throw new Error(`fixture case ${meta.id}: meta field 'pad' is ${JSON.stringify(pad)}, expected a number or 'same'`);
}

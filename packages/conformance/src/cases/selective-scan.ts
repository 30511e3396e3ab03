import { selectiveScan } from '@mobilemamba/core';
import { checkOpOutputs, type HostTensor } from '../bounds.js';
import { computeOnBackend, type ConformanceCase } from '../case.js';
import { metaBoolean, type FixtureFile } from '../fixture-file.js';

/**
 * Cases of ops/selective_scan.safetensors, made by the reference's
 * selective_scan_torch: u, delta, A, B, C, optional D and delta_bias, and
 * the expected `out`. Whether softplus applies is in each case's metadata.
 */
export function selectiveScanCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) => ({
    id: `selective_scan/${meta.id}`,
    run: async (backend, context) => {
      const named = (name: string): HostTensor => file.tensor(`${meta.id}.${name}`);
      const inputs: Record<string, HostTensor> = { u: named('u'), delta: named('delta'), A: named('A'), Bs: named('B'), Cs: named('C') };
      const D = file.optionalTensor(`${meta.id}.D`);
      const deltaBias = file.optionalTensor(`${meta.id}.delta_bias`);
      if (D) inputs.D = D;
      if (deltaBias) inputs.deltaBias = deltaBias;
      const deltaSoftplus = metaBoolean(meta, 'softplus');

      const actual = await computeOnBackend(backend, inputs, (t) => ({
        out: selectiveScan(t.u, t.delta, t.A, t.Bs, t.Cs, { D: t.D ?? null, deltaBias: t.deltaBias ?? null, deltaSoftplus }),
      }));
      return checkOpOutputs(actual, { out: named('out') }, context.opRelative);
    },
  }));
}

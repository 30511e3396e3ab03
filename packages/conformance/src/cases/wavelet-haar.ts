import { dwt2d, idwt2d } from '@mobilemamba/core';
import { checkOpOutputs, type HostTensor, type OutputFigures } from '../bounds.js';
import { computeOnBackend, type ConformanceCase } from '../case.js';
import type { FixtureCaseMeta, FixtureFile } from '../fixture-file.js';

/** Row-by-row signs of the 2x2 filters of subbands 0 (LL) to 3, as the kernels apply them. */
const SUBBAND_SIGNS = [
  [1, 1, 1, 1],
  [1, 1, -1, -1],
  [1, -1, 1, -1],
  [1, -1, -1, 1],
];

/**
 * Cases of ops/wavelet_haar.safetensors. Which transform a case checks
 * follows from the tensors it holds:
 * - `wt_out`: analysis of `x` (odd sizes zero-padded), stored [B, C, 4, h, w];
 * - `iwt_of_wt_out`: synthesis of `wt_out`, 2h x 2w;
 * - `iwt_out`: synthesis of `x` [B, C, 4, h, w];
 * - `iwt_cropped`: synthesis of `wt_out`, cropped back to the size of `x`.
 * The Haar tap is read from the case's filters, after checking that they
 * have the subband layout the kernels assume.
 */
export function waveletHaarCases(file: FixtureFile): ConformanceCase[] {
  return file.cases.map((meta) => ({
    id: `wavelet_haar/${meta.id}`,
    run: async (backend, context) => {
      const named = (name: string): HostTensor => file.tensor(`${meta.id}.${name}`);
      const tap = tapOfFilters(meta, named('rec_filters'));
      if (file.has(`${meta.id}.dec_filters`)) tapOfFilters(meta, named('dec_filters'));
      const figures: OutputFigures[] = [];

      if (file.has(`${meta.id}.wt_out`)) {
        const actual = await computeOnBackend(backend, { x: named('x') }, (t) => ({ wt_out: dwt2d(t.x, tap) }));
        figures.push(...checkOpOutputs(actual, { wt_out: subbandsAsChannels(named('wt_out')) }, context.opRelative));
      }

      for (const output of ['iwt_of_wt_out', 'iwt_out', 'iwt_cropped']) {
        if (!file.has(`${meta.id}.${output}`)) continue;
        const expected = named(output);
        const source = output === 'iwt_out' ? named('x') : named('wt_out');
        const [height, width] = expected.shape.slice(2);
        const actual = await computeOnBackend(backend, { bands: subbandsAsChannels(source) }, (t) => ({
          [output]: idwt2d(t.bands, height, width, tap),
        }));
        figures.push(...checkOpOutputs(actual, { [output]: expected }, context.opRelative));
      }
      return figures;
    },
  }));
}

/** Views [B, C, 4, h, w] as [B, 4C, h, w]: subband k of channel c becomes channel 4c + k. */
function subbandsAsChannels(tensor: HostTensor): HostTensor {
  const [batch, channels, subbands, height, width] = tensor.shape;
  return { shape: [batch, channels * subbands, height, width], values: tensor.values };
}

/**
 * Returns the tap s of a [4C, 1, 2, 2] filter bank after checking that
 * filter 4c + k is s times the signs of subband k. Throws when the fixture
 * disagrees with that layout, because every kernel relies on it.
 */
function tapOfFilters(meta: FixtureCaseMeta, filters: HostTensor): number {
  const tap = Math.abs(filters.values[0]);
  for (let i = 0; i < filters.values.length; i++) {
    const subband = Math.floor(i / 4) % 4;
    const expected = tap * SUBBAND_SIGNS[subband][i % 4];
    if (filters.values[i] !== expected) {
      throw new Error(`wavelet_haar ${meta.id}: filter value ${filters.values[i]} at index ${i} is not ${expected}, so the fixture's Haar layout differs from the one the kernels assume`);
    }
  }
  return tap;
}

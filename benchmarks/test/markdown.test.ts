import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown.js';
import { sampleReport } from './report-fixture.js';

const LINKS = { readme: 'README.md', chart: 'results/run.svg', json: 'results/run.json' };

describe('renderMarkdown', () => {
  it('names the machine id and the SIMD peak', () => {
    const markdown = renderMarkdown(sampleReport(), LINKS);

    expect(markdown).toContain('whose id `test-cpu-4c` names the output files');
    expect(markdown).toContain('40 GFLOP/s on 1 thread and 150 GFLOP/s on 4 threads at once');
    expect(markdown).toContain('The probe runs test kernel.');
  });

  it('gives the reason for a missing SIMD peak', () => {
    const markdown = renderMarkdown(sampleReport({ simd_peak: null, simd_peak_error: 'no SIMD in this engine' }), LINKS);

    expect(markdown).toContain('WebAssembly SIMD peak: not measured (no SIMD in this engine).');
  });

  it('embeds the chart', () => {
    expect(renderMarkdown(sampleReport(), LINKS)).toMatch(/^!\[[^\]]+\]\(results\/run\.svg\)$/m);
  });

  it('gives median and spread on each row', () => {
    const markdown = renderMarkdown(sampleReport(), LINKS);

    expect(markdown).toContain('| cpu | T2 | [1, 3, 192, 192] | 18.0 | 16.2-19.8 | 10 |');
    // A single sample has no spread.
    expect(markdown).toContain('| webgpu on llvmpipe (software) | T2 | [1, 3, 192, 192] | 4400 | - | 1 |');
  });
});

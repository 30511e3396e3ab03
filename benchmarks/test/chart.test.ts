import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { renderChart } from '../src/chart/chart.js';
import type { RunReport } from '../src/report.js';
import { row, sampleReport } from './report-fixture.js';

/** Parses the SVG and fails on any XML error or warning. */
function parseSvg(svg: string): Document {
  const problems: string[] = [];
  const document = new DOMParser({ onError: (level, message) => problems.push(`${level}: ${message}`) }).parseFromString(svg, 'image/svg+xml');
  expect(problems).toEqual([]);
  return document;
}

function render(report: RunReport): Document {
  return parseSvg(renderChart(report, { json: 'run.json' }));
}

function elements(root: Document | Element, tag: string, className?: string): Element[] {
  return Array.from(root.getElementsByTagName(tag)).filter((element) => className === undefined || element.getAttribute('class') === className);
}

function panel(document: Document, id: string): Element {
  const found = elements(document, 'g').find((element) => element.getAttribute('class') === `panel ${id}`);
  expect(found, `panel ${id}`).toBeDefined();
  return found!;
}

/** Lists a panel's bars as "group | series | value". */
function bars(document: Document, id: string): string[] {
  return elements(panel(document, id), 'rect', 'bar').map(
    (bar) => `${bar.getAttribute('data-group')} | ${bar.getAttribute('data-series')} | ${bar.getAttribute('data-value')}`,
  );
}

describe('renderChart', () => {
  it('writes a well-formed SVG document', () => {
    const document = render(sampleReport());
    const root = document.documentElement!;

    expect(root.tagName).toBe('svg');
    expect(root.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(root.getAttribute('width')).toBe('1200');
    expect(root.getAttribute('viewBox')).toBe(`0 0 1200 ${root.getAttribute('height')}`);
  });

  it('names machine and date in the title', () => {
    const document = render(sampleReport());
    const title = elements(document, 'title')[0].textContent;

    expect(title).toContain('Test CPU <Model> & Co');
    expect(title).toContain('4 logical cores');
    expect(title).toContain('2026-12-04');
  });

  it('draws a latency bar per model row plus T2 anchors', () => {
    expect(bars(render(sampleReport()), 'latency')).toEqual([
      'T2, batch 1 | cpu | 18',
      'T2, batch 1 | webgpu on llvmpipe (software) | 600',
      'T2, batch 1 | onnxruntime-node 1 thread | 44',
      'T2, batch 1 | pytorch-quoted | 25',
      'T2, batch 8 | cpu | 100',
      'T2, batch 8 | webgpu on llvmpipe (software) | 4400',
    ]);
  });

  it('draws per-op bars without tf.matMul', () => {
    expect(bars(render(sampleReport()), 'throughput')).toEqual([
      'conv1x1-256 | cpu | 40',
      'conv1x1-256 | webgpu on llvmpipe (software) | 2',
      'conv1x1-256 | tfjs-wasm | 20',
      'stem1 | cpu | 40',
      'stem1 | webgpu on llvmpipe (software) | 0.6667',
    ]);
  });

  it('uses a log scale for a wide range', () => {
    const document = render(sampleReport());
    const latency = elements(panel(document, 'latency'), 'rect', 'bar');
    const y = (value: string) => Number(latency.find((bar) => bar.getAttribute('data-value') === value)!.getAttribute('y'));
    const bottom = (value: string) => {
      const bar = latency.find((candidate) => candidate.getAttribute('data-value') === value)!;
      return Number(bar.getAttribute('y')) + Number(bar.getAttribute('height'));
    };

    // 18 ms to 4400 ms spans more than two decades, so distances on the axis follow the logarithm of the ratio.
    expect(y('18')).toBeGreaterThan(y('100'));
    expect((y('18') - y('100')) / (y('100') - y('4400'))).toBeCloseTo(Math.log(100 / 18) / Math.log(4400 / 100), 2);
    expect(bottom('18')).toBeCloseTo(bottom('4400'), 1);
    const text = Array.from(panel(document, 'latency').getElementsByTagName('text')).map((element) => element.textContent);
    expect(text).toContain('ms per forward pass, log scale');
  });

  it('draws the SIMD peak lines at their values', () => {
    const report = sampleReport();
    // A cpu op at exactly the all-threads peak must reach the line.
    report.rows[0] = { ...report.rows[0], gflops: 150 };
    const document = render(report);
    const lines = elements(panel(document, 'throughput'), 'line', 'reference-line');

    expect(lines.map((line) => line.getAttribute('data-value'))).toEqual(['150', '40']);
    const peakY = Number(lines[0].getAttribute('y1'));
    const oneThreadY = Number(lines[1].getAttribute('y1'));
    expect(oneThreadY).toBeGreaterThan(peakY);

    const atPeak = elements(panel(document, 'throughput'), 'rect', 'bar').find((bar) => bar.getAttribute('data-value') === '150')!;
    expect(Number(atPeak.getAttribute('y'))).toBeCloseTo(peakY, 1);

    const labels = elements(panel(document, 'throughput'), 'text', 'reference-label').map((label) => label.textContent);
    expect(labels).toEqual(['SIMD peak, 4 threads: 150 GFLOP/s', 'SIMD peak, 1 thread: 40 GFLOP/s']);
  });

  it('omits the peak lines without a probe', () => {
    const document = render(sampleReport({ simd_peak: null, simd_peak_error: 'no SIMD in this engine' }));
    const throughput = panel(document, 'throughput');

    expect(elements(throughput, 'line', 'reference-line')).toHaveLength(0);
    const notes = Array.from(throughput.getElementsByTagName('text')).map((element) => element.textContent ?? '');
    expect(notes.some((note) => note.includes('no SIMD in this engine'))).toBe(true);
  });

  it('draws whiskers only for several samples', () => {
    const document = render(sampleReport());
    const whiskers = elements(panel(document, 'latency'), 'path', 'spread');

    // Six latency bars: the quoted PyTorch time and webgpu T2 at batch 8 (one run) have no spread.
    expect(whiskers).toHaveLength(4);
  });

  it('uses a linear scale for a narrow range', () => {
    const report = sampleReport({
      rows: [row('models', 'cpu', 't2', 18, { batch: 1 }), row('models', 'reference', 't2', 30, { batch: 1 })],
    });
    const latency = panel(render(report), 'latency');
    const text = Array.from(latency.getElementsByTagName('text')).map((element) => element.textContent);

    expect(text).toContain('ms per forward pass');
    expect(text).toContain('0');
  });

  it('shows a message for an empty report', () => {
    const document = render(sampleReport({ rows: [] }));

    expect(elements(document, 'rect', 'bar')).toHaveLength(0);
    const text = Array.from(document.getElementsByTagName('text')).map((element) => element.textContent ?? '');
    expect(text.some((line) => line.startsWith('Not run: no per-op rows'))).toBe(true);
    expect(text.some((line) => line.startsWith('Not run: no whole-model rows'))).toBe(true);
  });
});

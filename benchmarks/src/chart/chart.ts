import { backendLabel, formatMs } from '../format.js';
import { PYTORCH_T2_QUOTE, type ReportRow, type RunReport } from '../report.js';
import { renderBarPanel, type Bar, type BarGroup, type BarPanelSpec, type ReferenceLine, type Series } from './bar-panel.js';
import { element, escapeXml, textElement } from './svg.js';

const WIDTH = 1200;
const MARGIN = 24;
const PANEL_GAP = 28;

/** Colours of the known backends and anchors; others take the spare colours in turn. */
const COLOURS: Record<string, string> = {
  cpu: '#1f77b4',
  reference: '#ff7f0e',
  webgpu: '#2ca02c',
  webgl: '#9467bd',
  'tfjs-wasm': '#8c564b',
  'onnxruntime-node 1 thread': '#5f5f5f',
  'onnxruntime-node 2 threads': '#939393',
  'onnxruntime-web wasm 1 thread': '#c2c2c2',
};
const SPARE_COLOURS = ['#17becf', '#bcbd22', '#e377c2', '#7f7f00'];

/** Series key of the quoted PyTorch time, which is no row of the report. */
const PYTORCH_KEY = 'pytorch-quoted';
/** The TensorFlow.js op that computes the same convolution as our op case; tf.matMul repeats the 1x1 convs. */
const TFJS_SKIPPED_OP = 'tf.matMul';

/** Collects series in order of first use and gives each a colour. */
class SeriesList {
  readonly series: Series[] = [];
  private spare = 0;

  add(key: string, label: string, colourKey: string): string {
    if (!this.series.some((entry) => entry.key === key)) {
      const fill = COLOURS[colourKey] ?? SPARE_COLOURS[this.spare++ % SPARE_COLOURS.length];
      this.series.push({ key, label, fill });
    }
    return key;
  }

  addQuoted(key: string, label: string): string {
    if (!this.series.some((entry) => entry.key === key)) this.series.push({ key, label, fill: '#ffffff', stroke: '#555555', dashed: true });
    return key;
  }
}

/** Returns the whisker of a time, or none for a single sample. */
function timeSpread(row: ReportRow): Pick<Bar, 'low' | 'high'> {
  return row.runs > 1 ? { low: row.min_ms, high: row.max_ms } : {};
}

function describeTime(row: ReportRow): string {
  const spread = row.runs > 1 ? `, ${formatMs(row.min_ms)} to ${formatMs(row.max_ms)} ms` : '';
  return `median ${formatMs(row.median_ms)} ms over ${row.runs} run${row.runs === 1 ? '' : 's'}${spread}`;
}

/**
 * Builds the latency panel: one group per model and batch size, one bar per
 * backend. T2 at batch 1 also gets the anchors that ran it and the quoted
 * PyTorch time, because the anchors run that case only.
 */
function latencyPanel(report: RunReport): BarPanelSpec {
  const list = new SeriesList();
  const models = report.rows.filter((row) => row.section === 'models' && row.batch !== undefined);
  const anchors = report.rows.filter((row) => row.section === 'anchors' && row.case === 't2');

  const caseOrder = [...new Set(models.map((row) => row.case))];
  const keys = [...new Set(models.map((row) => `${row.case}/${row.batch}`))];
  if (anchors.length > 0 && !keys.includes('t2/1')) keys.unshift('t2/1');
  const order = (key: string) => {
    const [variant, batch] = key.split('/');
    const index = caseOrder.indexOf(variant);
    return (index === -1 ? -1 : index) * 1e6 + Number(batch);
  };
  keys.sort((a, b) => order(a) - order(b));

  const groups: BarGroup[] = keys.map((key) => {
    const [variant, batchText] = key.split('/');
    const batch = Number(batchText);
    const label = `${variant.toUpperCase()}, batch ${batch}`;
    const bars: Bar[] = models
      .filter((row) => row.case === variant && row.batch === batch)
      .map((row) => ({
        series: list.add(backendLabel(row), backendLabel(row), row.backend),
        value: row.median_ms,
        ...timeSpread(row),
        tooltip: `${backendLabel(row)}, ${label}: ${describeTime(row)}`,
        valueLabel: formatMs(row.median_ms),
      }));

    if (key === 't2/1') {
      for (const row of anchors) {
        bars.push({
          series: list.add(row.backend, row.backend, row.backend),
          value: row.median_ms,
          ...timeSpread(row),
          tooltip: `${row.backend} (${row.notes ?? 'anchor'}), ${label}: ${describeTime(row)}`,
          valueLabel: formatMs(row.median_ms),
        });
      }
      bars.push({
        series: list.addQuoted(PYTORCH_KEY, `PyTorch, quoted (${PYTORCH_T2_QUOTE.median_ms} ms, not run here)`),
        value: PYTORCH_T2_QUOTE.median_ms,
        tooltip: `${PYTORCH_T2_QUOTE.runtime}: median ${PYTORCH_T2_QUOTE.median_ms} ms, quoted from ${PYTORCH_T2_QUOTE.source}, not measured by this run`,
        valueLabel: formatMs(PYTORCH_T2_QUOTE.median_ms),
      });
    }
    return { label, bars };
  });

  return {
    id: 'latency',
    title: 'Whole-model latency per backend (lower is better)',
    notes: [
      'Median time of one forward pass with the logits read back; whiskers span the fastest and slowest sample. Seeded random weights.',
      'T2 at batch 1 also shows the anchors: onnxruntime on the ONNX export of T2 (batch fixed at 1), and PyTorch as quoted, not run here.',
    ],
    axisLabel: 'ms per forward pass',
    series: list.series,
    groups,
    lines: [],
    valueLabels: true,
    emptyMessage: 'Not run: no whole-model rows and no T2 anchor rows in this report.',
  };
}

/** Returns GFLOP/s at the slowest and fastest sample, as the whisker of a throughput bar. */
function throughputSpread(row: ReportRow): Pick<Bar, 'low' | 'high'> {
  if (row.runs <= 1 || row.flops === null) return {};
  return { low: row.flops / (row.max_ms * 1e6), high: row.flops / (row.min_ms * 1e6) };
}

/**
 * Builds the per-op panel: one group per op case, one bar per backend and
 * for TensorFlow.js, and the measured SIMD peak as two lines.
 */
function throughputPanel(report: RunReport): BarPanelSpec {
  const list = new SeriesList();
  const ops = report.rows.filter((row) => row.section === 'ops' && row.gflops !== null);
  const tfjs = report.rows.filter((row) => row.section === 'anchors' && row.case !== 't2' && row.op !== TFJS_SKIPPED_OP && row.gflops !== null);
  const cases = [...new Set(ops.map((row) => row.case))];

  const groups: BarGroup[] = cases.map((opCase) => {
    const rows = [...ops.filter((row) => row.case === opCase), ...tfjs.filter((row) => row.case === opCase)];
    const bars = rows.map((row) => {
      const label = row.section === 'anchors' ? `${row.backend} (tf.conv2d, tf.depthwiseConv2d)` : backendLabel(row);
      return {
        series: list.add(row.section === 'anchors' ? row.backend : backendLabel(row), label, row.backend),
        value: row.gflops!,
        ...throughputSpread(row),
        tooltip: `${row.op ?? backendLabel(row)}, ${opCase} ${row.shape}: ${row.gflops} GFLOP/s at the ${describeTime(row)}`,
      };
    });
    return { label: opCase, bars };
  });

  const lines: ReferenceLine[] = [];
  const peak = report.simd_peak;
  if (peak) {
    lines.push({ value: peak.one_thread_gflops, label: `SIMD peak, 1 thread: ${peak.one_thread_gflops} GFLOP/s`, color: '#8b0000', dash: '2 3' });
    if (peak.threads > 1) {
      lines.push({ value: peak.all_threads_gflops, label: `SIMD peak, ${peak.threads} threads: ${peak.all_threads_gflops} GFLOP/s`, color: '#d62728', dash: '8 4' });
    }
  }
  const peakNote = peak
    ? `Red lines: WebAssembly SIMD peak measured at the start of this run (f32x4 mul and add on 12 independent chains, 1 FLOP per lane each). The cpu backend runs on ${peak.threads} threads, one per logical core.`
    : `No SIMD peak line: the probe did not run (${report.simd_peak_error ?? 'no reason recorded'}).`;

  return {
    id: 'throughput',
    title: 'Per-op throughput per backend (higher is better)',
    notes: ['GFLOP/s at the median time, 2 FLOPs per multiply-add; whiskers span the slowest and fastest sample. Op shapes are those of T2 at batch 1.', peakNote],
    axisLabel: 'GFLOP/s',
    series: list.series,
    groups,
    lines,
    valueLabels: false,
    emptyMessage: 'Not run: no per-op rows in this report.',
  };
}

/**
 * Renders the chart of a run as a standalone SVG document: whole-model
 * latency per backend and model, then per-op GFLOP/s per backend against
 * the measured SIMD peak. `links.json` names the run's JSON file in the
 * subtitle.
 */
export function renderChart(report: RunReport, links: { json: string }): string {
  const { machine } = report;
  const date = report.generated_at.slice(0, 10);
  const title = `MobileMamba benchmarks: ${machine.cpu}, ${machine.cores} logical cores, ${date}`;
  const activity = report.cpu_activity
    ? `cores ${report.cpu_activity.all_percent}% busy during the run, ${report.cpu_activity.other_processes_percent}% by other processes`
    : `load average ${report.load_average.start} to ${report.load_average.end}`;
  const subtitle = `Machine id ${machine.id}; Node ${machine.node}, ${machine.os}; ${activity}. Data: ${links.json}`;

  const parts = [
    textElement(title, { x: MARGIN, y: MARGIN + 18, 'font-size': 19, 'font-weight': 'bold' }),
    textElement(subtitle, { x: MARGIN, y: MARGIN + 38, 'font-size': 12, fill: '#555' }),
  ];
  let y = MARGIN + 62;
  for (const spec of [latencyPanel(report), throughputPanel(report)]) {
    const panel = renderBarPanel(spec, { x: MARGIN, y, width: WIDTH - 2 * MARGIN });
    parts.push(panel.svg);
    y += panel.height + PANEL_GAP;
  }
  const height = Math.ceil(y - PANEL_GAP + MARGIN);

  const root = element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: WIDTH,
      height,
      viewBox: `0 0 ${WIDTH} ${height}`,
      role: 'img',
      'font-family': "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif",
    },
    [element('title', {}, escapeXml(title)), element('rect', { width: '100%', height: '100%', fill: '#ffffff' }), ...parts],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

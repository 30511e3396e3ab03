import { chooseScale, type ValueScale } from './scale.js';
import { element, escapeXml, textElement, textWidth } from './svg.js';

/** One series of bars, such as a backend, with its legend entry and colours. */
export interface Series {
  key: string;
  label: string;
  fill: string;
  stroke?: string;
  /** Draws the outline dashed, for a figure that was quoted rather than measured. */
  dashed?: boolean;
}

/** One bar: a value, its spread as a whisker, and the text shown on hover. */
export interface Bar {
  series: string;
  value: number;
  /** Ends of the whisker; no whisker unless both are set and differ. */
  low?: number;
  high?: number;
  tooltip: string;
  /** Text above the bar when the panel shows value labels. */
  valueLabel?: string;
}

/** The bars of one category, such as one model at one batch size. */
export interface BarGroup {
  label: string;
  bars: Bar[];
}

/** A horizontal line across the plot, such as a measured peak. */
export interface ReferenceLine {
  value: number;
  label: string;
  color: string;
  /** SVG stroke-dasharray of the line. */
  dash: string;
}

/** Everything one panel shows. */
export interface BarPanelSpec {
  /** Class of the panel's group element, for styling and tests. */
  id: string;
  title: string;
  /** Lines of smaller text under the title. */
  notes: string[];
  /** Title of the value axis, with its unit. */
  axisLabel: string;
  series: Series[];
  groups: BarGroup[];
  lines: ReferenceLine[];
  valueLabels: boolean;
  /** Shown in place of the plot when there are no groups. */
  emptyMessage: string;
}

/** Position and width that the caller gives a panel; the panel returns its own height. */
export interface PanelBox {
  x: number;
  y: number;
  width: number;
}

const FONT_SIZE = 12;
const TITLE_SIZE = 15;
const NOTE_SIZE = 11.5;
const VALUE_LABEL_SIZE = 10;
const GROUP_LABEL_SIZE = 11;
/** Space left of the plot for the tick labels and the axis title. */
const AXIS_WIDTH = 66;
const RIGHT_MARGIN = 12;
const PLOT_HEIGHT = 300;
const MAX_BAR_WIDTH = 30;
const BAR_GAP = 2;
const MIN_GROUP_GAP = 12;
const LEGEND_ROW = 19;
/** Angle of group labels that do not fit under their group. */
const LABEL_ANGLE = 45;

/** Lays out the legend of the series in use, wrapping its rows at the panel's width. */
function renderLegend(series: readonly Series[], box: PanelBox, top: number): { svg: string[]; bottom: number } {
  const svg: string[] = [];
  let x = box.x + AXIS_WIDTH;
  let y = top;
  for (const entry of series) {
    const width = 18 + textWidth(entry.label, FONT_SIZE) + 22;
    if (x + width > box.x + box.width && x > box.x + AXIS_WIDTH) {
      x = box.x + AXIS_WIDTH;
      y += LEGEND_ROW;
    }
    svg.push(
      element('rect', {
        class: 'legend-swatch',
        x,
        y: y - 10,
        width: 12,
        height: 12,
        fill: entry.fill,
        stroke: entry.stroke ?? entry.fill,
        'stroke-dasharray': entry.dashed ? '3 2' : undefined,
      }),
      textElement(entry.label, { x: x + 18, y, 'font-size': FONT_SIZE }),
    );
    x += width;
  }
  return { svg, bottom: y + 8 };
}

/** Draws the grid lines, tick labels, axis line and axis title. */
function renderAxis(scale: ValueScale, spec: BarPanelSpec, box: PanelBox, plotLeft: number, plotRight: number, plotBottom: number): string[] {
  const svg: string[] = [];
  for (const tick of scale.ticks) {
    const y = scale.y(tick.value);
    svg.push(element('line', { x1: plotLeft, x2: plotRight, y1: y, y2: y, stroke: tick.major ? '#cfcfcf' : '#ececec', 'stroke-width': 1 }));
    if (tick.label) {
      svg.push(textElement(tick.label, { x: plotLeft - 6, y: y + 4, 'font-size': FONT_SIZE - 1, 'text-anchor': 'end', fill: '#444' }));
    }
  }
  const domainTop = scale.y(scale.domain[1]);
  svg.push(element('line', { x1: plotLeft, x2: plotLeft, y1: domainTop, y2: plotBottom, stroke: '#888' }));
  svg.push(element('line', { x1: plotLeft, x2: plotRight, y1: plotBottom, y2: plotBottom, stroke: '#888' }));

  const middle = (domainTop + plotBottom) / 2;
  const titleX = box.x + 14;
  const axisTitle = `${spec.axisLabel}${scale.kind === 'log' ? ', log scale' : ''}`;
  svg.push(textElement(axisTitle, { x: titleX, y: middle, 'font-size': FONT_SIZE, 'text-anchor': 'middle', transform: `rotate(-90 ${titleX} ${Math.round(middle)})` }));
  return svg;
}

/** Draws one bar with its whisker and value label. */
function renderBar(bar: Bar, series: Series, scale: ValueScale, x: number, width: number, plotBottom: number, group: string, valueLabels: boolean): string[] {
  const top = scale.y(bar.value);
  const svg = [
    element(
      'rect',
      {
        class: 'bar',
        'data-series': series.key,
        'data-group': group,
        'data-value': String(bar.value),
        x,
        y: top,
        width,
        height: Math.max(0, plotBottom - top),
        fill: series.fill,
        stroke: series.stroke ?? 'none',
        'stroke-dasharray': series.dashed ? '3 2' : undefined,
      },
      element('title', {}, escapeXml(bar.tooltip)),
    ),
  ];

  const center = x + width / 2;
  let labelBase = top;
  if (bar.low !== undefined && bar.high !== undefined && bar.high > bar.low) {
    const high = scale.y(bar.high);
    const low = scale.y(bar.low);
    const cap = Math.min(width / 2, 6) / 2;
    svg.push(
      element('path', {
        class: 'spread',
        d: `M${center.toFixed(1)} ${high.toFixed(1)}V${low.toFixed(1)}M${(center - cap).toFixed(1)} ${high.toFixed(1)}H${(center + cap).toFixed(1)}M${(center - cap).toFixed(1)} ${low.toFixed(1)}H${(center + cap).toFixed(1)}`,
        stroke: '#222',
        'stroke-width': 1,
        fill: 'none',
      }),
    );
    labelBase = Math.min(labelBase, high);
  }

  if (valueLabels && bar.valueLabel) {
    // A label wider than its bar is drawn vertically, so that neighbouring labels do not overlap.
    const fits = textWidth(bar.valueLabel, VALUE_LABEL_SIZE) + 2 <= width;
    const y = labelBase - 4;
    svg.push(
      fits
        ? textElement(bar.valueLabel, { class: 'value-label', x: center, y, 'font-size': VALUE_LABEL_SIZE, 'text-anchor': 'middle' })
        : textElement(bar.valueLabel, {
            class: 'value-label',
            x: center + 3.5,
            y,
            'font-size': VALUE_LABEL_SIZE,
            transform: `rotate(-90 ${(center + 3.5).toFixed(1)} ${y.toFixed(1)})`,
          }),
    );
  }
  return svg;
}

/**
 * Draws the reference lines over the bars, each labelled at its right end.
 * A label that would overlap the one above it goes under its line.
 */
function renderLines(lines: readonly ReferenceLine[], scale: ValueScale, plotLeft: number, plotRight: number): string[] {
  const svg: string[] = [];
  const placed = lines.map((line) => ({ line, y: scale.y(line.value) })).sort((a, b) => a.y - b.y);
  let previousLabel = -Infinity;
  for (const { line, y } of placed) {
    svg.push(
      element('line', {
        class: 'reference-line',
        'data-value': String(line.value),
        x1: plotLeft,
        x2: plotRight,
        y1: y,
        y2: y,
        stroke: line.color,
        'stroke-width': 1.5,
        'stroke-dasharray': line.dash,
      }),
    );
    const labelY = y - 4 - previousLabel < NOTE_SIZE + 2 ? y + NOTE_SIZE + 2 : y - 4;
    previousLabel = labelY;
    svg.push(
      textElement(line.label, {
        class: 'reference-label',
        x: plotRight - 4,
        y: labelY,
        'font-size': NOTE_SIZE,
        'text-anchor': 'end',
        fill: line.color,
        stroke: '#fff',
        'stroke-width': 3,
        'paint-order': 'stroke',
      }),
    );
  }
  return svg;
}

/**
 * Renders a panel of grouped bars: title, notes, legend, value axis, the
 * bars with whiskers for their spread, reference lines and group labels.
 * Returns the markup and the height it takes below `box.y`.
 */
export function renderBarPanel(spec: BarPanelSpec, box: PanelBox): { svg: string; height: number } {
  const svg: string[] = [];
  let y = box.y + TITLE_SIZE;
  svg.push(textElement(spec.title, { x: box.x, y, 'font-size': TITLE_SIZE, 'font-weight': 'bold' }));
  for (const note of spec.notes) {
    y += NOTE_SIZE + 5;
    svg.push(textElement(note, { x: box.x, y, 'font-size': NOTE_SIZE, fill: '#555' }));
  }

  if (spec.groups.length === 0) {
    y += 28;
    svg.push(textElement(spec.emptyMessage, { x: box.x + AXIS_WIDTH, y, 'font-size': FONT_SIZE, fill: '#555' }));
    return { svg: element('g', { class: `panel ${spec.id}` }, svg), height: y - box.y + 12 };
  }

  const used = new Set(spec.groups.flatMap((group) => group.bars.map((bar) => bar.series)));
  const series = spec.series.filter((entry) => used.has(entry.key));
  const legend = renderLegend(series, box, y + 24);
  svg.push(...legend.svg);

  // Value labels stand above the bars, so the plot keeps room for them above the highest value.
  const headroom = spec.valueLabels ? 36 : 10;
  const domainTop = legend.bottom + 12 + headroom;
  const plotBottom = domainTop + PLOT_HEIGHT;
  const plotLeft = box.x + AXIS_WIDTH;
  const plotRight = box.x + box.width - RIGHT_MARGIN;
  const values = spec.groups.flatMap((group) => group.bars.flatMap((bar) => [bar.value, bar.low ?? bar.value, bar.high ?? bar.value]));
  const scale = chooseScale([...values, ...spec.lines.map((line) => line.value)], plotBottom, domainTop);
  svg.push(...renderAxis(scale, spec, box, plotLeft, plotRight, plotBottom));

  const totalBars = spec.groups.reduce((sum, group) => sum + group.bars.length, 0);
  const plotWidth = plotRight - plotLeft;
  const barWidth = Math.max(2, Math.min(MAX_BAR_WIDTH, (plotWidth - spec.groups.length * MIN_GROUP_GAP) / totalBars - BAR_GAP));
  const groupGap = (plotWidth - totalBars * (barWidth + BAR_GAP)) / spec.groups.length;
  const seriesByKey = new Map(series.map((entry) => [entry.key, entry]));

  const labelSlots: { label: string; center: number; room: number }[] = [];
  let x = plotLeft + groupGap / 2;
  for (const group of spec.groups) {
    const start = x;
    for (const bar of group.bars) {
      svg.push(...renderBar(bar, seriesByKey.get(bar.series)!, scale, x, barWidth, plotBottom, group.label, spec.valueLabels));
      x += barWidth + BAR_GAP;
    }
    labelSlots.push({ label: group.label, center: (start + x - BAR_GAP) / 2, room: x - start + groupGap - 6 });
    x += groupGap;
  }
  svg.push(...renderLines(spec.lines, scale, plotLeft, plotRight));

  // Group labels lie flat when every one fits under its group, and slant otherwise.
  const widest = Math.max(...labelSlots.map((slot) => textWidth(slot.label, GROUP_LABEL_SIZE)));
  const slanted = labelSlots.some((slot) => textWidth(slot.label, GROUP_LABEL_SIZE) > slot.room);
  const labelY = plotBottom + 16;
  for (const slot of labelSlots) {
    const attributes = slanted
      ? { class: 'group-label', x: slot.center, y: labelY, 'font-size': GROUP_LABEL_SIZE, 'text-anchor': 'end', transform: `rotate(-${LABEL_ANGLE} ${slot.center.toFixed(1)} ${labelY})` }
      : { class: 'group-label', x: slot.center, y: labelY, 'font-size': GROUP_LABEL_SIZE, 'text-anchor': 'middle' };
    svg.push(textElement(slot.label, attributes));
  }
  const labelsHeight = slanted ? widest * Math.sin((LABEL_ANGLE * Math.PI) / 180) + 20 : 22;

  return { svg: element('g', { class: `panel ${spec.id}` }, svg), height: plotBottom + labelsHeight - box.y + 16 };
}

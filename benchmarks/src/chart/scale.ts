/** A tick of a value axis. */
export interface Tick {
  value: number;
  label: string;
  /** Major ticks get a darker grid line; every tick gets a label unless `label` is empty. */
  major: boolean;
}

/** Maps values to y coordinates of a plot. */
export interface ValueScale {
  kind: 'log' | 'linear';
  /** The lowest and highest value on the axis. */
  domain: [number, number];
  /** Returns the y coordinate of a value; values outside the domain are clamped to it. */
  y(value: number): number;
  ticks: Tick[];
}

/** Ratio of the largest to the smallest value above which an axis is logarithmic. */
export const LOG_SCALE_RATIO = 20;

/** Formats a tick value: 0.1, 2, 50, 1k, 20k. */
export function formatTick(value: number): string {
  if (value >= 1000) return `${Number((value / 1000).toPrecision(3))}k`;
  return String(Number(value.toPrecision(3)));
}

/**
 * Chooses the value axis for positive values: logarithmic from the decade
 * below the smallest value to the decade above the largest when they span
 * more than LOG_SCALE_RATIO, otherwise linear from 0 with 1, 2 or 5 steps.
 * `bottom` and `top` are the y coordinates of the domain's ends.
 */
export function chooseScale(values: readonly number[], bottom: number, top: number): ValueScale {
  const positive = values.filter((value) => Number.isFinite(value) && value > 0);
  const min = positive.length > 0 ? Math.min(...positive) : 1;
  const max = positive.length > 0 ? Math.max(...positive) : 1;
  return max / min > LOG_SCALE_RATIO ? logScale(min, max, bottom, top) : linearScale(max, bottom, top);
}

function logScale(min: number, max: number, bottom: number, top: number): ValueScale {
  const low = Math.floor(Math.log10(min));
  const high = Math.max(low + 1, Math.ceil(Math.log10(max)));
  const decades = high - low;
  const y = (value: number) => {
    const position = (Math.log10(Math.min(Math.max(value, 10 ** low), 10 ** high)) - low) / decades;
    return bottom - position * (bottom - top);
  };

  // Label 2 and 5 between the decades only when there are few decades, so that labels do not crowd.
  const ticks: Tick[] = [];
  for (let exponent = low; exponent <= high; exponent++) {
    const decade = 10 ** exponent;
    ticks.push({ value: Number(decade.toPrecision(1)), label: formatTick(decade), major: true });
    if (exponent === high) break;
    for (const step of [2, 5]) {
      const value = Number((step * decade).toPrecision(1));
      ticks.push({ value, label: decades <= 3 ? formatTick(value) : '', major: false });
    }
  }
  return { kind: 'log', domain: [10 ** low, 10 ** high], y, ticks };
}

/** Returns the smallest step of the form 1, 2 or 5 times a power of ten that splits `span` into at most `count` parts. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) {
    if (factor * power >= raw) return factor * power;
  }
  return 10 * power;
}

function linearScale(max: number, bottom: number, top: number): ValueScale {
  const step = niceStep(max, 5);
  const high = Math.ceil(max / step) * step;
  const y = (value: number) => bottom - (Math.min(Math.max(value, 0), high) / high) * (bottom - top);
  const ticks: Tick[] = [];
  for (let value = 0; value <= high + step / 2; value += step) {
    const rounded = Number(value.toPrecision(6));
    ticks.push({ value: rounded, label: formatTick(rounded), major: true });
  }
  return { kind: 'linear', domain: [0, high], y, ticks };
}

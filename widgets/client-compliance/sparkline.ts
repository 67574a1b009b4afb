/**
 * A 12-week sparkline as a tiny inline SVG (cheaper than chart.js for a row of a table):
 * one polyline per run of known weeks, a gap where a week had nothing evaluable. The
 * accessible name carries every number, so the picture adds nothing a reader misses.
 */
import { svg, html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { formatPercent } from '../shared/format.ts';

const WIDTH = 96;
const HEIGHT = 24;

/** Points of each unbroken run of values (0–100 mapped top to bottom). */
export function sparkRuns(values: readonly (number | null)[]): string[] {
  const step = values.length > 1 ? WIDTH / (values.length - 1) : 0;
  const runs: string[] = [];
  let current: string[] = [];
  values.forEach((value, i) => {
    if (value === null) {
      if (current.length) runs.push(current.join(' '));
      current = [];
      return;
    }
    const y = 1 + (HEIGHT - 2) * (1 - Math.min(100, Math.max(0, value)) / 100);
    current.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) runs.push(current.join(' '));
  return runs;
}

export function renderSparkline(label: string, values: readonly (number | null)[]): TemplateResult {
  const name = `${label}: ${values.map((value) => formatPercent(value, msg('no data'))).join(', ')}`;
  return html`<svg class="spark" part="sparkline" role="img" aria-label=${name} viewBox="0 0 ${WIDTH} ${HEIGHT}" width=${WIDTH} height=${HEIGHT}>
    ${sparkRuns(values).map((points) =>
      points.includes(' ') ? svg`<polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" />` : svg`<circle cx=${points.split(',')[0]!} cy=${points.split(',')[1]!} r="1.5" fill="currentColor" />`,
    )}
  </svg>`;
}

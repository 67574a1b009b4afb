/**
 * Fleet trends on the Devices and Clients tabs: success rate and SLA compliance per day
 * over the last 30 days (`GET /trends`), as a chart.js line chart (loaded on first draw)
 * with the same figures in a visually hidden table and a summary sentence for screen
 * readers. Colours come from the theme tokens, so light and dark both read. This module
 * is a lazy chunk (it comes with the overview strip), never in the entry bundle.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ChartConfiguration } from 'chart.js';
import { ApiElement } from '../shared/api-element.ts';
import type { Answer } from '../shared/api-types.ts';
import { renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ChartController, type ChartPalette } from '../shared/chart-controller.ts';
import { baseChartOptions } from '../shared/chart-options.ts';
import { defineElement } from '../shared/define.ts';
import { formatCount, formatPercent } from '../shared/format.ts';
import { formatLocale } from '../shared/locale.ts';

export type Trends = Answer<'/trends', '$get'>;
type Bucket = Trends['buckets'][number];

const DAYS = 30;
const percentOf = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** "3 Nov" in the trends' timezone: the day a bucket covers. */
function dayLabel(bucket: Bucket, timeZone: string): string {
  return new Intl.DateTimeFormat(formatLocale(), { day: 'numeric', month: 'short', timeZone }).format(new Date(bucket.start));
}

/** The chart in one sentence: the latest figures and the range. */
export function describeTrends(trends: Trends): string {
  const counted = trends.buckets.filter((b) => b.successRate !== null || b.compliance !== null);
  if (counted.length === 0) return msg(str`No backup runs or SLA time in the last ${trends.buckets.length} days.`);
  const rates = trends.buckets.map((b) => percentOf(b.successRate)).filter((v): v is number => v !== null);
  const compliance = trends.buckets.map((b) => b.compliance).filter((v): v is number => v !== null);
  const range = (values: number[]) => (values.length ? msg(str`${formatPercent(Math.min(...values))} to ${formatPercent(Math.max(...values))}`) : msg('no data'));
  return msg(str`Last ${trends.buckets.length} days (${trends.timezone}): success rate ${range(rates)}, SLA compliance ${range(compliance)}. The table lists each day.`);
}

export function trendsChartConfig(trends: Trends, palette: ChartPalette): ChartConfiguration {
  const base = baseChartOptions(palette);
  const line = (label: string, data: (number | null)[], color: string, dash: number[] = []) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderDash: dash,
    pointRadius: 2,
    tension: 0.2,
    spanGaps: false,
  });
  return {
    type: 'line',
    data: {
      labels: trends.buckets.map((b) => dayLabel(b, trends.timezone)),
      datasets: [
        line(msg('Success rate'), trends.buckets.map((b) => percentOf(b.successRate)), palette.accent),
        // Dashed as well as coloured: the two lines differ without colour.
        line(msg('SLA compliance'), trends.buckets.map((b) => b.compliance), palette.healthy, [6, 3]),
      ],
    },
    options: {
      ...base,
      scales: { x: base.scales.x, y: { ...base.scales.y, min: 0, max: 100, ticks: { color: palette.muted, callback: (value) => formatPercent(Number(value)) } } },
    },
  };
}

/**
 * `<bh-fleet-trends client="…">`: the tenant's (or one client's) last 30 days.
 * @csspart trends - The wrapper; `trends-chart` the chart.
 */
export class BhFleetTrends extends ApiElement {
  static override styles = [
    BhElement.styles,
    css`
      .trends { margin-block: 0 var(--_space); background: none; padding: 0; }
      .trends h3 { font-size: 0.95em; margin: 0 0 4px; }
      .trends-chart { position: relative; height: 180px; }
    `,
  ];

  /** One client's trends; empty for the whole fleet. */
  @property() client = '';

  @query('canvas') private canvas?: HTMLCanvasElement;

  #trends = this.apiTask(
    (api, signal) => api.getJson('/trends', { query: { days: DAYS, client: this.client || undefined }, signal }),
    () => [this.client],
  );
  #chart = new ChartController(this, {
    canvas: () => this.canvas,
    data: () => (this.#hasData(this.#trends.value) ? this.#trends.value : undefined),
    config: (trends, palette) => trendsChartConfig(trends, palette),
  });

  /** Settles when the chart for the current figures is drawn. */
  get chartReady(): Promise<void> {
    return this.#chart.ready;
  }

  get loadComplete(): Promise<unknown> {
    return this.#trends.taskComplete.catch(() => undefined);
  }

  protected override reload(): void {
    void this.#trends.run();
  }

  #hasData(trends: Trends | undefined): trends is Trends {
    return !!trends && trends.buckets.some((b) => b.successRate !== null || b.compliance !== null);
  }

  override render(): TemplateResult {
    return html`<section class="base trends" part="trends" data-theme=${this.effectiveTheme} aria-labelledby="trends-title">
      <h3 id="trends-title">${msg(str`Success rate and SLA compliance, last ${DAYS} days`)}</h3>
      ${renderAsync(this.#trends, { loading: msg('Loading trends…'), retry: () => this.reload(), complete: (trends) => this.#renderTrends(trends) })}
    </section>`;
  }

  #renderTrends(trends: Trends): TemplateResult {
    if (!this.#hasData(trends)) return renderEmpty(msg('No trends yet.'), msg('They appear once devices report backup runs.'));
    return html`<p class="visually-hidden">${describeTrends(trends)}</p>
      <div class="trends-chart" part="trends-chart"><canvas aria-hidden="true"></canvas></div>
      <div class="visually-hidden"><table>
        <caption>${msg(str`Success rate and SLA compliance per day (${trends.timezone})`)}</caption>
        <thead><tr><th scope="col">${msg('Day')}</th><th scope="col">${msg('Success rate')}</th><th scope="col">${msg('Runs')}</th><th scope="col">${msg('SLA compliance')}</th></tr></thead>
        <tbody>
          ${trends.buckets.map(
            (b) => html`<tr>
              <th scope="row">${dayLabel(b, trends.timezone)}</th>
              <td>${formatPercent(percentOf(b.successRate))}</td>
              <td>${formatCount(b.jobs)}${b.failed ? html` ${msg(str`(${formatCount(b.failed)} failed)`)}` : nothing}</td>
              <td>${formatPercent(b.compliance)}</td>
            </tr>`,
          )}
        </tbody>
      </table></div>`;
  }
}

defineElement('bh-fleet-trends', BhFleetTrends);

declare global {
  interface HTMLElementTagNameMap {
    'bh-fleet-trends': BhFleetTrends;
  }
}

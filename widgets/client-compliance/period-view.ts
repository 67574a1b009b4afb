/**
 * `<bh-client-period>`: SLA compliance per client over a chosen period — last 30 days
 * (default), the previous month or quarter (in the client's timezone, as the API reads
 * them), or custom dates — from `GET /compliance?period=…|from&to`, with each client's
 * 12-week sparkline (`GET /trends?client&weeks=12`). A lazy chunk of `<client-compliance>`.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import { state } from 'lit/decorators.js';
import { ApiElement } from '../shared/api-element.ts';
import { ComplianceExportController } from '../shared/compliance-export.ts';
import type { Answer } from '../shared/api-types.ts';
import type { ApiClient } from '../shared/api-client.ts';
import { renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { defineElement } from '../shared/define.ts';
import { formatCount, formatDate, formatPercent } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { renderSparkline } from './sparkline.ts';

type ComplianceAnswer = Answer<'/compliance', '$get'>;
export type PeriodReport = Extract<ComplianceAnswer, { period: unknown }>;
export type PeriodChoice = '30d' | 'month' | 'quarter' | 'custom';

const CHOICES: readonly { value: PeriodChoice; label: string }[] = [
  { value: '30d', get label() { return msg('Last 30 days'); } },
  { value: 'month', get label() { return msg('Previous month'); } },
  { value: 'quarter', get label() { return msg('Previous quarter'); } },
  { value: 'custom', get label() { return msg('Custom dates'); } },
];

/** Sparklines for at most this many clients (a request each); the rest show the figure alone. */
const MAX_SPARKLINES = 50;

/**
 * The query for a choice. Custom dates go as days (`YYYY-MM-DD`, `to` inclusive): the
 * API reads them in the report's timezone (the client's, else the tenant's), from 00:00
 * local on the first day to 24:00 local on the last, as it reads the named periods.
 */
export function periodQuery(choice: PeriodChoice, from: string, to: string): Record<string, string> {
  return choice === 'custom' ? { from, to } : { period: choice };
}

interface PeriodView {
  report: PeriodReport;
  sparks: Map<string, (number | null)[]>;
}

async function loadPeriod(api: ApiClient, query: Record<string, string>, signal: AbortSignal): Promise<PeriodView> {
  const report = (await api.getJson('/compliance', { query, signal })) as PeriodReport;
  const sparks = new Map<string, (number | null)[]>();
  await Promise.all(
    report.clients.slice(0, MAX_SPARKLINES).map(async (client) => {
      const trends = await api.getJson('/trends', { query: { client: client.id, weeks: 12 }, signal });
      sparks.set(client.id, trends.buckets.map((bucket) => bucket.compliance));
    }),
  );
  return { report, sparks };
}

export class BhClientPeriod extends ApiElement {
  static override styles = [
    BhElement.styles,
    css`
      :host { display: block; min-width: 0; }
      .period { margin-block-end: calc(var(--_space) * 2); }
      /* A phone scrolls the table, not the page (the hidden caption is contained too). */
      .table-wrap { overflow-x: auto; position: relative; }
      form { display: flex; flex-wrap: wrap; gap: var(--_space); align-items: end; margin-block-end: var(--_space); }
      .spark { color: var(--_accent); vertical-align: middle; }
      .range { color: var(--_text-muted); margin: 0 0 var(--_space); }
      .zone { flex-basis: 100%; margin: 0; }
    `,
  ];

  @state() choice: PeriodChoice = '30d';
  @state() from = '';
  @state() to = '';
  /** The query in force: changes when a period is chosen or custom dates are applied. */
  @state() private query: Record<string, string> = { period: '30d' };
  @state() private formError = '';

  /** The client's timezone for a client-scoped token, else the tenant's: the one the API reads days in. */
  #zone = new ViewTimeZoneController(this, () => this.api);
  #view = this.apiTask((api, signal) => loadPeriod(api, this.query, signal), () => [this.query]);
  /** The period shown, as CSV or PDF (the QBR/audit report): the same query as the view. */
  #exports = new ComplianceExportController(this, () => this.api);

  get loadComplete(): Promise<unknown> {
    return this.#view.taskComplete.catch(() => undefined);
  }

  protected override reload(): void {
    void this.#view.run();
  }

  override render(): TemplateResult {
    return html`<section class="base period" part="period" data-theme=${this.effectiveTheme} aria-labelledby="period-title">
      <h3 id="period-title">${msg('SLA compliance over a period')}</h3>
      <form part="period-picker" @submit=${this.#onSubmit}>
        <label class="field">
          <span>${msg('Period')}</span>
          <select part="period-select" @change=${this.#onChoice}>
            ${CHOICES.map((choice) => html`<option value=${choice.value} .selected=${live(choice.value === this.choice)}>${choice.label}</option>`)}
          </select>
        </label>
        ${this.choice === 'custom'
          ? html`<label class="field"><span>${msg('From')}</span><input type="date" name="from" required aria-describedby="period-zone" .value=${this.from} @input=${(e: Event) => (this.from = (e.target as HTMLInputElement).value)} /></label>
              <label class="field"><span>${msg('To (inclusive)')}</span><input type="date" name="to" required aria-describedby="period-zone" .value=${this.to} @input=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)} /></label>
              <button type="submit">${msg('Show')}</button>
              <p class="zone muted" id="period-zone" part="period-zone">${this.#zone.value ? msg(str`Whole days in ${this.#zone.value}, from 00:00 on the first to 24:00 on the last.`) : nothing}</p>`
          : nothing}
        ${this.formError ? html`<p class="status" role="alert" data-tone="critical">${this.formError}</p>` : nothing}
        <span class="spacer"></span>
        ${this.#exports.render(undefined, this.query, msg('This period:'))}
      </form>
      ${renderAsync(this.#view, { loading: msg('Loading compliance for the period…'), retry: () => this.reload(), complete: (view) => this.#renderView(view) })}
    </section>`;
  }

  #onChoice(event: Event): void {
    this.choice = (event.target as HTMLSelectElement).value as PeriodChoice;
    this.formError = '';
    if (this.choice !== 'custom') this.query = periodQuery(this.choice, '', '');
  }

  #onSubmit(event: Event): void {
    event.preventDefault();
    if (!this.from || !this.to) this.formError = msg('Choose both dates.');
    else if (this.to < this.from) this.formError = msg('The end date is before the start date.');
    else {
      this.formError = '';
      this.query = periodQuery('custom', this.from, this.to);
    }
  }

  #renderView({ report, sparks }: PeriodView): TemplateResult {
    const zone = report.timezone;
    const last = new Date(Date.parse(report.to) - 1).toISOString();
    const range = html`<p class="range" part="period-range">${formatDate(report.from, zone)} – ${formatDate(last, zone)} (${zone}); ${msg(str`overall ${formatPercent(report.summary.meetingPct)} of device time within the SLA.`)}</p>`;
    if (report.clients.length === 0) return html`${range}${renderEmpty(msg('No devices in this period.'), msg('Choose another period.'))}`;
    return html`${range}
      <div class="table-wrap">
        <table class="data" part="period-table">
          <caption class="visually-hidden">${msg('SLA compliance per client over the period, with the last 12 weeks')}</caption>
          <thead>
            <tr><th scope="col">${msg('Client')}</th><th scope="col" class="number">${msg('Time meeting SLA')}</th><th scope="col" class="number">${msg('Devices with a breach')}</th><th scope="col">${msg('Last 12 weeks')}</th></tr>
          </thead>
          <tbody>
            ${report.clients.map((client) => {
              const spark = sparks.get(client.id);
              return html`<tr data-client=${client.id}>
                <th scope="row">${client.name}</th>
                <td class="number">${formatPercent(client.meetingPct)}</td>
                <td class="number">${msg(str`${formatCount(client.devicesWithBreach)} of ${formatCount(client.devices)}`)}</td>
                <td>${spark ? renderSparkline(msg(str`SLA compliance of ${client.name}, last 12 weeks`), spark) : '—'}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>`;
  }
}

defineElement('bh-client-period', BhClientPeriod);

declare global {
  interface HTMLElementTagNameMap {
    'bh-client-period': BhClientPeriod;
  }
}

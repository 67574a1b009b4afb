import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { query, state } from 'lit/decorators.js';
import { styleMap } from 'lit/directives/style-map.js';
import { msg, str } from '@lit/localize';
import type { ClientItem } from '../../core/api.ts';
import { HEALTH_STATUSES } from '../../core/types.ts';
import type { SortOrder } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { ComplianceExportController } from '../shared/compliance-export.ts';
import { ariaSort, sortIndicator } from '../shared/controls.ts';
import { formatCount, formatPercent } from '../shared/format.ts';
import { STATUS_LABELS } from '../shared/labels.ts';
import { lazyModule } from '../shared/lazy-module.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderTone } from '../shared/status.ts';
import { sortClients, type ClientSortKey } from './client-sort.ts';
import { clientComplianceStyles } from './styles.ts';

// The chart's configuration comes with chart.js, on first draw, not in the entry bundle.
const loadStatusChart = lazyModule(() => import('./status-chart.ts')) as () => Promise<typeof import('./status-chart.ts')>;

/** Stream bursts (a sweep touching many devices) collapse into one refresh. */
const REFRESH_DELAY_MS = 1_000;

const COLUMNS: readonly { key: ClientSortKey; label: string; firstOrder: SortOrder }[] = [
  // Getters: msg() and the status words read the locale at render time.
  { key: 'name', get label() { return msg('Client'); }, firstOrder: 'asc' },
  { key: 'total', get label() { return msg('Devices'); }, firstOrder: 'desc' },
  ...HEALTH_STATUSES.map((status) => ({ key: status, get label() { return STATUS_LABELS[status]; }, firstOrder: 'desc' as const })),
  { key: 'compliance', get label() { return msg('Devices meeting SLA now'); }, firstOrder: 'asc' },
];

/**
 * The per-client view: each client's devices by status (healthy, warning, critical,
 * unknown) and SLA compliance, as a sortable table and a stacked bar chart (chart.js,
 * loaded on first use), with the compliance report as CSV or PDF; above them, SLA
 * compliance over a chosen period with 12-week sparklines (`<bh-client-period>`, its own
 * chunk). Choosing a client
 * emits `bh-client-select` (the dashboard drills into its devices). Counts refresh
 * when the stream reports device changes.
 *
 * @example
 * <client-compliance api-base="https://bff.example.com" token="…"></client-compliance>
 *
 * @event bh-client-select - A client was chosen: `{ clientId }`.
 * @event bh-export - A compliance report file is ready (cancelable): `{ report: 'compliance', format, filename, blob }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart toolbar - Filter and export buttons.
 * @csspart filter - The client name filter.
 * @csspart export-button - Each export button.
 * @csspart table - The clients table; `client-button` each client's name.
 * @csspart chart - The status chart.
 * @csspart status - Status words with icons; also `status-<status>`.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag client-compliance
 */
export class ClientCompliance extends ApiElement {
  static override styles = [BhElement.styles, clientComplianceStyles];

  @state() private sortKey: ClientSortKey = 'compliance';
  @state() private order: SortOrder = 'asc';
  @state() private nameFilter = '';

  @query('canvas.status-chart') private canvas?: HTMLCanvasElement;

  #clients = this.apiTask((api, signal) => api.allClients(signal));
  #exports = new ComplianceExportController(this, () => this.api);
  #view: ClientItem[] = [];
  #refreshTimer?: ReturnType<typeof setTimeout>;
  #chart = new ChartController(this, {
    canvas: () => this.canvas,
    data: () => (this.#view.length ? this.#view : undefined),
    config: async (clients, palette) => (await loadStatusChart()).statusChartConfig(clients, palette),
  });

  constructor() {
    super();
    this.provideToChildren();
    // The period picker and 12-week sparklines (<bh-client-period>): their own chunk;
    // without it the snapshot table still shows.
    import('./period-view.ts').catch(() => {});
    new LiveStreamController(this, () => this.api, {
      'device.updated': () => {
        clearTimeout(this.#refreshTimer);
        this.#refreshTimer = setTimeout(() => this.reload(), REFRESH_DELAY_MS);
      },
      reconnected: () => this.reload(),
      authExpired: () => this.reload(),
    });
  }

  /** The clients in view (filtered and sorted). */
  get clients(): readonly ClientItem[] {
    return this.#view;
  }

  /** Settles when the chart for the current view is drawn. */
  get chartReady(): Promise<void> {
    return this.#chart.ready;
  }

  /** Settles when the current load is done. */
  get loadComplete(): Promise<unknown> {
    return this.#clients.taskComplete.catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#refreshTimer);
  }

  protected override reload(): void {
    void this.#clients.run();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const all = this.#clients.value ?? [];
    const filter = this.nameFilter.trim().toLowerCase();
    const view = sortClients(filter ? all.filter((client) => client.name.toLowerCase().includes(filter)) : all, this.sortKey, this.order);
    // Keep the array identity while nothing changed, so the chart does not redraw.
    if (view.length !== this.#view.length || view.some((client, index) => client !== this.#view[index])) this.#view = view;
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme} aria-busy=${isBusy(this.#clients) ? 'true' : 'false'}>
      <div class="toolbar" part="toolbar">
        <label class="field">
          <span>${msg('Filter clients')}</span>
          <input type="search" part="filter" placeholder=${msg('Client name')} .value=${this.nameFilter} @input=${(event: Event) => (this.nameFilter = (event.target as HTMLInputElement).value)} />
        </label>
        <span class="spacer"></span>
        ${this.#exports.render(undefined, undefined, msg('State now:'))}
      </div>
      <bh-client-period></bh-client-period>
      ${renderAsync(this.#clients, { loading: msg('Loading clients…'), retry: () => this.reload(), complete: () => this.#renderClients() })}
    </div>`;
  }

  #renderClients(): TemplateResult {
    const clients = this.#view;
    if (clients.length === 0) {
      return this.nameFilter ? renderEmpty(msg('No client matches this filter.'), msg('Clear the filter to see every client.')) : renderEmpty(msg('No clients yet.'), msg('Clients appear once devices are enrolled.'));
    }
    return html`<div class="layout">
      <div class="table-wrap">
        <table class="data" part="table">
          <caption class="visually-hidden">${msg('Clients by backup status and SLA compliance')}</caption>
          <thead>
            <tr>${COLUMNS.map((column) => this.#renderHeader(column))}</tr>
          </thead>
          <tbody>
            ${clients.map((client) => this.#renderRow(client))}
          </tbody>
        </table>
      </div>
      <div class="chart" part="chart" style=${styleMap({ '--_rows': String(clients.length) })}>
        <canvas class="status-chart" role="img" aria-label=${describeStatusChart(clients)}></canvas>
      </div>
    </div>`;
  }

  #renderHeader(column: (typeof COLUMNS)[number]): TemplateResult {
    const order = this.sortKey === column.key ? this.order : null;
    const numeric = column.key !== 'name';
    return html`<th scope="col" class=${numeric ? 'number' : ''} aria-sort=${order ? ariaSort(order) : nothing}>
      <button type="button" class="sort" part="sort-button" @click=${() => this.#sortBy(column.key, column.firstOrder)}>
        ${column.label} ${sortIndicator(order)}
      </button>
    </th>`;
  }

  #renderRow(client: ClientItem): TemplateResult {
    const breach = client.compliance.breach;
    return html`<tr data-client=${client.id}>
      <th scope="row">
        <button type="button" class="link" part="client-button" @click=${() => this.emit('bh-client-select', { clientId: client.id })}>${client.name}</button>
      </th>
      <td class="number">${formatCount(client.total)}</td>
      ${HEALTH_STATUSES.map((status) => html`<td class="number" data-status=${status}>${formatCount(client.counts[status])}</td>`)}
      <td class="number compliance">
        ${formatPercent(client.compliance.percent)}
        ${breach > 0 ? html`<span class="breach">${renderTone('critical', msg(str`${formatCount(breach)} in breach`))}</span>` : nothing}
      </td>
    </tr>`;
  }

  #sortBy(key: ClientSortKey, firstOrder: SortOrder): void {
    if (this.sortKey === key) this.order = this.order === 'asc' ? 'desc' : 'asc';
    else {
      this.sortKey = key;
      this.order = firstOrder;
    }
  }
}

/** The chart in words, for the canvas's accessible name (the table holds every figure). */
function describeStatusChart(clients: readonly ClientItem[]): string {
  const critical = clients.filter((client) => client.counts.critical > 0).length;
  return msg(str`Devices by status for ${formatCount(clients.length)} clients; ${formatCount(critical)} with critical devices. The table lists the same figures.`);
}

declare global {
  interface HTMLElementTagNameMap {
    'client-compliance': ClientCompliance;
  }
}

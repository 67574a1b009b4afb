import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { DeviceItem } from '../../core/api.ts';
import type { DeviceKind, HealthStatus } from '../../core/types.ts';
import type { ApiClient, DeviceSort, SortOrder } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { renderEmpty, renderError, renderLoading, renderNotConnected } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { ariaSort, choicesOf, renderSelect, sortIndicator } from '../shared/controls.ts';
import { formatCount } from '../shared/format.ts';
import { KIND_LABELS, STATUS_LABELS } from '../shared/labels.ts';
import { lazyModule } from '../shared/lazy-module.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { runStripStyles } from '../shared/run-strip.ts';
import { storageStyles } from '../shared/styles.ts';
import { DEVICE_COLUMNS } from './columns.ts';
import { DeviceListLoader, type DeviceFilters } from './device-list-loader.ts';
import { RowFocusController } from './row-focus-controller.ts';
import { tableStyles } from './styles.ts';
import type * as VirtualRows from './virtual-rows.ts';

/** The detail panel: its own chunk, loaded when a device is first opened. */
const loadDeviceDetail = lazyModule(() => import('../backup-health-device-detail/index.ts'));
// The CSV writer (and papaparse behind it) loads on the first export: it is not needed to see the table.
const loadDeviceCsv = lazyModule(() => import('./device-csv.ts')) as () => Promise<typeof import('./device-csv.ts')>;
/** The row virtualizer: its own chunk, fetched while the first page of devices loads. */
const loadVirtualRows = lazyModule(() => import('./virtual-rows.ts')) as () => Promise<typeof VirtualRows>;

const SEARCH_DEBOUNCE_MS = 300;
/** On a narrow card these head the card; the other columns show with their label. */
const CARD_HEADLINE: ReadonlySet<string> = new Set(['status', 'name', 'score']);

/**
 * The per-device view: every protected device with its status (icon, word and colour),
 * client, kind, score, last successful backup, policy and storage. Sorting and
 * filtering go through the API; the first page renders at once and the rest streams
 * in behind it, so 10,000 devices scroll smoothly (rows are virtualized). Arrow keys
 * move between rows; Enter or a click opens the device's detail panel. Rows update
 * live from the stream.
 *
 * @example
 * <backup-health-table api-base="https://bff.example.com" token="…" status="critical"></backup-health-table>
 *
 * @event bh-device-select - A device was opened: `{ deviceId }`.
 * @event bh-export - The CSV of the current view is ready (cancelable): `{ report: 'devices', format, filename, blob, rowCount }`.
 * @event bh-view-change - Filters, sort or search changed: `{ clientFilter, status, kind, sort, order, q }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart toolbar - Filters, search and export.
 * @csspart filter - Each filter `<select>`.
 * @csspart search - The search box.
 * @csspart export-button - The CSV export button.
 * @csspart summary - The device count.
 * @csspart table - The table (`role="table"`).
 * @csspart columnheader - Each header cell; `sort-button` is its button.
 * @csspart row - Each device row; `cell` each cell.
 * @csspart status - Status chips; also `status-<status>`.
 * @csspart storage - The storage bar and text.
 * @csspart detail - The detail dialog; `detail-close` its close button.
 * @cssproperty --bh-table-height - Height of the scrolling rows (default 28rem).
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-table
 */
export class BackupHealthTable extends ApiElement {
  static override styles = [BhElement.styles, storageStyles, runStripStyles, tableStyles];

  /** Shows one client's devices only (client id) and hides the client filter. */
  @property() client?: string;

  /** Status filter: `healthy`, `warning`, `critical` or `unknown`; empty for all. The person can change it. */
  @property() status: HealthStatus | '' = '';

  /** Kind filter: `workstation`, `server` or `saas`; empty for all. */
  @property() kind: DeviceKind | '' = '';

  /** Sort column: score, name, lastSuccessAt, storage, status, client, kind or policy. */
  @property() sort: DeviceSort = 'score';

  /** `asc` or `desc`. */
  @property() order: SortOrder = 'asc';

  /** Devices in the first request (rendered at once); the rest follow in pages of 500. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 200;

  /** The person's client filter (when `client` is not set); empty for all. */
  @property({ attribute: 'client-filter' }) clientFilter = '';

  /** Search text (device name, id or client name); the person can change it. */
  @property() q = '';

  @state() private searchText = '';
  @state() private openDevice?: DeviceItem;
  @state() private exporting = false;
  @state() private detailState: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';

  /** The virtualizer, once its chunk has arrived (rows render from then on). */
  @state() private virtualRows?: typeof VirtualRows;
  /** The virtualizer's chunk could not be loaded (the retry loads it again). */
  @state() private virtualRowsFailed = false;

  @query('.body') private body?: VirtualRows.VirtualizerHostElement;
  @query('dialog') private dialog?: HTMLDialogElement;

  #loader = new DeviceListLoader(this, () => Math.min(500, Math.max(1, this.pageSize)));
  #focus = new RowFocusController(this, {
    rowCount: () => this.rows.length,
    body: () => this.body,
    scrollIntoView: (index) => {
      const rows = this.virtualRows;
      if (rows) this.body?.[rows.virtualizerRef]?.element(index)?.scrollIntoView({ block: 'nearest' });
    },
    open: (index) => this.#open(index),
  });
  #loadedApi?: ApiClient;
  #clock = new ClockController(this);
  // A drilled-into client's view is in its timezone; otherwise the tenant's.
  #zone = new ViewTimeZoneController(this, () => this.api, () => this.client);
  #searchTimer?: ReturnType<typeof setTimeout>;
  #clients = this.apiTask(async (api, signal) => (this.client ? initialState : api.allClients(signal)), () => [this.client]);

  constructor() {
    super();
    // The virtualizer and the layout it imports once rows render: asking for both now
    // fetches them beside the first page of devices instead of after it.
    this.#loadVirtualRows();
    void import('@lit-labs/virtualizer/layouts/flow.js').catch(() => undefined);
    this.provideToChildren();
    new LiveStreamController(this, () => this.api, {
      'device.updated': (device) => this.#applyLiveUpdate(device),
      reconnected: () => this.reload(),
      authExpired: () => this.reload(),
    });
  }

  #loadVirtualRows(): void {
    this.virtualRowsFailed = false;
    loadVirtualRows().then(
      (rows) => (this.virtualRows = rows),
      () => (this.virtualRowsFailed = true),
    );
  }

  /** The view the API is asked for. */
  get filters(): DeviceFilters {
    const q = this.q.trim();
    return {
      ...(this.client || this.clientFilter ? { client: this.client || this.clientFilter } : {}),
      ...(this.status ? { status: this.status } : {}),
      ...(this.kind ? { kind: this.kind } : {}),
      ...(q ? { q } : {}),
      sort: this.sort,
      order: this.order,
    };
  }

  /** The rows loaded so far, in view order. */
  get rows(): readonly DeviceItem[] {
    return this.#loader.rows;
  }

  /** Resolves once every page of the current view has arrived. */
  get loadComplete(): Promise<void> {
    return this.updateComplete.then(() => this.#loader.settled);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Set from outside (a shared link): the box shows it, unless the person is typing it.
    if (changed.has('q') && this.q !== this.searchText.trim()) this.searchText = this.q;
    const api = this.api;
    if (api && (api !== this.#loadedApi || this.#loader.isStale(this.filters))) {
      this.#loadedApi = api;
      this.#focus.reset();
      void this.#loader.load(api, this.filters);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.openDevice && this.dialog && !this.dialog.open) this.dialog.showModal();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved or re-attached: the loader stopped on disconnect, so load the view again.
    if (this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    this.#loadedApi = undefined;
  }

  protected override reload(): void {
    if (this.virtualRowsFailed) this.#loadVirtualRows();
    if (!this.api) return;
    this.#loadedApi = this.api;
    void this.#loader.load(this.api, this.filters);
    if (!this.client) void this.#clients.run();
  }

  override render(): TemplateResult {
    // Busy while a view's first page loads, not during background paging: readers may
    // hold back a busy region, and the rows shown are already usable.
    const busy = this.#loader.phase === 'loading';
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme} aria-busy=${busy ? 'true' : 'false'}>
      ${this.#renderToolbar()} ${this.#renderBody()} ${this.#renderDialog()}
    </div>`;
  }

  #renderToolbar(): TemplateResult {
    const clients = this.#clients.value ?? [];
    return html`<div class="toolbar" part="toolbar">
      <label class="field search">
        <span>${msg('Search')}</span>
        <input
          type="search"
          part="search"
          placeholder=${msg('Device, ID or client')}
          .value=${this.searchText}
          @input=${this.#onSearchInput}
          @keydown=${this.#onSearchKeydown}
        />
      </label>
      ${renderSelect({ label: msg('Status'), value: this.status, allLabel: msg('All statuses'), choices: choicesOf(STATUS_LABELS), onChange: (value) => this.#changeView({ status: value }) })}
      ${this.client
        ? nothing
        : renderSelect({
            label: msg('Client'),
            value: this.clientFilter,
            allLabel: msg('All clients'),
            choices: this.#clientChoices(clients),
            onChange: (value) => this.#changeView({ clientFilter: value }),
          })}
      ${renderSelect({ label: msg('Kind'), value: this.kind, allLabel: msg('All kinds'), choices: choicesOf(KIND_LABELS), onChange: (value) => this.#changeView({ kind: value }) })}
      <span class="spacer"></span>
      <span class="summary muted" part="summary" role="status">${this.#summary()}</span>
      <button type="button" part="export-button" ?disabled=${this.exporting || this.rows.length === 0} @click=${this.#exportCsv}>
        ${this.exporting ? msg('Exporting CSV…') : msg('Export CSV')}
      </button>
    </div>`;
  }

  /**
   * The Client filter's choices. A filter naming no client of the list (a stale shared
   * link) is shown as such, so the control tells the truth and "All clients" resets it.
   */
  #clientChoices(clients: readonly { id: string; name: string }[]): (readonly [string, string])[] {
    const choices = clients.map((client) => [client.id, client.name] as const);
    if (this.clientFilter && this.#clients.value && !clients.some((client) => client.id === this.clientFilter)) {
      choices.push([this.clientFilter, msg(str`Unknown client (${this.clientFilter})`)]);
    }
    return choices;
  }

  #summary(): string {
    const count = this.rows.length;
    switch (this.#loader.phase) {
      case 'more':
        return msg('Loading more devices…');
      case 'complete':
        return count === 1 ? msg(str`${formatCount(count)} device`) : msg(str`${formatCount(count)} devices`);
      default:
        return '';
    }
  }

  #renderBody(): unknown {
    const { phase, error } = this.#loader;
    const rows = this.rows;
    if (!this.api) return renderNotConnected();
    if (rows.length === 0) {
      if (phase === 'error') return renderError(error, () => this.reload());
      if (phase === 'complete') return renderEmpty(msg('No devices match this view.'), msg('Clear the search, or choose another status, client or kind.'));
      return renderLoading(msg('Loading devices…'));
    }
    const virtualRows = this.virtualRows;
    if (!virtualRows) {
      return this.virtualRowsFailed ? renderError(new Error(msg('The device list could not be loaded. Check the connection and try again.')), () => this.reload()) : renderLoading(msg('Loading devices…'));
    }
    return html`${phase === 'error' ? renderError(error, () => this.reload()) : nothing} ${this.#renderTable(rows, virtualRows.virtualize)}`;
  }

  #renderTable(rows: readonly DeviceItem[], virtualize: typeof VirtualRows.virtualize): TemplateResult {
    const complete = this.#loader.phase === 'complete';
    return html`<div class="scroll-x">
      <div role="table" part="table" class="table" aria-label=${msg('Devices')} aria-rowcount=${complete ? rows.length + 1 : -1} aria-describedby="keyboard-hint">
        <div role="rowgroup" class="head">
          <div role="row" class="row" aria-rowindex="1">${DEVICE_COLUMNS.map((column) => this.#renderHeader(column))}</div>
        </div>
        <div
          role="rowgroup"
          class="body"
          @keydown=${this.#focus.onKeydown}
          @focusin=${this.#focus.onFocusIn}
          @rangeChanged=${this.#focus.onRangeChanged}
        >
          ${virtualize({
            items: rows as DeviceItem[],
            scroller: true,
            keyFunction: (device: DeviceItem) => device.id,
            renderItem: (device: DeviceItem, index: number) => this.#renderRow(device, index),
          })}
        </div>
      </div>
      <p id="keyboard-hint" class="visually-hidden">${msg("Arrow keys move between devices; Enter opens the selected device's details.")}</p>
    </div>`;
  }

  #renderHeader(column: (typeof DEVICE_COLUMNS)[number]): TemplateResult {
    const order = this.sort === column.id ? this.order : null;
    return html`<div role="columnheader" part="columnheader" class=${column.numeric ? 'cell number' : 'cell'} data-column=${column.id} aria-sort=${order ? ariaSort(order) : nothing}>
      <button type="button" class="sort" part="sort-button" @click=${() => this.#sortBy(column.id, column.firstOrder)}>
        ${column.label} ${sortIndicator(order)}
      </button>
    </div>`;
  }

  #renderRow(device: DeviceItem, index: number): TemplateResult {
    const now = this.#clock.now;
    const zone = this.#zone.value;
    return html`<div
      role="row"
      part="row"
      class="row"
      data-index=${index}
      data-status=${device.status}
      aria-rowindex=${index + 2}
      tabindex=${this.#focus.tabIndexOf(index)}
      @click=${() => this.#open(index)}
    >
      ${DEVICE_COLUMNS.map(
        (column) =>
          html`<div role="cell" part="cell" class="cell${column.numeric ? ' number' : ''}${CARD_HEADLINE.has(column.id) ? '' : ' labelled'}" data-column=${column.id} data-label=${column.label}>
            ${column.cell(device, now, zone)}
          </div>`,
      )}
    </div>`;
  }

  #renderDialog(): TemplateResult {
    const device = this.openDevice;
    return html`<dialog part="detail" class="detail" aria-label=${device ? msg(str`Device ${device.name}`) : msg('Device')} @close=${this.#onDialogClose}>
      ${device
        ? html`<div class="detail-bar">
              <button type="button" part="detail-close" @click=${() => this.dialog?.close()}>${msg('Close')}</button>
            </div>
            ${this.#renderDetail(device)}`
        : nothing}
    </dialog>`;
  }

  #renderDetail(device: DeviceItem): unknown {
    switch (this.detailState) {
      case 'ready':
        return keyed(device.id, html`<backup-health-device-detail device-id=${device.id}></backup-health-device-detail>`);
      case 'failed':
        return renderError(new Error(msg('The device details could not be loaded. Check the connection and try again.')), () => void this.#loadDetail());
      default:
        return renderLoading(msg('Loading device…'));
    }
  }

  async #loadDetail(): Promise<void> {
    this.detailState = 'loading';
    try {
      await loadDeviceDetail();
      this.detailState = 'ready';
    } catch {
      this.detailState = 'failed';
    }
  }

  #sortBy(column: DeviceSort, firstOrder: SortOrder): void {
    this.#changeView(this.sort === column ? { order: this.order === 'asc' ? 'desc' : 'asc' } : { sort: column, order: firstOrder });
  }

  /** A person reshaped the view: apply it and say so (`bh-view-change`), e.g. for a URL. */
  #changeView(change: Partial<Pick<this, 'clientFilter' | 'status' | 'kind' | 'sort' | 'order' | 'q'>>): void {
    Object.assign(this, change);
    this.emit('bh-view-change', { clientFilter: this.clientFilter, status: this.status, kind: this.kind, sort: this.sort, order: this.order, q: this.q });
  }

  #onSearchInput(event: Event): void {
    this.searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.#changeView({ q: this.searchText }), SEARCH_DEBOUNCE_MS);
  }

  #onSearchKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Enter') return;
    clearTimeout(this.#searchTimer);
    this.#changeView({ q: this.searchText });
  }

  #open(index: number): void {
    const device = this.rows[index];
    if (!device) return;
    this.#focus.activeIndex = index;
    this.openDevice = device;
    if (this.detailState !== 'ready') void this.#loadDetail();
    this.emit('bh-device-select', { deviceId: device.id });
  }

  #onDialogClose(): void {
    const closed = this.openDevice;
    this.openDevice = undefined;
    const index = closed ? this.rows.findIndex((row) => row.id === closed.id) : -1;
    void this.focusRow(index >= 0 ? index : this.#focus.activeIndex);
  }

  /** Moves keyboard focus to row `index` (scrolling it into view). */
  focusRow(index: number): Promise<void> {
    return this.#focus.focusRow(index);
  }

  /** A device changed: its row moves to its sorted place, and keyboard focus goes with it. */
  #applyLiveUpdate(device: DeviceItem): void {
    const focused = this.rows[this.#focus.activeIndex]?.id;
    const index = this.#loader.applyUpdate(device);
    if (focused === device.id && index >= 0) this.#focus.activeIndex = index;
    else if (focused !== undefined) {
      const kept = this.rows.findIndex((row) => row.id === focused);
      if (kept >= 0) this.#focus.activeIndex = kept;
    }
  }

  /** The filters of the rows being exported, by name where the table knows it. */
  #exportedView(): { client?: string; status?: string; kind?: string; q?: string } {
    const clientId = this.client || this.clientFilter;
    const client = clientId ? (this.#clients.value?.find((candidate) => candidate.id === clientId)?.name ?? this.rows[0]?.client.name ?? clientId) : undefined;
    return { client, status: this.status, kind: this.kind, q: this.q.trim() };
  }

  async #exportCsv(): Promise<void> {
    this.exporting = true;
    try {
      await this.#loader.settled;
      await (await loadDeviceCsv()).exportDevicesCsv(this, this.rows, this.#exportedView());
    } finally {
      this.exporting = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-table': BackupHealthTable;
  }
}

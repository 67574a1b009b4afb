import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { initialState } from '@lit/task';
import { msg } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { AuthExpiredError } from '../shared/api-errors.ts';
import { renderError, renderLoading } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { lazyModule } from '../shared/lazy-module.ts';
import type { BhEventDetails } from '../shared/events.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import type * as StatusStrip from './status-strip.ts';
import { dashboardStyles } from './styles.ts';
import { DEFAULT_VIEW, sameView, TAB_LABELS, type DashboardTab, type DashboardView, type UrlStateMode } from './view.ts';
import type * as ViewUrls from './view-state.ts';

export type { DashboardTab } from './view.ts';
type DeviceView = Omit<DashboardView, 'tab' | 'client'>;

/** The admin settings forms: their own chunk, loaded when the Settings tab first shows. */
const loadSettings = lazyModule(() => import('../backup-health-settings/index.ts'));
/** The overview strip above the device table. */
const loadStatusStrip = lazyModule(() => import('./status-strip.ts')) as () => Promise<typeof StatusStrip>;
/** Reading and writing views in URLs: only for a dashboard whose `url-state` is on. */
const loadViewUrls = lazyModule(() => import('./view-state.ts')) as () => Promise<typeof ViewUrls>;
/** The saved views panel: loaded when it first opens. */
const loadSavedViews = lazyModule(() => import('./saved-views.ts'));

const STATUS_PARTS = 'status, status-healthy, status-warning, status-critical, status-unknown';
/** Parts of the nested widgets, re-exported so the page can style them through the dashboard. */
const EXPORTED_PARTS = {
  devices: `toolbar: devices-toolbar, table: devices-table, row: devices-row, cell: devices-cell, storage, detail, ${STATUS_PARTS}`,
  clients: `table: clients-table, chart: clients-chart, client-button, ${STATUS_PARTS}`,
  alerts: `list: alerts-list, alert, acknowledge-button, ${STATUS_PARTS}`,
  compliance: `summary: compliance-summary, table: compliance-table, ${STATUS_PARTS}`,
};

const COUNTS_REFRESH_MS = 5_000;

/**
 * The whole console in one element: Devices, Clients, Alerts and Compliance tabs, plus
 * Settings for an admin token. Choosing a client in the Clients tab drills into its
 * devices. Tabs follow the WAI-ARIA tabs pattern (arrow keys, Home, End); a tab's
 * content loads on first visit and keeps its state afterwards. Nested widgets share
 * this element's client and live stream.
 *
 * With `url-state="hash"` (or `query`) the page URL follows the view — tab, client
 * drill-down, the device table's filters, sort and search — so Back and Forward move
 * between views and any view is a link to share. Off by default: a host page owns its
 * URL unless it hands part of it over.
 *
 * "Saved views" (beside the tabs) names the view on screen and lists the saved ones to
 * show again, rename, delete or copy as a link (offered when `url-state` is on). They
 * live in the browser's localStorage, one list per tenant and person (or client) of the
 * token; the panel is a chunk loaded when it first opens.
 *
 * @example
 * <backup-health-dashboard api-base="https://bff.example.com" token="…"></backup-health-dashboard>
 *
 * @event bh-tab-change - The person switched tabs: `{ tab }`.
 * @event bh-device-select - From the Devices tab, or an alert's device name on the Alerts tab (the feed opens the detail itself): `{ deviceId }`.
 * @event bh-client-select - From the Clients tab: `{ clientId }`.
 * @event bh-alert-acknowledge - From the Alerts tab: `{ alertId }`.
 * @event bh-export - A file is ready (cancelable).
 * @event bh-settings-save - A settings section was saved: `{ section }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart tablist - The tab strip; `tab` each tab.
 * @csspart tabpanel - Each panel.
 * @csspart drilldown - The "devices of one client" bar.
 * @csspart saved-views-button - "Saved views": opens the panel (`aria-expanded`).
 * @csspart saved-views - The saved views panel's container.
 * @csspart overview - The strip of device counts by status above the table; `overview-count` each count (a filter toggle), also `overview-<status>`.
 * @csspart devices-table - Also `devices-row`, `devices-cell`, `devices-toolbar`, `storage`, `detail` (from the table).
 * @csspart clients-table - Also `clients-chart`, `client-button` (from the per-client view).
 * @csspart alert - Also `alerts-list`, `acknowledge-button` (from the alert feed).
 * @csspart compliance-table - Also `compliance-summary` (from the compliance report).
 * @csspart status - Status chips of every tab; also `status-<status>`.
 * @cssproperty --bh-table-height - Height of the device rows.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-dashboard
 */
export class BackupHealthDashboard extends ApiElement {
  static override styles = [BhElement.styles, dashboardStyles];

  /** The selected tab: devices, clients, alerts, compliance or settings. */
  @property({ reflect: true }) tab: DashboardTab = 'devices';

  /** Whether the view lives in the page URL: `hash`, `query` or `off` (default). */
  @property({ attribute: 'url-state' }) urlState: UrlStateMode = 'off';

  /** Client whose devices the Devices tab shows (set by choosing a client). */
  @state() private deviceClient = '';

  /** The device table's filters, sort and search, as the person last left them. */
  @state() private deviceView: DeviceView = { ...DEFAULT_VIEW };

  @state() private visited = new Set<DashboardTab>();

  @state() private settingsState: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';

  /** The saved views panel: closed, or open with its chunk loading, loaded or failed. */
  @state() private savedViews: 'closed' | 'loading' | 'ready' | 'failed' = 'closed';

  #me = this.apiTask((api, signal) => api.me(signal));
  #drillClient = this.apiTask(async (api, signal) => (this.deviceClient ? api.client(this.deviceClient, signal) : initialState), () => [this.deviceClient]);

  /** Per-client status counts, summed for the overview strip. */
  // The strip's code is its own chunk, fetched beside the counts it shows.
  #clients = this.apiTask(async (api, signal) => {
    const [clients, strip] = await Promise.all([api.allClients(signal), loadStatusStrip()]);
    return { clients, strip };
  });
  #countsTimer?: ReturnType<typeof setTimeout>;

  #urls?: typeof ViewUrls;
  /** With url-state on, panels wait for the link's view so the table loads once, not twice. */
  @state() private urlRead = false;
  #onLocationChange = (): void => this.#readUrl();

  constructor() {
    super();
    this.provideToChildren();
    // Counts follow live changes, at most every few seconds: a busy fleet must not
    // turn the stream into a request per event.
    new LiveStreamController(this, () => this.api, {
      'device.updated': () => this.#refreshCountsSoon(),
      reconnected: () => void this.#clients.run(),
    });
  }

  #refreshCountsSoon(): void {
    this.#countsTimer ??= setTimeout(() => {
      this.#countsTimer = undefined;
      void this.#clients.run();
    }, COUNTS_REFRESH_MS);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.#onLocationChange);
    window.addEventListener('hashchange', this.#onLocationChange);
    this.#readUrl();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onLocationChange);
    window.removeEventListener('hashchange', this.#onLocationChange);
    clearTimeout(this.#countsTimer);
    this.#countsTimer = undefined;
  }

  /** The view on screen, as a link would carry it. */
  get view(): DashboardView {
    return { ...this.deviceView, tab: this.tab, client: this.deviceClient };
  }

  /** Shows `view` (a link opened, Back or Forward). */
  #applyView(view: DashboardView): void {
    const { tab, client, ...deviceView } = view;
    this.tab = tab;
    this.deviceClient = client;
    if (!sameView({ ...this.view, ...deviceView }, this.view)) this.deviceView = deviceView;
  }

  #readUrl(): void {
    const mode = this.urlState;
    if (mode === 'off') return;
    void loadViewUrls().then(
      (urls) => {
        this.#urls = urls;
        if (this.urlState === mode) this.#applyView(urls.parseView(urls.paramsOf(window.location, mode)));
        this.urlRead = true;
      },
      () => (this.urlRead = true), // the chunk failed to load: the console works, the URL just does not follow
    );
  }

  /**
   * Records the view in the URL when it differs: a new history entry per view, except
   * while the search text alone changes (typing is one step back, not one per word).
   */
  #writeUrl(): void {
    const urls = this.#urls;
    if (this.urlState === 'off' || !urls) return;
    const shown = urls.parseView(urls.paramsOf(window.location, this.urlState));
    const view = this.view;
    if (sameView(shown, view)) return;
    const url = urls.urlFor(view, window.location, this.urlState);
    if (sameView({ ...shown, q: view.q }, view)) window.history.replaceState(window.history.state, '', url);
    else window.history.pushState(window.history.state, '', url);
  }


  /** The tabs this token may see: Settings needs the admin scope. */
  get tabs(): DashboardTab[] {
    const admin = this.#me.value?.scopes.includes('admin') ?? false;
    return ['devices', 'clients', 'alerts', 'compliance', ...(admin ? (['settings'] as const) : [])];
  }

  protected override reload(): void {
    void this.#me.run();
    void this.#clients.run();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // An unknown or forbidden tab falls back to Devices once /me has answered.
    if (this.#me.value && !this.tabs.includes(this.tab)) this.tab = 'devices';
    if (!this.visited.has(this.tab)) this.visited = new Set(this.visited).add(this.tab);
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('urlState') && changed.get('urlState') === 'off') this.#readUrl();
    // Only once /me has answered: until then a settings link cannot be told from a forbidden one.
    else if (this.#me.value) this.#writeUrl();
  }

  override render(): TemplateResult {
    const meError = this.#me.error;
    if (meError instanceof AuthExpiredError) {
      return html`<div part="base" class="base" data-theme=${this.effectiveTheme}>${renderError(meError, () => this.reload())}</div>`;
    }
    const tabs = this.tabs;
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme}>
      <div class="bar">
      <div role="tablist" aria-label=${msg('Backup health')} part="tablist" class="tablist" @keydown=${this.#onTabKeydown}>
        ${tabs.map(
          (tab) => html`<button
            role="tab"
            type="button"
            part="tab"
            id="tab-${tab}"
            aria-controls="panel-${tab}"
            aria-selected=${tab === this.tab ? 'true' : 'false'}
            tabindex=${tab === this.tab ? 0 : -1}
            @click=${() => this.#select(tab)}
          >
            ${TAB_LABELS[tab]}
          </button>`,
        )}
      </div>
      <button type="button" part="saved-views-button" class="views-button" aria-expanded=${this.savedViews === 'closed' ? 'false' : 'true'} aria-controls="saved-views" @click=${this.#toggleSavedViews}>
        ${msg('Saved views')}
      </button>
      </div>
      <div id="saved-views" part="saved-views" ?hidden=${this.savedViews === 'closed'}>${this.#renderSavedViews()}</div>
      ${tabs.map(
        (tab) => html`<div role="tabpanel" part="tabpanel" id="panel-${tab}" aria-labelledby="tab-${tab}" tabindex="0" ?hidden=${tab !== this.tab}>
          ${this.visited.has(tab) && (this.urlState === 'off' || this.urlRead) ? this.#renderPanel(tab) : nothing}
        </div>`,
      )}
    </div>`;
  }

  #renderPanel(tab: DashboardTab): unknown {
    switch (tab) {
      case 'devices':
        return html`${this.deviceClient ? this.#renderDrilldown() : nothing} ${this.#renderStrip()}
          <backup-health-table
            client=${this.deviceClient || nothing}
            .clientFilter=${this.deviceView.clientFilter}
            .status=${this.deviceView.status}
            .kind=${this.deviceView.kind}
            .sort=${this.deviceView.sort}
            .order=${this.deviceView.order}
            .q=${this.deviceView.q}
            exportparts=${EXPORTED_PARTS.devices}
            @bh-view-change=${this.#onDeviceViewChange}
          ></backup-health-table>`;
      case 'clients':
        return html`<bh-fleet-trends></bh-fleet-trends><client-compliance exportparts=${EXPORTED_PARTS.clients} @bh-client-select=${this.#onClientSelect}></client-compliance>`;
      case 'alerts':
        return html`<alert-feed exportparts=${EXPORTED_PARTS.alerts}></alert-feed>`;
      case 'compliance':
        return html`<backup-health-compliance exportparts=${EXPORTED_PARTS.compliance}></backup-health-compliance>`;
      case 'settings':
        return this.#renderSettings();
    }
  }

  /** Counts (and the fleet trends) appear once known; until then (or if they fail) the table alone is the view. */
  #renderStrip(): unknown {
    const loaded = this.#clients.value;
    if (!loaded) return nothing;
    const { clients, strip } = loaded;
    const client = this.deviceClient || this.deviceView.clientFilter;
    return strip.renderStatusStrip(strip.countByStatus(clients, client), this.deviceView.status, (status) => {
      this.deviceView = { ...this.deviceView, status };
    }, client);
  }

  #renderSavedViews(): unknown {
    switch (this.savedViews) {
      case 'closed':
        return nothing;
      case 'failed':
        return renderError(new Error(msg('Saved views could not be loaded. Check the connection and try again.')), () => void this.#openSavedViews());
      case 'loading':
        return renderLoading(msg('Loading saved views…'));
    }
    const clients = this.#clients.value?.clients ?? [];
    return html`<bh-saved-views
      .view=${this.view}
      .token=${this.api?.token}
      .tenant=${this.#me.value?.tenant.id}
      .clientNames=${new Map(clients.map((client) => [client.id, client.name]))}
      .linkMode=${this.urlState}
      @saved-view-apply=${(event: CustomEvent<DashboardView>) => this.#applyView(event.detail)}
      @saved-views-close=${this.#toggleSavedViews}
    ></bh-saved-views>`;
  }

  async #toggleSavedViews(): Promise<void> {
    if (this.savedViews === 'closed') return this.#openSavedViews();
    this.savedViews = 'closed';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.views-button')?.focus();
  }

  async #openSavedViews(): Promise<void> {
    this.savedViews = 'loading';
    try {
      await loadSavedViews();
      this.savedViews = 'ready';
    } catch {
      this.savedViews = 'failed';
    }
  }

  #renderSettings(): unknown {
    if (this.settingsState === 'idle') void this.#loadSettings();
    if (this.settingsState === 'failed') {
      return renderError(new Error(msg('The settings could not be loaded. Check the connection and try again.')), () => void this.#loadSettings());
    }
    return this.settingsState === 'ready' ? html`<backup-health-settings></backup-health-settings>` : renderLoading(msg('Loading settings…'));
  }

  async #loadSettings(): Promise<void> {
    this.settingsState = 'loading';
    try {
      await loadSettings();
      this.settingsState = 'ready';
    } catch {
      this.settingsState = 'failed';
    }
  }

  #renderDrilldown(): TemplateResult {
    const name = this.#drillClient.value?.name ?? this.deviceClient;
    return html`<div class="drilldown" part="drilldown">
      <span>${msg(html`Devices of <strong>${name}</strong>`)}</span>
      <button type="button" class="link" @click=${() => (this.deviceClient = '')}>${msg('Show all clients')}</button>
    </div>`;
  }

  #onDeviceViewChange(event: CustomEvent<BhEventDetails['bh-view-change']>): void {
    const { clientFilter, status, kind, sort, order, q } = event.detail;
    const deviceView = { clientFilter, status, kind, sort, order, q };
    if (!sameView({ ...this.view, ...deviceView }, this.view)) this.deviceView = deviceView;
  }

  #onClientSelect(event: CustomEvent<{ clientId: string }>): void {
    this.deviceClient = event.detail.clientId;
    this.#select('devices', true);
  }

  #select(tab: DashboardTab, focus = false): void {
    if (tab !== this.tab) {
      this.tab = tab;
      this.emit('bh-tab-change', { tab });
    }
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  /** Arrow keys, Home and End move between tabs and select them (automatic activation). */
  #onTabKeydown(event: KeyboardEvent): void {
    const tabs = this.tabs;
    const index = tabs.indexOf(this.tab);
    const next: Record<string, number> = {
      ArrowRight: (index + 1) % tabs.length,
      ArrowLeft: (index - 1 + tabs.length) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    this.#select(tabs[next[event.key]!]!, true);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-dashboard': BackupHealthDashboard;
  }
}

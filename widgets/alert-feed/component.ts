import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { AlertItem, Me } from '../../core/api.ts';
import type { AlertSeverity, AlertType } from '../../core/types.ts';
import type { AlertQuery, ApiClient } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { choicesOf, renderSelect } from '../shared/controls.ts';
import { formatCount, formatDateTime, inViewTimeZone, renderTime } from '../shared/format.ts';
import { ALERT_STATE_LABELS, ALERT_TYPE_LABELS, SEVERITY_LABELS } from '../shared/labels.ts';
import { lazyModule } from '../shared/lazy-module.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderSeverity } from '../shared/status.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { byNewestTrigger, matchesAlertFilters, type AlertFilters } from './alert-filters.ts';
import { alertFeedStyles } from './styles.ts';

// The "Silence…" dialog is its own chunk, fetched on first use: most viewers never open it.
const loadSilenceDialog = lazyModule(() => import('./silence-dialog.ts'));
// Lifting a silence is rare: its API call loads on first use (with the dialog's chunk).
const loadQuietApi = lazyModule(() => import('../shared/quiet-api.ts')) as () => Promise<typeof import('../shared/quiet-api.ts')>;
// So are the note form, the history timeline, the bulk bar and the device dialog (with
// the device detail): each loads when first opened, with its API calls (acknowledge-api.ts).
const loadAcknowledgeForm = lazyModule(() => import('./acknowledge-form.ts'));
const loadTimeline = lazyModule(() => import('./alert-timeline.ts'));
const loadBulkBar = lazyModule(() => import('./bulk-acknowledge.ts'));
const loadDeviceDialog = lazyModule(() => import('./device-dialog.ts'));

const stateChoices = () => [['active', msg('Active (open or acknowledged)')], ...choicesOf(ALERT_STATE_LABELS)] as const;

/**
 * The live alert feed: each alert's severity (icon + word), type, device and client,
 * when it triggered, why, and the recommended action. Filters by state, severity and
 * type. New alerts arrive from the stream without a reload and are announced politely
 * to screen readers. Acknowledged alerts say by whom, when and with which note; "History"
 * expands the alert's timeline (`GET /alerts/{id}`); the device name opens the device's
 * detail in a side dialog and emits `bh-device-select`. With the `operate` (or `admin`)
 * scope: "Acknowledge…" (an optional note) on open alerts, "Unacknowledge…" on
 * acknowledged ones, a checkbox per unresolved alert with "Select all shown" and
 * "Acknowledge selected (N)" (per-alert outcomes summarised), and "Silence…" on
 * unresolved ones (matchers prefilled from the alert, a duration and a comment).
 * Silenced alerts say until when. Forms, timeline, bulk bar and dialogs are chunks
 * loaded on first use.
 *
 * @example
 * <alert-feed api-base="https://bff.example.com" token="…" severity="critical"></alert-feed>
 *
 * @event bh-alert-acknowledge - An alert was acknowledged (after the API accepted it): `{ alertId }`; once per alert of a bulk acknowledgement.
 * @event bh-device-select - An alert's device was opened: `{ deviceId }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart toolbar - The filters.
 * @csspart filter - Each filter `<select>`.
 * @csspart list - The list of alerts.
 * @csspart alert - Each alert.
 * @csspart acknowledge-button - "Acknowledge…": opens the note form (`operate` scope).
 * @csspart unacknowledge-button - "Unacknowledge…" on acknowledged alerts (`operate` scope).
 * @csspart acknowledged - "Acknowledged by … — 'note'".
 * @csspart history-button - Expands the alert's history (`aria-expanded`).
 * @csspart history - The expanded history (the timeline inside: part `timeline`, entries `timeline-entry`).
 * @csspart device-link - The device name: opens the device detail.
 * @csspart select - The checkbox selecting an alert; `select-all` selects every unresolved alert shown.
 * @csspart bulk-summary - The outcome of the last bulk acknowledgement.
 * @csspart silence-button - "Silence…": opens the silence dialog (`operate` scope).
 * @csspart lift-silence-button - "Lift silence" on a silenced alert: ends its silences now (`operate` scope).
 * @csspart silenced - "Silenced until …" on an alert muted by a silence.
 * @event bh-silence-create - A silence was created from an alert: `{ silenceId, alertId }`.
 * @csspart more-button - "Show more alerts".
 * @csspart status - Severity chips; also `status-<severity>`.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag alert-feed
 */
export class AlertFeed extends ApiElement {
  static override styles = [BhElement.styles, alertFeedStyles];

  /** `active` (open + acknowledged, the default), `open`, `acknowledged`, `resolved`; empty for all. */
  @property({ attribute: 'state' }) alertState: AlertFilters['state'] = 'active';

  /** `warning` or `critical`; empty for both. */
  @property() severity: AlertSeverity | '' = '';

  /** One alert type (e.g. `backup_failed`); empty for all. */
  @property() type: AlertType | '' = '';

  /** Only this client's alerts (client id). */
  @property() client?: string;

  /** Only this device's alerts (device id). */
  @property() device?: string;

  /** Alerts per page. */
  @property({ type: Number }) limit = 50;

  @state() private items: AlertItem[] = [];
  @state() private nextCursor: string | null = null;
  @state() private loadingMore = false;
  @state() private announcement = '';
  @state() private actionError: string | null = null;
  @state() private scopes: Me['scopes'] = [];
  /** The alert whose "Silence…" dialog is open. */
  @state() private silencing?: AlertItem;
  /** End of each active silence muting a listed alert, by silence id. */
  @state() private silenceEnds = new Map<string, string>();
  /** The alert whose note form is open, and for which step. */
  @state() private noting?: { id: string; mode: 'acknowledge' | 'unacknowledge' };
  /** Alerts whose history is expanded. */
  @state() private expanded = new Set<string>();
  /** Alerts ticked for a bulk acknowledgement. */
  @state() private selected = new Set<string>();
  @state() private bulkSummary = '';
  /** The alert whose device is open in the side dialog. */
  @state() private openDevice?: AlertItem;

  #clock = new ClockController(this);
  // Filtered to one client: its timezone; otherwise the tenant's.
  #zone = new ViewTimeZoneController(this, () => this.api, () => this.client);
  /** The token's scopes (GET /me), fetched once per client and token. */
  #scopes?: { api: ApiClient; token: string; scopes: Promise<Me['scopes']> };
  #alerts = this.apiTask(
    async (api, signal) => {
      // Alerts and scopes arrive together, so the Acknowledge buttons do not pop in later.
      const [page, scopes] = await Promise.all([api.listAlerts(this.#query(null), signal), this.#scopesOf(api)]);
      this.scopes = scopes;
      // "Silenced until …" needs the silences' ends; asked only when an alert is silenced.
      if (page.items.some((alert) => alert.silencedBy.length)) await this.#loadSilenceEnds(api, signal);
      this.items = [...page.items].sort(byNewestTrigger);
      this.nextCursor = page.nextCursor;
      // A new list (other filters, a reload): no ticks left on alerts no longer shown.
      this.selected = new Set();
      return page;
    },
    () => [this.alertState, this.severity, this.type, this.client, this.device, this.limit],
  );

  constructor() {
    super();
    // The device detail opened from an alert takes the feed's client and theme.
    this.provideToChildren();
    new LiveStreamController(this, () => this.api, {
      'alert.opened': (alert) => this.#receive(alert, true),
      'alert.updated': (alert) => this.#receive(alert, false),
      'alert.resolved': (alert) => this.#receive(alert, false),
      reconnected: () => this.reload(),
      authExpired: () => this.reload(),
    });
  }

  get filters(): AlertFilters {
    return { state: this.alertState, severity: this.severity, type: this.type, client: this.client || undefined, device: this.device || undefined };
  }

  #query(cursor: string | null): AlertQuery {
    return {
      state: this.alertState || undefined,
      severity: this.severity || undefined,
      type: this.type || undefined,
      client: this.client || undefined,
      device: this.device || undefined,
      limit: this.limit,
      cursor,
    };
  }

  /** The alerts in the feed, newest first. */
  get alerts(): readonly AlertItem[] {
    return this.items;
  }

  /** Settles when the current load is done. */
  get loadComplete(): Promise<unknown> {
    return this.#alerts.taskComplete.catch(() => undefined);
  }

  get #canAcknowledge(): boolean {
    return this.scopes.includes('operate') || this.scopes.includes('admin');
  }

  #scopesOf(api: ApiClient): Promise<Me['scopes']> {
    const cached = this.#scopes;
    if (cached && cached.api === api && cached.token === api.token) return cached.scopes;
    const scopes = api.me().then((me) => me.scopes);
    this.#scopes = { api, token: api.token, scopes };
    // A failed lookup is not cached: the next load asks again.
    scopes.catch(() => (this.#scopes = undefined));
    return scopes;
  }

  protected override reload(): void {
    void this.#alerts.run();
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme} aria-busy=${isBusy(this.#alerts) ? 'true' : 'false'}>
      <div class="toolbar" part="toolbar">
        ${renderSelect({ label: msg('State'), value: this.alertState, allLabel: msg('Any state'), choices: stateChoices(), onChange: (value) => (this.alertState = value) })}
        ${renderSelect({ label: msg('Severity'), value: this.severity, allLabel: msg('Any severity'), choices: choicesOf(SEVERITY_LABELS), onChange: (value) => (this.severity = value) })}
        ${renderSelect({ label: msg('Type'), value: this.type, allLabel: msg('Any type'), choices: choicesOf(ALERT_TYPE_LABELS), onChange: (value) => (this.type = value) })}
        <span class="spacer"></span>
        ${this.#renderSelectAll()}
        <span class="muted summary" part="summary">${this.#alerts.value ? this.#summary() : ''}</span>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" part="announcer">${this.announcement}</div>
      ${this.actionError ? html`<p class="status action-error" data-tone="critical" role="alert">${this.actionError}</p>` : nothing}
      ${this.bulkSummary ? html`<p class="status" part="bulk-summary">${this.bulkSummary}</p>` : nothing}
      ${this.selected.size
        ? html`<bh-bulk-acknowledge
            .client=${this.api}
            .ids=${[...this.selected]}
            @bulk-acknowledged=${this.#bulkAcknowledged}
            @bulk-failed=${(event: CustomEvent) => this.handleError(event.detail)}
            @bulk-clear=${() => (this.selected = new Set())}
          ></bh-bulk-acknowledge>`
        : nothing}
      ${renderAsync(this.#alerts, { loading: msg('Loading alerts…'), retry: () => this.reload(), complete: () => this.#renderList() })}
      ${this.silencing
        ? html`<bh-silence-dialog
            .alert=${this.silencing}
            .timeZone=${this.#zone.value}
            .client=${this.api}
            theme=${this.effectiveTheme}
            @silence-created=${this.#silenced}
            @silence-failed=${(event: CustomEvent) => this.handleError(event.detail)}
            @silence-closed=${this.#silenceClosed}
          ></bh-silence-dialog>`
        : nothing}
      ${this.openDevice
        ? html`<bh-alert-device-dialog device-id=${this.openDevice.device.id} device-name=${this.openDevice.device.name} @device-closed=${this.#deviceClosed}></bh-alert-device-dialog>`
        : nothing}
    </div>`;
  }

  #renderList(): TemplateResult {
    if (this.items.length === 0) return renderEmpty(msg('No alerts match these filters.'), msg('New alerts appear here as soon as they open.'));
    return html`<ul class="alerts" part="list">
        ${this.items.map((alert) => this.#renderAlert(alert))}
      </ul>
      ${this.nextCursor
        ? html`<button type="button" part="more-button" ?disabled=${this.loadingMore} @click=${this.#loadMore}>${this.loadingMore ? msg('Loading…') : msg('Show more alerts')}</button>`
        : nothing}`;
  }

  /** "12 alerts", "50+ alerts". */
  #summary(): string {
    const count = `${formatCount(this.items.length)}${this.nextCursor ? '+' : ''}`;
    return this.items.length === 1 && !this.nextCursor ? msg(str`${count} alert`) : msg(str`${count} alerts`);
  }

  #renderAlert(alert: AlertItem): TemplateResult {
    const label = ALERT_TYPE_LABELS[alert.type] ?? alert.type;
    const now = this.#clock.now;
    const zone = this.#zone.value;
    const operate = this.#canAcknowledge;
    const id = alert.id;
    const expanded = this.expanded.has(id);
    const noting = this.noting?.id === id ? this.noting : undefined;
    const on = msg(str`${label} on ${alert.device.name}`);
    const which = html`<span class="visually-hidden"> ${on}</span>`;
    return html`<li part="alert" class="alert" data-alert=${id} data-severity=${alert.severity} data-state=${alert.state}>
      <article tabindex="-1" aria-labelledby="title-${id}">
        <div class="alert-head">
          ${operate && alert.state !== 'resolved'
            ? html`<input type="checkbox" part="select" aria-label=${msg(str`Select ${on}`)} .checked=${this.selected.has(id)} @change=${(event: Event) => this.#select([id], (event.target as HTMLInputElement).checked)} />`
            : nothing}
          ${renderSeverity(alert.severity)}
          <span class="alert-title" id="title-${id}">${label}: <button type="button" class="link" part="device-link" @click=${() => this.#openDevice(alert)}>${alert.device.name}</button></span>
          <span class="alert-state" part="alert-state">${ALERT_STATE_LABELS[alert.state]}</span>
        </div>
        <p class="meta muted">${alert.client.name} · ${msg(html`triggered ${renderTime(alert.triggeredAt, now, zone)}`)}${alert.resolvedAt ? html` · ${msg(html`resolved ${renderTime(alert.resolvedAt, now, zone)}`)}` : nothing}</p>
        ${alert.state === 'acknowledged' && alert.acknowledgedAt
          ? html`<p class="acknowledged" part="acknowledged">${alert.acknowledgedBy ? msg(html`Acknowledged by ${alert.acknowledgedBy} ${renderTime(alert.acknowledgedAt, now, zone)}`) : msg(html`Acknowledged ${renderTime(alert.acknowledgedAt, now, zone)}`)}${alert.acknowledgementNote ? html` — <q>${alert.acknowledgementNote}</q>` : nothing}</p>`
          : nothing}
        ${alert.reason ? html`<p class="reason">${inViewTimeZone(alert.reason, zone)}</p>` : nothing}
        <p class="action"><strong>${msg('Recommended action:')}</strong> ${alert.recommendedAction}</p>
        ${alert.silencedBy.length ? html`<p class="silenced" part="silenced">${this.#silencedUntil(alert)}</p>` : nothing}
        <div class="alert-actions">
          <button type="button" part="history-button" aria-expanded=${expanded ? 'true' : 'false'} aria-controls="history-${id}" @click=${() => this.#toggleHistory(id)}>${msg('History')}${which}</button>
          ${operate && alert.state !== 'resolved' && !noting
            ? alert.state === 'open'
              ? html`<button type="button" part="acknowledge-button" @click=${() => this.#openNote(id, 'acknowledge')}>${msg('Acknowledge…')}${which}</button>`
              : html`<button type="button" part="unacknowledge-button" @click=${() => this.#openNote(id, 'unacknowledge')}>${msg('Unacknowledge…')}${which}</button>`
            : nothing}
          ${operate && alert.state !== 'resolved' ? html`<button type="button" part="silence-button" @click=${() => this.#openSilence(alert)}>${msg('Silence…')}${which}</button>` : nothing}
          ${operate && alert.silencedBy.length ? html`<button type="button" part="lift-silence-button" @click=${() => this.#liftSilence(alert)}>${msg('Lift silence')}${which}</button>` : nothing}
        </div>
        ${noting
          ? html`<bh-acknowledge-form
              .alert=${alert}
              .client=${this.api}
              mode=${noting.mode}
              @acknowledge-done=${this.#noted}
              @acknowledge-failed=${(event: CustomEvent) => this.handleError(event.detail)}
              @acknowledge-cancel=${() => this.#closeNote(id)}
            ></bh-acknowledge-form>`
          : nothing}
        <div id="history-${id}" part="history" ?hidden=${!expanded}>
          ${expanded ? html`<bh-alert-timeline .client=${this.api} .timeZone=${zone} alert-id=${id} revision=${alert.updatedAt} @timeline-failed=${(event: CustomEvent) => this.handleError(event.detail)}></bh-alert-timeline>` : nothing}
        </div>
      </article>
    </li>`;
  }

  /** The unresolved alerts shown: what checkboxes and "Select all shown" cover. */
  get #selectable(): string[] {
    return this.items.filter((alert) => alert.state !== 'resolved').map((alert) => alert.id);
  }

  #renderSelectAll(): unknown {
    const ids = this.#selectable;
    if (!this.#canAcknowledge || ids.length === 0) return nothing;
    const chosen = ids.filter((id) => this.selected.has(id)).length;
    return html`<label class="check"><input type="checkbox" part="select-all" .checked=${chosen === ids.length} .indeterminate=${chosen > 0 && chosen < ids.length} @change=${(event: Event) => this.#select(ids, (event.target as HTMLInputElement).checked)} /><span>${msg('Select all shown')}</span></label>`;
  }

  #select(ids: string[], on: boolean): void {
    const selected = new Set(this.selected);
    for (const id of ids) on ? selected.add(id) : selected.delete(id);
    // At once (several ticks in a row add up); the bar upgrades when its chunk arrives.
    this.selected = selected;
    if (selected.size) void this.#lazy(loadBulkBar, () => 0);
  }

  /** Loads a chunk, then shows what needs it; a failed load says so (and may be retried). */
  async #lazy(load: () => Promise<unknown>, then: () => unknown): Promise<void> {
    try {
      await load();
      this.actionError = null;
      then();
    } catch {
      this.actionError = msg('This part of the feed could not be loaded. Check the connection and try again.');
    }
  }

  // The bar emits bh-alert-acknowledge per alert acknowledged; the feed shows the answers.
  #bulkAcknowledged = (event: CustomEvent<{ alerts: AlertItem[]; summary: string }>): void => {
    const { alerts, summary } = event.detail;
    for (const alert of alerts) this.#replace(alert);
    this.selected = new Set();
    this.bulkSummary = `${summary}.`;
    this.announcement = msg(str`Bulk acknowledgement: ${summary}.`);
  };

  #toggleHistory(id: string): void {
    const expanded = new Set(this.expanded);
    if (expanded.delete(id)) this.expanded = expanded;
    else void this.#lazy(loadTimeline, () => (this.expanded = expanded.add(id)));
  }

  #openNote(id: string, mode: 'acknowledge' | 'unacknowledge'): void {
    void this.#lazy(loadAcknowledgeForm, () => (this.noting = { id, mode }));
  }

  async #closeNote(id: string): Promise<void> {
    this.noting = undefined;
    // Back to where the keyboard user was.
    await this.updateComplete;
    this.#focusIn(id, '[part~="acknowledge-button"], [part~="unacknowledge-button"]');
  }

  #noted = (event: CustomEvent<AlertItem>): void => {
    const updated = event.detail;
    const acknowledged = updated.state === 'acknowledged';
    this.#replace(updated);
    const what = ALERT_TYPE_LABELS[updated.type] ?? updated.type;
    this.announcement = acknowledged ? msg(str`Acknowledged: ${what} on ${updated.device.name}.`) : msg(str`Unacknowledged: ${what} on ${updated.device.name}.`);
    if (acknowledged) this.emit('bh-alert-acknowledge', { alertId: updated.id });
    void this.#closeNote(updated.id);
  };

  #openDevice(alert: AlertItem): void {
    this.emit('bh-device-select', { deviceId: alert.device.id });
    void this.#lazy(loadDeviceDialog, () => (this.openDevice = alert));
  }

  /** Focuses `selector` in an alert, or the alert itself when that control is gone. */
  #focusIn(alertId: string, selector: string): void {
    const card = this.renderRoot.querySelector(`[data-alert="${CSS.escape(alertId)}"]`);
    (card?.querySelector<HTMLElement>(selector) ?? card?.querySelector<HTMLElement>('article'))?.focus();
  }

  #deviceClosed = async (): Promise<void> => {
    const id = this.openDevice!.id;
    this.openDevice = undefined;
    await this.updateComplete;
    this.#focusIn(id, '[part~="device-link"]');
  };

  async #loadSilenceEnds(api: ApiClient, signal?: AbortSignal): Promise<void> {
    const silences = await api.getJson('/silences', { query: { state: 'active', limit: 100 }, signal });
    this.silenceEnds = new Map(silences.items.map((silence) => [silence.id, silence.endsAt]));
  }

  /** "Silenced until <the latest end>" ("Silenced" while the ends are unknown). */
  #silencedUntil(alert: AlertItem): unknown {
    const ends = alert.silencedBy.map((id) => this.silenceEnds.get(id)).filter((end): end is string => end !== undefined).sort();
    return ends.length ? msg(html`Silenced until <time datetime=${ends.at(-1)!}>${formatDateTime(ends.at(-1), this.#zone.value)}</time>`) : msg('Silenced');
  }

  /**
   * Ends the silences muting this alert now (`DELETE /silences/{id}`), so whoever silenced
   * by mistake can undo it without Settings (admin only). A silence matching more alerts
   * lifts for all of them, as in Settings.
   */
  async #liftSilence(alert: AlertItem): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.actionError = null;
    try {
      const { expireSilence } = await loadQuietApi();
      for (const id of alert.silencedBy) await expireSilence(api, id);
      this.announcement = msg(str`Silence lifted: ${ALERT_TYPE_LABELS[alert.type] ?? alert.type} on ${alert.device.name}.`);
      this.reload();
    } catch (error) {
      this.handleError(error);
      this.actionError = error instanceof ProblemError ? msg(str`Could not lift the silence: ${error.problem.title}`) : msg('Could not lift the silence.');
    }
  }

  #openSilence(alert: AlertItem): void {
    void this.#lazy(loadSilenceDialog, () => (this.silencing = alert));
  }

  #silenced = (event: CustomEvent<{ id: string }>): void => {
    const alert = this.silencing!;
    this.announcement = msg(str`Silenced: ${ALERT_TYPE_LABELS[alert.type] ?? alert.type} on ${alert.device.name}.`);
    this.emit('bh-silence-create', { silenceId: event.detail.id, alertId: alert.id });
    this.reload();
  };

  #silenceClosed = async (): Promise<void> => {
    const id = this.silencing?.id;
    this.silencing = undefined;
    // Back to where the keyboard user was.
    await this.updateComplete;
    if (id) this.#focusIn(id, '[part~="silence-button"]');
  };

  async #loadMore(): Promise<void> {
    const api = this.api;
    if (!api || !this.nextCursor) return;
    this.loadingMore = true;
    try {
      const page = await api.listAlerts(this.#query(this.nextCursor));
      const known = new Set(this.items.map((alert) => alert.id));
      this.items = [...this.items, ...page.items.filter((alert) => !known.has(alert.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.handleError(error);
      this.actionError = error instanceof ProblemError ? msg(str`Could not load more alerts: ${error.problem.title}`) : msg('Could not load more alerts.');
    } finally {
      this.loadingMore = false;
    }
  }

  /**
   * Applies an alert from the stream. Alerts already listed change in place (even when
   * they no longer match, so nothing vanishes under the reader); new matching ones are
   * inserted by trigger time, and newly opened ones are announced.
   */
  #receive(alert: AlertItem, opened: boolean): void {
    if (!this.#alerts.value) return;
    // Silenced by a silence made elsewhere: fetch its end ("Silenced" meanwhile).
    if (this.api && alert.silencedBy.some((id) => !this.silenceEnds.has(id))) this.#loadSilenceEnds(this.api).catch((error) => this.handleError(error));
    if (this.#replace(alert)) return;
    if (!matchesAlertFilters(alert, this.filters)) return;
    this.items = [...this.items, alert].sort(byNewestTrigger);
    if (opened) {
      const what = ALERT_TYPE_LABELS[alert.type] ?? alert.type;
      this.announcement =
        alert.severity === 'critical'
          ? msg(str`New critical alert: ${what} on ${alert.device.name} (${alert.client.name}).`)
          : msg(str`New warning alert: ${what} on ${alert.device.name} (${alert.client.name}).`);
    }
  }

  #replace(alert: AlertItem): boolean {
    const index = this.items.findIndex((item) => item.id === alert.id);
    if (index === -1) return false;
    this.items = this.items.with(index, alert);
    return true;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'alert-feed': AlertFeed;
  }
}

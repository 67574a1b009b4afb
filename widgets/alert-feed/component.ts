import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AlertItem, Me } from '../../core/api.ts';
import type { AlertSeverity, AlertType } from '../../core/types.ts';
import type { AlertQuery, ApiClient } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { choicesOf, renderSelect } from '../shared/controls.ts';
import { formatCount, formatDateTime, renderTime } from '../shared/format.ts';
import { ALERT_STATE_LABELS, ALERT_TYPE_LABELS, SEVERITY_LABELS } from '../shared/labels.ts';
import { lazyModule } from '../shared/lazy-module.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderSeverity } from '../shared/status.ts';
import { byNewestTrigger, matchesAlertFilters, type AlertFilters } from './alert-filters.ts';
import { alertFeedStyles } from './styles.ts';

// The "Silence…" dialog is its own chunk, fetched on first use: most viewers never open it.
const loadSilenceDialog = lazyModule(() => import('./silence-dialog.ts'));

const STATE_CHOICES = [['active', 'Active (open or acknowledged)'], ['open', 'Open'], ['acknowledged', 'Acknowledged'], ['resolved', 'Resolved']] as const;

/**
 * The live alert feed: each alert's severity (icon + word), type, device and client,
 * when it triggered, why, and the recommended action. Filters by state, severity and
 * type. New alerts arrive from the stream without a reload and are announced politely
 * to screen readers. With the `operate` (or `admin`) scope an Acknowledge button
 * appears on open alerts,
 * and "Silence…" on unresolved ones (matchers prefilled from the alert, a duration and a
 * comment; the dialog is loaded on first use). Silenced alerts say until when.
 *
 * @example
 * <alert-feed api-base="https://bff.example.com" token="…" severity="critical"></alert-feed>
 *
 * @event bh-alert-acknowledge - An alert was acknowledged (after the API accepted it): `{ alertId }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart toolbar - The filters.
 * @csspart filter - Each filter `<select>`.
 * @csspart list - The list of alerts.
 * @csspart alert - Each alert.
 * @csspart acknowledge-button - The Acknowledge button.
 * @csspart silence-button - "Silence…": opens the silence dialog (`operate` scope).
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
  @state() private pending = new Set<string>();
  @state() private actionError: string | null = null;
  @state() private scopes: Me['scopes'] = [];
  /** The alert whose "Silence…" dialog is open. */
  @state() private silencing?: AlertItem;
  /** End of each active silence muting a listed alert, by silence id. */
  @state() private silenceEnds = new Map<string, string>();

  #clock = new ClockController(this);
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
      return page;
    },
    () => [this.alertState, this.severity, this.type, this.client, this.device, this.limit],
  );

  constructor() {
    super();
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
        ${renderSelect({ label: 'State', value: this.alertState, allLabel: 'Any state', choices: STATE_CHOICES, onChange: (value) => (this.alertState = value) })}
        ${renderSelect({ label: 'Severity', value: this.severity, allLabel: 'Any severity', choices: choicesOf(SEVERITY_LABELS), onChange: (value) => (this.severity = value) })}
        ${renderSelect({ label: 'Type', value: this.type, allLabel: 'Any type', choices: choicesOf(ALERT_TYPE_LABELS), onChange: (value) => (this.type = value) })}
        <span class="spacer"></span>
        <span class="muted summary" part="summary">${this.#alerts.value ? `${formatCount(this.items.length)}${this.nextCursor ? '+' : ''} ${this.items.length === 1 ? 'alert' : 'alerts'}` : ''}</span>
      </div>
      <div class="visually-hidden" role="status" aria-live="polite" part="announcer">${this.announcement}</div>
      ${this.actionError ? html`<p class="status action-error" data-tone="critical" role="alert">${this.actionError}</p>` : nothing}
      ${renderAsync(this.#alerts, { loading: 'Loading alerts…', retry: () => this.reload(), complete: () => this.#renderList() })}
      ${this.silencing
        ? html`<bh-silence-dialog
            .alert=${this.silencing}
            .client=${this.api}
            theme=${this.effectiveTheme}
            @silence-created=${this.#silenced}
            @silence-failed=${(event: CustomEvent) => this.handleError(event.detail)}
            @silence-closed=${this.#silenceClosed}
          ></bh-silence-dialog>`
        : nothing}
    </div>`;
  }

  #renderList(): TemplateResult {
    if (this.items.length === 0) return renderEmpty('No alerts match these filters.', 'New alerts appear here as soon as they open.');
    return html`<ul class="alerts" part="list">
        ${this.items.map((alert) => this.#renderAlert(alert))}
      </ul>
      ${this.nextCursor
        ? html`<button type="button" part="more-button" ?disabled=${this.loadingMore} @click=${this.#loadMore}>${this.loadingMore ? 'Loading…' : 'Show more alerts'}</button>`
        : nothing}`;
  }

  #renderAlert(alert: AlertItem): TemplateResult {
    const label = ALERT_TYPE_LABELS[alert.type] ?? alert.type;
    const now = this.#clock.now;
    return html`<li part="alert" class="alert" data-alert=${alert.id} data-severity=${alert.severity} data-state=${alert.state}>
      <article tabindex="-1" aria-labelledby="title-${alert.id}">
        <div class="alert-head">
          ${renderSeverity(alert.severity)}
          <span class="alert-title" id="title-${alert.id}">${label}: ${alert.device.name}</span>
          <span class="alert-state" part="alert-state">${ALERT_STATE_LABELS[alert.state]}</span>
        </div>
        <p class="meta muted">${alert.client.name} · triggered ${renderTime(alert.triggeredAt, now)}${alert.acknowledgedAt && alert.state === 'acknowledged' ? html` · acknowledged ${renderTime(alert.acknowledgedAt, now)}` : nothing}${alert.resolvedAt ? html` · resolved ${renderTime(alert.resolvedAt, now)}` : nothing}</p>
        ${alert.reason ? html`<p class="reason">${alert.reason}</p>` : nothing}
        <p class="action"><strong>Recommended action:</strong> ${alert.recommendedAction}</p>
        ${alert.silencedBy.length ? html`<p class="silenced" part="silenced">${this.#silencedUntil(alert)}</p>` : nothing}
        ${this.#canAcknowledge && alert.state === 'open'
          ? html`<button type="button" part="acknowledge-button" ?disabled=${this.pending.has(alert.id)} @click=${() => this.#acknowledge(alert)}>
              ${this.pending.has(alert.id) ? 'Acknowledging…' : 'Acknowledge'}<span class="visually-hidden"> ${label} on ${alert.device.name}</span>
            </button>`
          : nothing}
        ${this.#canAcknowledge && alert.state !== 'resolved'
          ? html`<button type="button" part="silence-button" @click=${() => this.#openSilence(alert)}>Silence…<span class="visually-hidden"> ${label} on ${alert.device.name}</span></button>`
          : nothing}
      </article>
    </li>`;
  }

  async #loadSilenceEnds(api: ApiClient, signal?: AbortSignal): Promise<void> {
    const silences = await api.getJson('/silences', { query: { state: 'active', limit: 100 }, signal });
    this.silenceEnds = new Map(silences.items.map((silence) => [silence.id, silence.endsAt]));
  }

  /** "Silenced until <the latest end>" ("Silenced" while the ends are unknown). */
  #silencedUntil(alert: AlertItem): unknown {
    const ends = alert.silencedBy.map((id) => this.silenceEnds.get(id)).filter((end): end is string => end !== undefined).sort();
    return ends.length ? html`Silenced until <time datetime=${ends.at(-1)!}>${formatDateTime(ends.at(-1))}</time>` : 'Silenced';
  }

  async #openSilence(alert: AlertItem): Promise<void> {
    try {
      await loadSilenceDialog();
      this.silencing = alert;
    } catch {
      this.actionError = 'Could not open the silence dialog. Please try again.';
    }
  }

  #silenced = (event: CustomEvent<{ id: string }>): void => {
    const alert = this.silencing!;
    this.announcement = `Silenced: ${ALERT_TYPE_LABELS[alert.type] ?? alert.type} on ${alert.device.name}.`;
    this.emit('bh-silence-create', { silenceId: event.detail.id, alertId: alert.id });
    this.reload();
  };

  #silenceClosed = async (): Promise<void> => {
    const id = this.silencing?.id;
    this.silencing = undefined;
    // Back to where the keyboard user was.
    await this.updateComplete;
    if (id) this.renderRoot.querySelector<HTMLElement>(`[data-alert="${CSS.escape(id)}"] [part~="silence-button"], [data-alert="${CSS.escape(id)}"] article`)?.focus();
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
      this.actionError = error instanceof ProblemError ? `Could not load more alerts: ${error.problem.title}` : 'Could not load more alerts.';
    } finally {
      this.loadingMore = false;
    }
  }

  async #acknowledge(alert: AlertItem): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.pending = new Set(this.pending).add(alert.id);
    this.actionError = null;
    try {
      const updated = await api.acknowledgeAlert(alert.id);
      this.#replace(updated);
      this.announcement = `Acknowledged: ${ALERT_TYPE_LABELS[updated.type] ?? updated.type} on ${updated.device.name}.`;
      this.emit('bh-alert-acknowledge', { alertId: updated.id });
      // The button is gone now; keep the keyboard user on this alert.
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`[data-alert="${CSS.escape(updated.id)}"] article`)?.focus();
    } catch (error) {
      this.handleError(error);
      const detail = error instanceof ProblemError ? `${error.problem.title}${error.problem.detail ? `: ${error.problem.detail}` : ''}` : 'Please try again.';
      this.actionError = `Could not acknowledge the alert. ${detail}`;
    } finally {
      const pending = new Set(this.pending);
      pending.delete(alert.id);
      this.pending = pending;
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
      this.announcement = `New ${SEVERITY_LABELS[alert.severity].toLowerCase()} alert: ${ALERT_TYPE_LABELS[alert.type] ?? alert.type} on ${alert.device.name} (${alert.client.name}).`;
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

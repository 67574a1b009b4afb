import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { initialState } from '@lit/task';
import { msg, str } from '@lit/localize';
import type { AlertItem, DeviceDetail } from '../../core/api.ts';
import { COMPONENT_ORDER, explainScore } from '../../core/score-band.ts';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderAsync } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ChartController } from '../shared/chart-controller.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { formatBytes, formatCount, formatDateTime, formatPercent, inViewTimeZone, orDash, renderTime, safeHttpUrl } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { ALERT_TYPE_LABELS, COMPONENT_LABELS, KIND_LABELS, STATUS_LABELS } from '../shared/labels.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderJobStatus, renderSeverity, renderSlaState, renderStatus, renderTone } from '../shared/status.ts';
import { renderStorage } from '../shared/storage.ts';
import { runStripStyles, renderRuns } from '../shared/run-strip.ts';
import { storageStyles } from '../shared/styles.ts';
import { describeStorageTrend, storageTrendConfig } from './storage-chart.ts';
import { draftOf, failureOf, renderManualResultForm, type FormState } from './manual-result-form.ts';
import { deviceDetailStyles } from './styles.ts';

/**
 * One device in depth: status and score with its breakdown (each component's value,
 * weight and points, and the reasons in words), SLA state, open alerts, a storage trend
 * chart (chart.js, loaded on first use), job history and DR tests. Refreshes itself
 * when the stream reports a change to the device. `<backup-health-table>` shows it in
 * its detail panel; it also works alone.
 *
 * @example
 * <backup-health-device-detail api-base="https://bff.example.com" token="…" device-id="dev-42"></backup-health-device-detail>
 *
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart header - Name, status and score.
 * @csspart facts - Client, kind, policy, last backup, storage.
 * @csspart section - Each titled section.
 * @csspart score-table - The score breakdown.
 * @csspart reporting - "How this device reports" (admins): ping URL, cron line, report mail; `copy-button` each copy button.
 * @csspart chart - The storage trend chart.
 * @csspart jobs-table - The job history.
 * @csspart status - Any status (icon + word); also `status-<tone>`.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-device-detail
 */
export class BackupHealthDeviceDetail extends ApiElement {
  static override styles = [BhElement.styles, storageStyles, runStripStyles, deviceDetailStyles];

  /** The device to show (its external id). */
  @property({ attribute: 'device-id' }) deviceId?: string;

  #clock = new ClockController(this);
  #zone = new ViewTimeZoneController(this, () => this.api);
  /** The chart's input: a new history or zone redraws it. */
  #storage?: { history: DeviceDetail['storageHistory']; zone?: string };

  @state() private manualForm: FormState = { phase: 'idle' };
  @state() private copied = '';

  /** Whether this token may act (operate or admin): shows "Record a result by hand". */
  #scopes = this.apiTask(async (api, signal) => (await api.me(signal)).scopes);

  #device = this.apiTask(
    async (api, signal) => (this.deviceId ? api.device(this.deviceId, signal) : initialState),
    () => [this.deviceId],
  );

  #chart = new ChartController(this, {
    canvas: () => this.renderRoot.querySelector<HTMLCanvasElement>('canvas.storage-chart'),
    data: () => {
      const history = this.#device.value?.storageHistory;
      if (!history || history.length === 0) return undefined;
      const zone = this.#zone.value;
      if (this.#storage?.history !== history || this.#storage.zone !== zone) this.#storage = { history, zone };
      return this.#storage;
    },
    config: ({ history, zone }, palette) => storageTrendConfig(history, palette, zone),
  });

  constructor() {
    super();
    const refreshIfMine = (item: { id?: string; device?: { id: string } }) => {
      if ((item.device?.id ?? item.id) === this.deviceId) this.reload();
    };
    new LiveStreamController(this, () => this.api, {
      'device.updated': refreshIfMine,
      'alert.opened': refreshIfMine,
      'alert.updated': refreshIfMine,
      'alert.resolved': refreshIfMine,
    });
  }

  /** Settles when the storage chart (if any) is drawn. */
  get chartReady(): Promise<void> {
    return this.#chart.ready;
  }

  protected override reload(): void {
    void this.#device.run();
  }

  async #recordManualResult(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const form = event.currentTarget as HTMLFormElement;
    if (!api || !this.deviceId || this.manualForm.phase === 'saving') return;
    const draft = draftOf(form);
    this.manualForm = { phase: 'saving' };
    try {
      await api.recordManualResult(this.deviceId, draft);
      this.manualForm = { phase: 'saved', status: draft.status };
      form.reset();
      this.reload();
    } catch (error) {
      this.manualForm = failureOf(error);
      this.handleError(error);
    }
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme} aria-busy=${isBusy(this.#device) ? 'true' : 'false'}>
      ${renderAsync(this.#device, { loading: msg('Loading device…'), retry: () => this.reload(), complete: (device) => this.#renderDevice(device) })}
    </div>`;
  }

  #renderDevice(d: DeviceDetail): TemplateResult {
    const now = this.#clock.now;
    const zone = this.#zone.value;
    return html`
      <header part="header" class="header">
        <h2 part="title">${d.name}</h2>
        <p class="headline">${renderStatus(d.status)} <span>${msg(html`Score <strong>${d.score}</strong> of 100`)}</span></p>
        ${d.maintenance
          ? html`<p class="maintenance" part="maintenance">${renderTone('unknown', msg('Maintenance:'))} ${msg(html`${d.maintenance.name} until <time datetime=${d.maintenance.until}>${formatDateTime(d.maintenance.until, zone)}</time>`)}
              <span class="muted">${msg('(nothing is sent and the device is not judged until then)')}</span></p>`
          : nothing}
        ${d.offlineSince
          ? html`<p class="maintenance" part="offline">${renderTone('unknown', msg('Offline:'), 'offline')} ${msg(html`no sign of life since <time datetime=${d.offlineSince}>${formatDateTime(d.offlineSince, zone)}</time>`)}
              <span class="muted">${msg('(runs it sleeps through are skipped, not missed)')}</span></p>`
          : nothing}
      </header>
      <dl part="facts" class="facts">
        <div><dt>${msg('Client')}</dt><dd>${d.client.name}</dd></div>
        <div><dt>${msg('Kind')}</dt><dd>${KIND_LABELS[d.kind] ?? d.kind}</dd></div>
        <div><dt>${msg('Policy')}</dt><dd>${d.policy.name}: ${d.schedule.text}</dd></div>
        <div><dt>${msg('Next run due')}</dt><dd>${d.nextDueAt ? html`<time datetime=${d.nextDueAt}>${formatDateTime(d.nextDueAt, zone)}</time>` : '—'}${d.lateSince ? html` ${renderTone('warning', msg(str`· missed since ${formatDateTime(d.lateSince, zone)}`))}` : nothing}</dd></div>
        <div><dt>${d.runs.length === 1 ? msg('Last run') : msg(str`Last ${d.runs.length} runs`)}</dt><dd>${renderRuns(d.runs, zone)}</dd></div>
        <div><dt>${msg('Last successful backup')}</dt><dd>${renderTime(d.lastSuccessAt, now, zone)}</dd></div>
        <div><dt>${msg('Storage')}</dt><dd>${renderStorage(d.storage)}</dd></div>
        <div><dt>${msg('Enrolled')}</dt><dd>${formatDateTime(d.enrolledAt, zone)}</dd></div>
      </dl>
      ${this.#section('score', msg('Score breakdown'), this.#renderScore(d, zone))}
      ${this.#section('sla', msg('SLA'), this.#renderSla(d, now, zone))}
      ${this.#section('alerts', msg('Open alerts'), this.#renderAlerts(d.openAlerts, now, zone))}
      ${this.#section('storage', msg('Storage trend'), this.#renderStorageTrend(d, zone))}
      ${this.#section('jobs', msg('Job history'), html`${this.#canOperate ? renderManualResultForm(this.manualForm, (event) => void this.#recordManualResult(event)) : nothing}${this.#renderJobs(d, zone)}`)}
      ${this.#section('dr-tests', msg('DR tests'), this.#renderDrTests(d, zone))}
      ${this.#section('reporting', msg('How this device reports'), this.#renderReporting(d))}
    `;
  }

  get #canOperate(): boolean {
    const scopes = this.#scopes.value ?? [];
    return scopes.includes('operate') || scopes.includes('admin');
  }

  #section(id: string, title: string, content: unknown): TemplateResult {
    return html`<section part="section" aria-labelledby="${id}-heading"><h3 id="${id}-heading">${title}</h3>${content}</section>`;
  }

  #renderScore(d: DeviceDetail, zone?: string): TemplateResult {
    const explained = explainScore(d.status, d.components);
    return html`<table class="data" part="score-table">
        <thead>
          <tr><th scope="col">${msg('Component')}</th><th scope="col" class="number">${msg('Value')}</th><th scope="col" class="number">${msg('Weight')}</th><th scope="col" class="number">${msg('Points')}</th></tr>
        </thead>
        <tbody>
          ${COMPONENT_ORDER.map((name) => {
            const component = d.components[name];
            return component
              ? html`<tr>
                  <th scope="row">${COMPONENT_LABELS[name]}</th>
                  <td class="number">${formatPercent(component.value * 100)}</td>
                  <td class="number">${formatPercent(component.weight * 100)}</td>
                  <td class="number">${formatCount(component.points)}</td>
                </tr>`
              : nothing;
          })}
        </tbody>
        <tfoot>
          <tr><th scope="row">${msg('Total')}</th><td></td><td></td><td class="number">${formatCount(explained.points)}</td></tr>
        </tfoot>
      </table>
      <p part="score-band" class="muted">${this.#bandSentence(d.status, explained)}</p>
      ${d.reasons.length ? html`<ul class="reasons" part="reasons">${d.reasons.map((reason) => html`<li>${inViewTimeZone(reason, zone)}</li>`)}</ul>` : nothing}
      <p class="muted" part="evaluated-at">${msg(html`As evaluated at <time datetime=${d.evaluatedAt}>${formatDateTime(d.evaluatedAt, zone)}</time>; evaluated again when a result arrives or a run falls due.`)}</p>`;
  }

  /** The step from points to score: the status fixes the band, the points the place in it. */
  #bandSentence(status: DeviceDetail['status'], { points, band: [low, high], score }: ReturnType<typeof explainScore>): string {
    if (status === 'unknown') return msg('Unknown devices score 0 until their backups can be judged; the points show what this one would earn.');
    return msg(str`${STATUS_LABELS[status]} devices score ${low}–${high}: ${formatCount(points)} of 100 points place this one at ${low} + ${formatPercent(points)} of ${high - low} = ${score}.`);
  }

  #renderSla(d: DeviceDetail, now: number, zone?: string): TemplateResult {
    return html`<p>
      ${renderSlaState(d.sla.state)} <span class="muted">· ${msg(str`a successful backup at least every ${d.sla.maxHours} h`)}</span>
      ${d.sla.breachSince ? html`<br />${msg(html`In breach since ${renderTime(d.sla.breachSince, now, zone)}`)}` : nothing}
    </p>`;
  }

  #renderAlerts(alerts: AlertItem[], now: number, zone?: string): TemplateResult {
    if (alerts.length === 0) return html`<p class="muted">${msg('No open alerts.')}</p>`;
    return html`<ul class="alerts" part="alerts">
      ${alerts.map(
        (alert) => html`<li>
          ${renderSeverity(alert.severity)} <strong>${ALERT_TYPE_LABELS[alert.type] ?? alert.type}</strong>
          <span class="muted">· ${renderTime(alert.triggeredAt, now, zone)}</span>
          <div>${inViewTimeZone(alert.reason, zone)}</div>
          <div class="muted">${alert.recommendedAction}</div>
        </li>`,
      )}
    </ul>`;
  }

  #renderStorageTrend(d: DeviceDetail, zone?: string): TemplateResult {
    if (d.storageHistory.length === 0) return html`<p class="muted">${msg('No storage reports yet.')}</p>`;
    return html`<div class="chart" part="chart">
      <canvas class="storage-chart" role="img" aria-label=${describeStorageTrend(d.storageHistory, zone)}></canvas>
    </div>`;
  }

  #renderJobs(d: DeviceDetail, zone?: string): TemplateResult {
    if (d.jobs.length === 0) return html`<p class="muted">${msg('No backup jobs yet.')}</p>`;
    return html`<div class="table-wrap"><table class="data" part="jobs-table">
      <thead>
        <tr><th scope="col">${msg('Result')}</th><th scope="col">${msg('Started')}</th><th scope="col">${msg('Ended')}</th><th scope="col" class="number">${msg('Size')}</th><th scope="col">${msg('Message')}</th><th scope="col">${msg('Log')}</th></tr>
      </thead>
      <tbody>
        ${d.jobs.map((job) => {
          const log = safeHttpUrl(job.logUrl);
          return html`<tr>
            <td>${renderJobStatus(job.status)}</td>
            <td>${formatDateTime(job.startedAt, zone)}</td>
            <td>${formatDateTime(job.endedAt, zone)}</td>
            <td class="number">${formatBytes(job.bytes)}</td>
            <td>${job.source === 'manual' ? html`<span class="badge" part="manual-badge">${msg('Entered by hand')}</span> <span class="muted">${job.recordedBy}:</span> ${job.note}` : orDash(job.message)}</td>
            <td>${log ? html`<a href=${log} target="_blank" rel="noopener noreferrer">${msg('Job log')}<span class="visually-hidden"> ${msg('(opens in a new tab)')}</span></a>` : orDash(null)}</td>
          </tr>`;
        })}
      </tbody>
    </table></div>`;
  }

  /** The ping URL, a cron line and the mail address (admins), or the slug alone. */
  #renderReporting(d: DeviceDetail): TemplateResult {
    const { reporting } = d;
    if (!reporting) {
      return html`<p class="muted">
        ${d.pingSlug ? html`${msg(html`Ping slug <code>${d.pingSlug}</code>.`)} ` : nothing}${msg("An admin sees this device's ping URL and report mail address here and in Settings → Ingest.")}
      </p>`;
    }
    // `what`: the value's name inside a sentence ("Copy ping URL"), `label` its heading.
    const line = (label: string, what: string, value: string | null) =>
      value
        ? html`<div>
            <dt>${label}</dt>
            <dd><code part="reporting-value">${value}</code> <button type="button" part="copy-button" aria-label=${msg(str`Copy ${what}`)} @click=${() => this.#copy(value, label, what)}>${msg('Copy')}</button></dd>
          </div>`
        : nothing;
    return html`<dl class="reporting" part="reporting">
        ${line(msg('Ping URL'), msg('ping URL'), reporting.pingUrl)} ${line(msg('Cron line'), msg('cron line'), reporting.curl)} ${line(msg('Report mail'), msg('report mail'), reporting.mailAddress)}
      </dl>
      <p class="muted">${msg(html`Add <code>/start</code> before a run and <code>/fail</code> (or the exit status, <code>/$?</code>) for a failure; restic's <code>--json</code> output and Duplicati reports can be posted as the body.`)}</p>
      <p role="status" class="muted">${this.copied}</p>`;
  }

  async #copy(value: string, label: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(value);
      this.copied = msg(str`${label} copied.`);
    } catch {
      this.copied = msg(str`Copying was refused by the browser: select the ${what} and copy it.`);
    }
  }

  #renderDrTests(d: DeviceDetail, zone?: string): TemplateResult {
    if (d.drTests.length === 0) return html`<p class="muted">${msg('No DR tests yet: a restore has never been verified.')}</p>`;
    return html`<ul class="dr-tests" part="dr-tests">
      ${d.drTests.map(
        (test) => html`<li>
          ${renderTone(test.result === 'passed' ? 'healthy' : 'critical', test.result === 'passed' ? msg('Passed') : msg('Failed'))}
          <span class="muted">${formatDateTime(test.at, zone)}</span>${test.message ? html` — ${test.message}` : nothing}
        </li>`,
      )}
    </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-device-detail': BackupHealthDeviceDetail;
  }
}

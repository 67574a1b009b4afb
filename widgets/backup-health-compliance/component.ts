import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { initialState } from '@lit/task';
import type { ComplianceDevice, ComplianceReport } from '../../core/api.ts';
import type { SlaStateName } from '../../core/types.ts';
import type { SortOrder } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { ClockController } from '../shared/clock-controller.ts';
import { ComplianceExportController } from '../shared/compliance-export.ts';
import { ariaSort, choicesOf, renderSelect, sortIndicator } from '../shared/controls.ts';
import { formatCount, formatPercent, orDash, renderTime } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { KIND_LABELS, SLA_STATE_LABELS } from '../shared/labels.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderSlaState } from '../shared/status.ts';
import { complianceStyles } from './styles.ts';

const REFRESH_DELAY_MS = 1_000;

type SortKey = 'device' | 'client' | 'state' | 'lastSuccessAt' | 'breachHours';
// Getters: the headers are read while rendering, in the page's language.
const COLUMNS: readonly { key: SortKey; label: string }[] = [
  { key: 'device', get label() { return msg('Device'); } },
  { key: 'client', get label() { return msg('Client'); } },
  { key: 'state', get label() { return msg('SLA state'); } },
  { key: 'lastSuccessAt', get label() { return msg('Last successful backup'); } },
  { key: 'breachHours', get label() { return msg('Hours in breach'); } },
];
const STATE_ORDER: Record<SlaStateName, number> = { breach: 0, pending: 1, meeting: 2 };
const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function compareRows(a: ComplianceDevice, b: ComplianceDevice, key: SortKey): number {
  switch (key) {
    case 'device':
      return collator.compare(a.device.name, b.device.name);
    case 'client':
      return collator.compare(a.client.name, b.client.name);
    case 'state':
      return STATE_ORDER[a.state] - STATE_ORDER[b.state];
    case 'lastSuccessAt':
      return (a.lastSuccessAt ? Date.parse(a.lastSuccessAt) : 0) - (b.lastSuccessAt ? Date.parse(b.lastSuccessAt) : 0);
    case 'breachHours':
      return (a.breachHours ?? -1) - (b.breachHours ?? -1);
  }
}

/**
 * The SLA compliance report: the rules in force (tenant, and the client's overrides),
 * the summary (meeting, in breach, pending, compliance %), every device with its SLA
 * state, and CSV/PDF exports for QBRs and audits. For one client (`client`) or all.
 *
 * @example
 * <backup-health-compliance api-base="https://bff.example.com" token="…" client="c-acme"></backup-health-compliance>
 *
 * @event bh-export - A report file is ready (cancelable): `{ report: 'compliance', format, filename, blob, clientId }`.
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The wrapper.
 * @csspart toolbar - Client and state filters, export buttons.
 * @csspart summary - The summary figures.
 * @csspart rules - The SLA rules in force.
 * @csspart table - The device states table.
 * @csspart status - SLA states (icon + word); also `status-<tone>`.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-compliance
 */
export class BackupHealthCompliance extends ApiElement {
  static override styles = [BhElement.styles, complianceStyles];

  /** One client's report (client id); hides the client choice. Empty: all clients. */
  @property() client?: string;

  @state() private chosenClient = '';
  @state() private slaState: SlaStateName | '' = '';
  @state() private sortKey: SortKey = 'state';
  @state() private order: SortOrder = 'asc';

  #clock = new ClockController(this);
  // One client's report is in its timezone; all clients, the tenant's.
  #zone = new ViewTimeZoneController(this, () => this.api, () => this.#clientId);
  #refreshTimer?: ReturnType<typeof setTimeout>;
  #exports = new ComplianceExportController(this, () => this.api);
  #clients = this.apiTask(async (api, signal) => (this.client ? initialState : api.allClients(signal)), () => [this.client]);
  #report = this.apiTask((api, signal) => api.compliance(this.#clientId, signal), () => [this.#clientId]);

  constructor() {
    super();
    new LiveStreamController(this, () => this.api, {
      'device.updated': () => {
        clearTimeout(this.#refreshTimer);
        this.#refreshTimer = setTimeout(() => void this.#report.run(), REFRESH_DELAY_MS);
      },
      reconnected: () => this.reload(),
      authExpired: () => this.reload(),
    });
  }

  get #clientId(): string | undefined {
    return this.client || this.chosenClient || undefined;
  }

  /** Settles when the current report has loaded. */
  get loadComplete(): Promise<unknown> {
    return this.#report.taskComplete.catch(() => undefined);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#refreshTimer);
  }

  protected override reload(): void {
    void this.#report.run();
    if (!this.client) void this.#clients.run();
  }

  override render(): TemplateResult {
    const clients = this.#clients.value ?? [];
    return html`<div part="base" class="base" data-theme=${this.effectiveTheme} aria-busy=${isBusy(this.#report) ? 'true' : 'false'}>
      <div class="toolbar" part="toolbar">
        ${this.client
          ? nothing
          : renderSelect({
              label: msg('Client'),
              value: this.chosenClient,
              allLabel: msg('All clients'),
              choices: clients.map((client) => [client.id, client.name] as const),
              onChange: (value) => (this.chosenClient = value),
            })}
        ${renderSelect({ label: msg('SLA state'), value: this.slaState, allLabel: msg('Any state'), choices: choicesOf(SLA_STATE_LABELS), onChange: (value) => (this.slaState = value) })}
        <span class="spacer"></span>
        ${this.#exports.render(this.#clientId)}
      </div>
      ${renderAsync(this.#report, { loading: msg('Loading the compliance report…'), retry: () => this.reload(), complete: (report) => this.#renderReport(report) })}
    </div>`;
  }

  #renderReport(report: ComplianceReport): TemplateResult {
    const { summary, rules } = report;
    const effective = rules.effective ?? rules.tenant;
    const rows = report.devices
      .filter((row) => !this.slaState || row.state === this.slaState)
      .sort((a, b) => (this.order === 'asc' ? 1 : -1) * compareRows(a, b, this.sortKey) || collator.compare(a.device.name, b.device.name));
    return html`
      <dl class="summary" part="summary">
        <div><dt>${msg('SLA compliance')}</dt><dd class="big">${formatPercent(summary.percent)}</dd></div>
        <div><dt>${renderSlaState('meeting')}</dt><dd>${formatCount(summary.meeting)}</dd></div>
        <div><dt>${renderSlaState('breach')}</dt><dd>${formatCount(summary.breach)}</dd></div>
        <div><dt>${renderSlaState('pending')}</dt><dd>${formatCount(summary.pending)} <span class="muted">${msg('(not counted)')}</span></dd></div>
      </dl>
      <p class="rules muted" part="rules">
        ${report.client ? msg(str`Rules for ${report.client.name}`) : msg('Tenant rules')}:
        ${msg(str`a successful backup at least every ${formatCount(effective.workstationHours)} h for workstations, ${formatCount(effective.serverHours)} h for servers and ${formatCount(effective.saasHours)} h for SaaS.`)}
        ${rules.client && Object.keys(rules.client).length ? html`<span>${msg('(client overrides in force)')}</span>` : nothing}
        ${msg(html`Generated ${renderTime(report.generatedAt, this.#clock.now, this.#zone.value)}.`)}
      </p>
      ${rows.length === 0
        ? renderEmpty(msg('No device in this state.'), msg('Choose another SLA state or client.'))
        : html`<div class="table-wrap">
            <table class="data" part="table">
              <caption class="visually-hidden">${msg('Devices by SLA state')}</caption>
              <thead>
                <tr>
                  ${COLUMNS.map((column) => this.#renderHeader(column.key, column.label))}
                  <th scope="col">${msg('Kind')}</th>
                  <th scope="col" class="number">${msg('SLA hours')}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (row) => html`<tr data-state=${row.state}>
                    <th scope="row">${row.device.name}</th>
                    <td>${row.client.name}</td>
                    <td>${renderSlaState(row.state)}</td>
                    <td>${renderTime(row.lastSuccessAt, this.#clock.now, this.#zone.value)}</td>
                    <td class="number">${orDash(row.breachHours === null || row.breachHours === undefined ? null : formatCount(row.breachHours))}</td>
                    <td>${KIND_LABELS[row.device.kind] ?? row.device.kind}</td>
                    <td class="number">${formatCount(row.maxHours)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`}
    `;
  }

  #renderHeader(key: SortKey, label: string): TemplateResult {
    const order = this.sortKey === key ? this.order : null;
    return html`<th scope="col" class=${key === 'breachHours' ? 'number' : ''} aria-sort=${order ? ariaSort(order) : nothing}>
      <button type="button" class="sort" part="sort-button" @click=${() => this.#sortBy(key)}>${label} ${sortIndicator(order)}</button>
    </th>`;
  }

  #sortBy(key: SortKey): void {
    if (this.sortKey === key) this.order = this.order === 'asc' ? 'desc' : 'asc';
    else {
      this.sortKey = key;
      this.order = key === 'breachHours' ? 'desc' : 'asc';
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-compliance': BackupHealthCompliance;
  }
}

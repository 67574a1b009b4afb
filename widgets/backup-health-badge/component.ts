import { html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ClientItem } from '../../core/api.ts';
import { clientVerdict } from '../../core/client-status.ts';
import { ApiElement } from '../shared/api-element.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { isBusy, renderAsync } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatCount, formatPercent } from '../shared/format.ts';
import { STATUS_LABELS } from '../shared/labels.ts';
import { LiveStreamController } from '../shared/live-stream-controller.ts';
import { renderStatus } from '../shared/status.ts';
import { badgeStyles } from './styles.ts';

/** Stream bursts (a sweep touching many devices) collapse into one refresh. */
const REFRESH_DELAY_MS = 1_000;

/**
 * A compact badge for customer portals: one client's overall backup status (the worst
 * of its devices, or healthy), SLA compliance and device count. Works with a
 * client-scoped read token: without `client`, it shows the token's own client.
 *
 * @example
 * <backup-health-badge api-base="https://bff.example.com" token="…client-scoped…"></backup-health-badge>
 *
 * @event bh-auth-expired - The token was refused (401): set a new `token`.
 * @csspart base - The badge.
 * @csspart name - The client's name.
 * @csspart status - The overall status (icon + word); also `status-<status>`.
 * @csspart attention - Why the status is not Healthy: devices that need attention, devices outside the SLA.
 * @csspart compliance - The SLA compliance figure.
 * @csspart devices - The device count.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-badge
 */
export class BackupHealthBadge extends ApiElement {
  static override styles = [BhElement.styles, badgeStyles];

  /** Client id. Empty: the client of a client-scoped token. */
  @property() client?: string;

  #refreshTimer?: ReturnType<typeof setTimeout>;

  #summary = this.apiTask(
    async (api, signal) => {
      const clientId = this.client || (await api.me(signal)).clientId;
      if (!clientId) {
        throw new ProblemError({
          type: 'about:blank',
          title: msg('No client chosen'),
          status: 400,
          detail: msg('Set the client attribute to a client id, or use a token scoped to one client.'),
        });
      }
      return api.client(clientId, signal);
    },
    () => [this.client],
  );

  constructor() {
    super();
    new LiveStreamController(this, () => this.api, {
      'device.updated': (device) => {
        if (device.client.id !== (this.#summary.value?.id ?? this.client)) return;
        clearTimeout(this.#refreshTimer);
        this.#refreshTimer = setTimeout(() => this.reload(), REFRESH_DELAY_MS);
      },
      reconnected: () => this.reload(),
      authExpired: () => this.reload(),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#refreshTimer);
  }

  protected override reload(): void {
    void this.#summary.run();
  }

  override render(): TemplateResult {
    return html`<div part="base" class="base badge" data-theme=${this.effectiveTheme} aria-busy=${isBusy(this.#summary) ? 'true' : 'false'}>
      ${renderAsync(this.#summary, { loading: msg('Loading backup status…'), retry: () => this.reload(), complete: (client) => this.#renderBadge(client) })}
    </div>`;
  }

  #renderBadge(client: ClientItem): TemplateResult {
    // One verdict from device health and the SLA together, so the headline never contradicts the figures.
    const { status, needAttention, outsideSla } = clientVerdict(client.counts, client.compliance);
    const devices = (n: number) => (n === 1 ? msg(str`${formatCount(n)} device`) : msg(str`${formatCount(n)} devices`));
    const attention = (n: number) => (n === 1 ? msg(str`${devices(n)} needs attention`) : msg(str`${devices(n)} need attention`));
    const why = [needAttention > 0 ? attention(needAttention) : '', outsideSla > 0 ? msg(str`${devices(outsideSla)} outside the SLA`) : '']
      .filter(Boolean)
      .join(' · ');
    const label = msg(str`Backup health of ${client.name}: ${STATUS_LABELS[status]}`);
    return html`<div class="content" role="group" aria-label="${label}${why ? `, ${why}` : ''}">
      <span part="name" class="name">${client.name}</span>
      <span class="overall" data-tone=${status}>${msg('Backups')} ${renderStatus(status)}</span>
      ${why ? html`<span part="attention" class="figure attention">${why}</span>` : ''}
      <span part="compliance" class="figure">${formatPercent(client.compliance.percent)} <span class="muted">${msg('SLA compliance')}</span></span>
      <span part="devices" class="figure">${devices(client.total)}</span>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-badge': BackupHealthBadge;
  }
}

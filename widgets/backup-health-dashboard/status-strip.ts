import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import type { ClientItem } from '../../core/api.ts';
import type { HealthStatus } from '../../core/types.ts';
import { formatCount } from '../shared/format.ts';
import { STATUS_LABELS } from '../shared/labels.ts';
import { statusIcon } from '../shared/status.ts';
// The fleet trends chart (<bh-fleet-trends>) shows beside the strip: one overview chunk.
import './fleet-trends.ts';

export type StatusCounts = Record<HealthStatus, number>;

/** Worst first, as the table sorts: where a person's eye should go. */
const ORDER: readonly HealthStatus[] = ['critical', 'warning', 'unknown', 'healthy'];

/** Devices per status over the clients in view (one client when drilled into it). */
export function countByStatus(clients: readonly ClientItem[], clientId: string): StatusCounts {
  const counts: StatusCounts = { critical: 0, warning: 0, unknown: 0, healthy: 0 };
  for (const client of clients) {
    if (clientId && client.id !== clientId) continue;
    for (const status of ORDER) counts[status] += client.counts[status];
  }
  return counts;
}

/**
 * The overview above the device table: a count per status, each a toggle that filters
 * the table to that status (pressed while it does), then the fleet trends of `client`
 * (all clients when empty).
 */
export function renderStatusStrip(counts: StatusCounts, selected: HealthStatus | '', select: (status: HealthStatus | '') => void, client = ''): TemplateResult {
  const total = ORDER.reduce((sum, status) => sum + counts[status], 0);
  return html`<div class="strip" part="overview" role="group" aria-label=${msg('Devices by status')}>
    <button type="button" class="count" part="overview-count" aria-pressed=${selected === '' ? 'true' : 'false'} @click=${() => select('')}>
      <strong>${formatCount(total)}</strong> <span>${msg('All devices')}</span>
    </button>
    ${ORDER.map(
      (status) => html`<button
        type="button"
        class="count"
        part="overview-count overview-${status}"
        data-tone=${status}
        aria-pressed=${selected === status ? 'true' : 'false'}
        @click=${() => select(selected === status ? '' : status)}
      >
        <strong>${formatCount(counts[status])}</strong> <span class="status" data-tone=${status}>${statusIcon(status)}<span>${STATUS_LABELS[status]}</span></span>
      </button>`,
    )}
  </div>
  <bh-fleet-trends client=${client}></bh-fleet-trends>`;
}

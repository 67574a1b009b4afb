import { html } from 'lit';
import type { DeviceItem } from '../../core/api.ts';
import type { DeviceSort, SortOrder } from '../shared/api-client.ts';
import { formatDateTime, renderTime } from '../shared/format.ts';
import { KIND_LABELS } from '../shared/labels.ts';
import { renderStatus } from '../shared/status.ts';
import { renderStorage } from '../shared/storage.ts';

/** One column of the device table; every column sorts through the API by `id`. */
export interface DeviceColumn {
  id: DeviceSort;
  label: string;
  /** Order of the first click on this header. */
  firstOrder: SortOrder;
  numeric?: boolean;
  cell: (device: DeviceItem, now: number) => unknown;
}

export const DEVICE_COLUMNS: readonly DeviceColumn[] = [
  { id: 'status', label: 'Status', firstOrder: 'asc', cell: (d) => renderStatus(d.status) },
  { id: 'name', label: 'Device', firstOrder: 'asc', cell: (d) => html`<span class="device-name" title=${d.name}>${d.name}</span>${d.maintenance ? maintenanceMark(d.maintenance) : ''}` },
  { id: 'client', label: 'Client', firstOrder: 'asc', cell: (d) => html`<span title=${d.client.name}>${d.client.name}</span>` },
  { id: 'kind', label: 'Kind', firstOrder: 'asc', cell: (d) => KIND_LABELS[d.kind] ?? d.kind },
  { id: 'score', label: 'Score', firstOrder: 'asc', numeric: true, cell: (d) => d.score },
  { id: 'lastSuccessAt', label: 'Last success', firstOrder: 'asc', cell: (d, now) => renderTime(d.lastSuccessAt, now, 'Never') },
  {
    id: 'policy',
    label: 'Policy',
    firstOrder: 'asc',
    cell: (d) => html`<span title="${d.policy.name} (every ${d.policy.intervalHours} h)">${d.policy.name}<span class="visually-hidden">, every ${d.policy.intervalHours} h</span></span>`,
  },
  { id: 'storage', label: 'Storage used', firstOrder: 'desc', cell: (d) => renderStorage(d.storage, { compact: true }) },
];


/** A compact "Maintenance" chip; its window and end in the tooltip and for screen readers. */
function maintenanceMark({ name, until }: NonNullable<DeviceItem['maintenance']>) {
  const words = `${name} until ${formatDateTime(until)}`;
  return html` <span class="maintenance" part="maintenance" title="Maintenance: ${words}">Maintenance<span class="visually-hidden">: ${words}</span></span>`;
}

import { html } from 'lit';
import { msg, str } from '@lit/localize';
import type { DeviceItem, DeviceListItem } from '../../core/api.ts';
import type { DeviceSort, SortOrder } from '../shared/api-client.ts';
import { formatDateTime, renderTime } from '../shared/format.ts';
import { KIND_LABELS } from '../shared/labels.ts';
import { renderRuns } from '../shared/run-strip.ts';
import { renderStatus } from '../shared/status.ts';
import { renderStorage } from '../shared/storage.ts';

/** A row: the schedule fields come with the page (live updates keep them). */
export type DeviceRow = DeviceItem & Partial<DeviceListItem>;

/** One column of the device table; every column sorts through the API by `id`. Labels are getters: msg() reads the locale at render time. */
export interface DeviceColumn {
  id: DeviceSort;
  label: string;
  /** Order of the first click on this header. */
  firstOrder: SortOrder;
  numeric?: boolean;
  /** `timeZone`: the view's (the tenant's, or the drilled-into client's). */
  cell: (device: DeviceRow, now: number, timeZone?: string) => unknown;
}

export const DEVICE_COLUMNS: readonly DeviceColumn[] = [
  { id: 'status', get label() { return msg('Status'); }, firstOrder: 'asc', cell: (d) => renderStatus(d.status) },
  {
    id: 'name',
    get label() { return msg('Device'); },
    firstOrder: 'asc',
    cell: (d, _now, zone) =>
      html`<span class="device-name" title=${d.name}>${d.name}</span>${d.maintenance ? maintenanceMark(d.maintenance, zone) : ''}${d.offlineSince
        ? html` <span class="maintenance" title=${msg(str`Offline since ${formatDateTime(d.offlineSince, zone)}`)}>${msg('Offline')}</span>`
        : ''}`,
  },
  { id: 'client', get label() { return msg('Client'); }, firstOrder: 'asc', cell: (d) => html`<span title=${d.client.name}>${d.client.name}</span>` },
  { id: 'kind', get label() { return msg('Kind'); }, firstOrder: 'asc', cell: (d) => KIND_LABELS[d.kind] ?? d.kind },
  { id: 'score', get label() { return msg('Score'); }, firstOrder: 'asc', numeric: true, cell: (d) => d.score },
  { id: 'lastSuccessAt', get label() { return msg('Last success'); }, firstOrder: 'asc', cell: (d, now, zone) => renderTime(d.lastSuccessAt, now, zone, msg('Never')) },
  {
    id: 'policy',
    get label() { return msg('Policy'); },
    firstOrder: 'asc',
    cell: (d, _now, zone) => {
      const words = d.schedule?.text ?? msg(str`every ${d.policy.intervalHours} h`);
      const due = d.nextDueAt ? msg(str`; next run due ${formatDateTime(d.nextDueAt, zone)}`) : '';
      // The name gives way (ellipsis), never the strip: it is the point of the column.
      return html`<span class="policy"><span class="policy-name" title="${d.policy.name} (${words}${due})">${d.policy.name}<span class="visually-hidden">, ${words}${due}</span></span>${renderRuns(d.runs, zone)}</span>`;
    },
  },
  { id: 'storage', get label() { return msg('Storage used'); }, firstOrder: 'desc', cell: (d) => renderStorage(d.storage, { compact: true }) },
];


/** A compact "Maintenance" chip; its window and end in the tooltip and for screen readers. */
function maintenanceMark({ name, until }: NonNullable<DeviceItem['maintenance']>, zone?: string) {
  const words = msg(str`${name} until ${formatDateTime(until, zone)}`);
  return html` <span class="maintenance" part="maintenance" title=${msg(str`Maintenance: ${words}`)}>${msg('Maintenance')}<span class="visually-hidden">: ${words}</span></span>`;
}

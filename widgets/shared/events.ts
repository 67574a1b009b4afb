import type { DeviceKind, HealthStatus } from '../../core/types.ts';
import type { DeviceSort, SortOrder } from './api-client.ts';

/**
 * The `bh-*` events the widgets dispatch: `CustomEvent`s, bubbling and composed, with
 * plain data in `detail`. Declared in the global event map so
 * `el.addEventListener('bh-device-select', (e) => e.detail.deviceId)` is typed.
 */

/** What was exported: a file the widget is about to download. */
export interface ExportDetail {
  /** `devices` (the table's current view) or `compliance` (the SLA report). */
  report: 'devices' | 'compliance';
  format: 'csv' | 'pdf';
  filename: string;
  /** The file itself; call `preventDefault()` on the event to deliver it yourself. */
  blob: Blob;
  /** Rows in a devices export. */
  rowCount?: number;
  /** Client the compliance report covers (all clients when absent). */
  clientId?: string;
  /** The period a compliance report covers, as asked (`{period}` or `{from, to}`); absent for the state at now. */
  period?: CompliancePeriodQuery;
}

/** A period of `GET /compliance/export`: `{period: '30d' | 'month' | 'quarter'}` or `{from, to}` (days, `to` inclusive). */
export type CompliancePeriodQuery = Readonly<Record<string, string>>;

export interface BhEventDetails {
  /** A device was opened: a table row (click or Enter), or an alert's device name in the feed. */
  'bh-device-select': { deviceId: string };
  /** A client was chosen in the per-client view. */
  'bh-client-select': { clientId: string };
  /** An alert was acknowledged (after the API accepted it). */
  'bh-alert-acknowledge': { alertId: string };
  /** A file is ready; cancelable: `preventDefault()` skips the browser download. */
  'bh-export': ExportDetail;
  /** The token is missing, expired or invalid: mint a new one and set `token`. */
  'bh-auth-expired': { status: number; detail: string | null };
  /** The dashboard switched tabs. */
  'bh-tab-change': { tab: string };
  /** A settings section was saved. */
  'bh-settings-save': { section: string };
  /** The device table's view changed (filters, sort or search): enough to restore it. */
  'bh-view-change': { clientFilter: string; status: HealthStatus | ''; kind: DeviceKind | ''; sort: DeviceSort; order: SortOrder; q: string };
  /** A silence was created from an alert ("Silence…"). */
  'bh-silence-create': { silenceId: string; alertId: string };
  /** The weekly report was queued for sending. */
  'bh-report-send': Record<string, never>;
}

export type BhEventName = keyof BhEventDetails;

declare global {
  interface GlobalEventHandlersEventMap {
    'bh-device-select': CustomEvent<BhEventDetails['bh-device-select']>;
    'bh-client-select': CustomEvent<BhEventDetails['bh-client-select']>;
    'bh-alert-acknowledge': CustomEvent<BhEventDetails['bh-alert-acknowledge']>;
    'bh-export': CustomEvent<BhEventDetails['bh-export']>;
    'bh-auth-expired': CustomEvent<BhEventDetails['bh-auth-expired']>;
    'bh-tab-change': CustomEvent<BhEventDetails['bh-tab-change']>;
    'bh-settings-save': CustomEvent<BhEventDetails['bh-settings-save']>;
    'bh-view-change': CustomEvent<BhEventDetails['bh-view-change']>;
    'bh-report-send': CustomEvent<BhEventDetails['bh-report-send']>;
    'bh-silence-create': CustomEvent<BhEventDetails['bh-silence-create']>;
  }
}

/**
 * How stored rows become the API's items (core/api.ts). One place for the SELECT
 * lists and the mappers, shared by routes, the evaluator (stream payloads) and exports.
 */
import type { AlertItem, DeviceItem } from '../../core/api.ts';
import { intervalHoursOf } from '../../core/device-facts.ts';
import type { AlertSeverity, AlertState, AlertType, CompletedJobStatus, DeviceKind, HealthStatus } from '../../core/types.ts';

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Columns for a DeviceItem; use with `FROM devices d` + DEVICE_JOINS. */
export const DEVICE_ITEM_COLUMNS = `d.id, d.name, d.kind, d.client_id, c.name AS client_name, d.policy_id, p.name AS policy_name,
  p.interval_hours, d.status, d.score, d.last_success_at, d.last_job_status, d.consecutive_failures, d.used_bytes,
  d.effective_quota_bytes`;
export const DEVICE_JOINS = `LEFT JOIN clients c ON c.tenant_id = d.tenant_id AND c.id = d.client_id
  LEFT JOIN policies p ON p.tenant_id = d.tenant_id AND p.id = d.policy_id`;

export interface DeviceItemRow {
  id: string;
  name: string;
  kind: DeviceKind;
  client_id: string;
  client_name: string | null;
  policy_id: string;
  policy_name: string | null;
  interval_hours: number | null;
  status: HealthStatus;
  score: number;
  last_success_at: number | null;
  last_job_status: CompletedJobStatus | null;
  consecutive_failures: number;
  used_bytes: number | null;
  effective_quota_bytes: number | null;
}

export function toDeviceItem(row: DeviceItemRow): DeviceItem {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    client: { id: row.client_id, name: row.client_name ?? row.client_id },
    policy: { id: row.policy_id, name: row.policy_name ?? row.policy_id, intervalHours: intervalHoursOf(row.interval_hours) },
    status: row.status,
    score: row.score,
    lastSuccessAt: iso(row.last_success_at),
    lastJobStatus: row.last_job_status,
    consecutiveFailures: row.consecutive_failures,
    storage: { usedBytes: row.used_bytes, quotaBytes: row.effective_quota_bytes },
    // Filled in by the reads that load the tenant's windows (quiet-views.ts).
    maintenance: null,
  };
}

/** Columns for an AlertItem; use with `FROM alerts a` + ALERT_JOINS. */
export const ALERT_ITEM_COLUMNS = `a.id, a.type, a.severity, a.state, a.device_id, d.name AS device_name, a.client_id,
  c.name AS client_name, a.triggered_at, a.updated_at, a.resolved_at, a.acknowledged_at, a.acknowledged_by, a.acknowledgement_note, a.reason,
  a.recommended_action, a.remind_from, a.last_reminder_at`;
export const ALERT_JOINS = `LEFT JOIN devices d ON d.tenant_id = a.tenant_id AND d.id = a.device_id
  LEFT JOIN clients c ON c.tenant_id = a.tenant_id AND c.id = a.client_id`;

export interface AlertItemRow {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  state: AlertState;
  device_id: string;
  device_name: string | null;
  client_id: string;
  client_name: string | null;
  triggered_at: number;
  updated_at: number;
  resolved_at: number | null;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
  acknowledgement_note: string | null;
  reason: string;
  recommended_action: string;
  remind_from: number | null;
  last_reminder_at: number | null;
}

export function toAlertItem(row: AlertItemRow): AlertItem {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    state: row.state,
    device: { id: row.device_id, name: row.device_name ?? row.device_id },
    client: { id: row.client_id, name: row.client_name ?? row.client_id },
    triggeredAt: iso(row.triggered_at)!,
    updatedAt: iso(row.updated_at)!,
    resolvedAt: iso(row.resolved_at),
    acknowledgedAt: iso(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
    acknowledgementNote: row.acknowledgement_note,
    reason: row.reason,
    recommendedAction: row.recommended_action,
    // Filled in by the reads that load the tenant's silences (quiet-views.ts).
    silencedBy: [],
  };
}

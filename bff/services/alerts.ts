/**
 * Alert lifecycle writes: open, escalate, refresh, resolve, acknowledge. Each
 * transition is one conditional statement, and only when it changed a row does it
 * write the alert_events history row and the stream change. So two instances
 * evaluating the same device never open an alert twice (the partial unique index
 * makes the second INSERT a no-op) nor record a transition twice.
 */
import { randomUUID } from 'node:crypto';
import type { AlertItem } from '../../core/api.ts';
import type { AlertSeverity, AlertType } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import { recordChange } from './change-feed.ts';
import { ALERT_ITEM_COLUMNS, ALERT_JOINS, toAlertItem, type AlertItemRow } from './views.ts';

/** An alert as stored, with the device and client names the API shows. */
export type StoredAlert = AlertItemRow;

/** Who an alert belongs to, for the API item and the stream change. */
export interface AlertOwner {
  tenantId: string;
  deviceId: string;
  deviceName: string;
  clientId: string;
  clientName: string;
}

/** alert_events.action values. */
export type HistoryAction = 'opened' | 'escalated' | 'acknowledged' | 'resolved';

// CROSS JOIN: probe the index once per device id of the JSON array.
const ACTIVE_SQL = `SELECT a.id, a.type, a.severity, a.state, a.device_id, a.client_id, a.triggered_at, a.updated_at, a.resolved_at,
  a.acknowledged_at, a.reason, a.recommended_action FROM json_each(?) j CROSS JOIN alerts a
  WHERE a.tenant_id = ? AND a.device_id = j.value AND a.state <> 'resolved'`;
const OPEN_SQL = `INSERT INTO alerts (id, tenant_id, device_id, client_id, type, severity, state, triggered_at, updated_at,
  reason, recommended_action) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) ON CONFLICT DO NOTHING`;
const ESCALATE_SQL = `UPDATE alerts SET severity = ?, reason = ?, recommended_action = ?, updated_at = ?
  WHERE id = ? AND state <> 'resolved' AND severity = 'warning'`;
const REFRESH_SQL = `UPDATE alerts SET reason = ?, updated_at = ? WHERE id = ? AND state <> 'resolved' AND reason <> ?`;
const RESOLVE_SQL = `UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND state <> 'resolved'`;
const ACKNOWLEDGE_SQL = `UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, updated_at = ?
  WHERE tenant_id = ? AND id = ? AND state = 'open'`;
const HISTORY_SQL = 'INSERT INTO alert_events (alert_id, tenant_id, action, severity, at, note) VALUES (?, ?, ?, ?, ?, ?)';
const ONE_SQL = `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS} WHERE a.tenant_id = ? AND a.id = ?`;

/** Active (open or acknowledged) alerts of the devices, by device id; names are filled in by the caller. */
export async function loadActiveAlerts(tx: SqlExecutor, tenantId: string, deviceIds: readonly string[]): Promise<Map<string, StoredAlert[]>> {
  const byDevice = new Map<string, StoredAlert[]>();
  if (deviceIds.length === 0) return byDevice;
  const rows = await tx.all<StoredAlert>(ACTIVE_SQL, [JSON.stringify(deviceIds), tenantId]);
  for (const row of rows) {
    const list = byDevice.get(row.device_id);
    if (list) list.push(row);
    else byDevice.set(row.device_id, [row]);
  }
  return byDevice;
}

async function recordTransition(tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, action: HistoryAction, note: string | null, at: number): Promise<AlertItem> {
  await tx.run(HISTORY_SQL, [alert.id, owner.tenantId, action, alert.severity, at, note]);
  const item = toAlertItem({ ...alert, device_name: owner.deviceName, client_name: owner.clientName });
  const event = action === 'opened' ? 'alert.opened' : action === 'resolved' ? 'alert.resolved' : 'alert.updated';
  await recordChange(tx, owner.tenantId, owner.clientId, event, item, at);
  return item;
}

/** What an `open` transition stores. */
export interface OpenAlert {
  type: AlertType;
  severity: AlertSeverity;
  triggeredAt: number;
  reason: string;
  recommendedAction: string;
}

/** Opens an alert; null when an active one of this type already exists (opened elsewhere). */
export async function openAlert(tx: SqlExecutor, owner: AlertOwner, open: OpenAlert, now: number): Promise<{ alert: StoredAlert; item: AlertItem } | null> {
  const id = randomUUID();
  const { changes } = await tx.run(OPEN_SQL, [
    id, owner.tenantId, owner.deviceId, owner.clientId, open.type, open.severity, open.triggeredAt, now, open.reason, open.recommendedAction,
  ]);
  if (changes !== 1) return null;
  const alert: StoredAlert = {
    id, type: open.type, severity: open.severity, state: 'open', device_id: owner.deviceId, device_name: owner.deviceName,
    client_id: owner.clientId, client_name: owner.clientName, triggered_at: open.triggeredAt, updated_at: now, resolved_at: null,
    acknowledged_at: null, reason: open.reason, recommended_action: open.recommendedAction,
  };
  return { alert, item: await recordTransition(tx, owner, alert, 'opened', open.reason, now) };
}

/** Raises a warning alert to `severity` in place (same id); null if it was no longer a warning. */
export async function escalateAlert(
  tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, severity: AlertSeverity, reason: string, recommendedAction: string, now: number,
): Promise<{ alert: StoredAlert; item: AlertItem } | null> {
  const { changes } = await tx.run(ESCALATE_SQL, [severity, reason, recommendedAction, now, alert.id]);
  if (changes !== 1) return null;
  const next: StoredAlert = { ...alert, severity, reason, recommended_action: recommendedAction, updated_at: now };
  return { alert: next, item: await recordTransition(tx, owner, next, 'escalated', reason, now) };
}

/**
 * A repeat of the condition updates the alert's reason ("2 consecutive failures
 * since …" after "Last backup failed at …"); no history row, one `alert.updated`.
 */
export async function refreshAlertReason(tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, reason: string, now: number): Promise<StoredAlert> {
  const { changes } = await tx.run(REFRESH_SQL, [reason, now, alert.id, reason]);
  if (changes !== 1) return alert;
  const next: StoredAlert = { ...alert, reason, updated_at: now };
  await recordChange(tx, owner.tenantId, owner.clientId, 'alert.updated', toAlertItem({ ...next, device_name: owner.deviceName, client_name: owner.clientName }), now);
  return next;
}

/** Resolves an active alert; `note` says why. Null if it was resolved already. */
export async function resolveAlert(tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, note: string, now: number): Promise<{ alert: StoredAlert; item: AlertItem } | null> {
  const { changes } = await tx.run(RESOLVE_SQL, [now, now, alert.id]);
  if (changes !== 1) return null;
  const next: StoredAlert = { ...alert, state: 'resolved', resolved_at: now, updated_at: now };
  return { alert: next, item: await recordTransition(tx, owner, next, 'resolved', note, now) };
}

/** What POST /alerts/:id/acknowledge found and did. */
export type AcknowledgeResult = { outcome: 'acknowledged' | 'unchanged'; item: AlertItem } | { outcome: 'not-found' } | { outcome: 'resolved'; item: AlertItem };

/**
 * open → acknowledged. An acknowledged alert stays as it is; a resolved one cannot
 * be acknowledged. `clientId` limits a client-scoped caller to its client's alerts.
 */
export async function acknowledgeAlert(tx: SqlExecutor, tenantId: string, clientId: string | null, id: string, note: string | null, now: number): Promise<AcknowledgeResult> {
  const row = await tx.get<StoredAlert>(ONE_SQL, [tenantId, id]);
  if (!row || (clientId !== null && row.client_id !== clientId)) return { outcome: 'not-found' };
  if (row.state === 'resolved') return { outcome: 'resolved', item: toAlertItem(row) };
  if (row.state === 'acknowledged') return { outcome: 'unchanged', item: toAlertItem(row) };
  const { changes } = await tx.run(ACKNOWLEDGE_SQL, [now, now, tenantId, id]);
  if (changes !== 1) return { outcome: 'unchanged', item: toAlertItem(row) };
  const next: StoredAlert = { ...row, state: 'acknowledged', acknowledged_at: now, updated_at: now };
  const owner: AlertOwner = {
    tenantId, deviceId: row.device_id, deviceName: row.device_name ?? row.device_id, clientId: row.client_id, clientName: row.client_name ?? row.client_id,
  };
  return { outcome: 'acknowledged', item: await recordTransition(tx, owner, next, 'acknowledged', note, now) };
}

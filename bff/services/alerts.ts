/**
 * Alert lifecycle writes: open, escalate, refresh, resolve, acknowledge. Each
 * transition is a conditional write (evaluations write a whole batch's transitions
 * of one kind with one statement), and only for the alerts it changed is the
 * alert_events history row and the stream change written. So two instances
 * evaluating the same device never open an alert twice (the partial unique index
 * makes the second INSERT a no-op) nor record a transition twice.
 */
import type { AlertItem } from '../../core/api.ts';
import type { AlertHistoryAction } from '../../core/acknowledgement.ts';
import type { AlertSeverity, AlertType } from '../../core/types.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import { recordChange, type Change } from './change-feed.ts';
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
export type HistoryAction = AlertHistoryAction;

// CROSS JOIN: probe the index once per device id of the JSON array.
const ACTIVE_SQL = `SELECT a.id, a.type, a.severity, a.state, a.device_id, a.client_id, a.triggered_at, a.updated_at, a.resolved_at,
  a.acknowledged_at, a.acknowledged_by, a.acknowledgement_note, a.reason, a.recommended_action, a.remind_from, a.last_reminder_at
  FROM json_each(?) j CROSS JOIN alerts a
  WHERE a.tenant_id = ? AND a.device_id = j.value AND a.state <> 'resolved'`;
const RESOLVE_SQL = `UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ?, remind_from = NULL WHERE id = ? AND state <> 'resolved'`;
const HISTORY_SQL = 'INSERT INTO alert_events (alert_id, tenant_id, action, severity, at, note, actor) VALUES (?, ?, ?, ?, ?, ?, ?)';

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

/** Records one step of one alert: its history row (`actor` null for the evaluator) and its stream change. */
export async function recordTransition(
  tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, action: HistoryAction, note: string | null, at: number, actor: string | null = null,
): Promise<AlertItem> {
  await tx.run(HISTORY_SQL, [alert.id, owner.tenantId, action, alert.severity, at, note, actor]);
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

/** Resolves an active alert; `note` says why. Null if it was resolved already. */
export async function resolveAlert(tx: SqlExecutor, owner: AlertOwner, alert: StoredAlert, note: string, now: number): Promise<{ alert: StoredAlert; item: AlertItem } | null> {
  const { changes } = await tx.run(RESOLVE_SQL, [now, now, alert.id]);
  if (changes !== 1) return null;
  const next: StoredAlert = { ...alert, state: 'resolved', resolved_at: now, updated_at: now };
  return { alert: next, item: await recordTransition(tx, owner, next, 'resolved', note, now) };
}

// Set-based variants for evaluations of many devices: one statement per kind of
// transition for the whole batch, whatever its size (one round trip to a remote
// server). Each keeps its single-row guard per alert, and RETURNING names the
// alerts it actually changed, so only those get a history row and a change.
const OPEN_MANY_SQL = `INSERT INTO alerts (id, tenant_id, device_id, client_id, type, severity, state, triggered_at, updated_at,
  reason, recommended_action, remind_from)
  SELECT j.value->>0, ?1, j.value->>1, j.value->>2, j.value->>3, j.value->>4, 'open', j.value->>5, ?2, j.value->>6, j.value->>7, ?2
  FROM json_each(?3) j WHERE true ON CONFLICT DO NOTHING RETURNING id`;

const ESCALATE_MANY_SQL = `WITH v AS MATERIALIZED (SELECT value->>0 AS id, value AS data FROM json_each(?2))
  UPDATE alerts SET severity = v.data->>1, reason = v.data->>2, recommended_action = v.data->>3, updated_at = ?1,
    state = 'open', acknowledged_at = NULL, acknowledged_by = NULL, acknowledgement_note = NULL, remind_from = ?1
  FROM v WHERE alerts.id = v.id AND alerts.state <> 'resolved' AND alerts.severity = 'warning' RETURNING alerts.id`;
const REFRESH_MANY_SQL = `WITH v AS MATERIALIZED (SELECT value->>0 AS id, value->>1 AS reason FROM json_each(?))
  UPDATE alerts SET reason = v.reason, updated_at = ?
  FROM v WHERE alerts.id = v.id AND alerts.state <> 'resolved' AND alerts.reason <> v.reason RETURNING alerts.id`;
const RESOLVE_MANY_SQL = `UPDATE alerts SET state = 'resolved', resolved_at = ?, updated_at = ?, remind_from = NULL
  WHERE id IN (SELECT value FROM json_each(?)) AND state <> 'resolved' RETURNING id`;
const HISTORY_MANY_SQL = `INSERT INTO alert_events (alert_id, tenant_id, action, severity, at, note, actor)
  SELECT h.value->>0, ?, h.value->>1, h.value->>2, ?, h.value->>3, NULL FROM json_each(?) h`;

const returnedIds = async (tx: SqlExecutor, sql: string, args: SqlValue[]): Promise<Set<string>> =>
  new Set((await tx.all<{ id: string }>(sql, args)).map((row) => String(row.id)));

/** One alert to open: its new id, owner and transition. */
export interface AlertOpening {
  id: string;
  owner: AlertOwner;
  open: OpenAlert;
}

/** Opens the alerts of one tenant; returns the ids actually inserted (a type already active stays as it is). */
export async function openAlerts(tx: SqlExecutor, tenantId: string, openings: readonly AlertOpening[], now: number): Promise<Set<string>> {
  if (openings.length === 0) return new Set();
  const rows = openings.map(({ id, owner, open }) => [id, owner.deviceId, owner.clientId, open.type, open.severity, open.triggeredAt, open.reason, open.recommendedAction]);
  return returnedIds(tx, OPEN_MANY_SQL, [tenantId, now, JSON.stringify(rows)]);
}

/** Escalates warning alerts in place; returns the ids that were still active warnings. */
export async function escalateAlerts(
  tx: SqlExecutor, escalations: readonly { id: string; severity: AlertSeverity; reason: string; recommendedAction: string }[], now: number,
): Promise<Set<string>> {
  if (escalations.length === 0) return new Set();
  const rows = escalations.map((e) => [e.id, e.severity, e.reason, e.recommendedAction]);
  return returnedIds(tx, ESCALATE_MANY_SQL, [now, JSON.stringify(rows)]);
}

/** Gives active alerts their condition's current wording; returns the ids changed. */
export async function refreshAlertReasons(tx: SqlExecutor, refreshes: readonly { id: string; reason: string }[], now: number): Promise<Set<string>> {
  if (refreshes.length === 0) return new Set();
  return returnedIds(tx, REFRESH_MANY_SQL, [JSON.stringify(refreshes.map((r) => [r.id, r.reason])), now]);
}

/** Resolves active alerts; returns the ids that were still active. */
export async function resolveAlerts(tx: SqlExecutor, ids: readonly string[], now: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return returnedIds(tx, RESOLVE_MANY_SQL, [now, now, JSON.stringify(ids)]);
}

/** One alert_events row of a bulk append. */
export interface HistoryEntry {
  alertId: string;
  action: HistoryAction;
  severity: AlertSeverity;
  note: string | null;
}

/** Appends the history rows of one tenant at `at` with one statement, in order. */
export async function recordHistory(tx: SqlExecutor, tenantId: string, entries: readonly HistoryEntry[], at: number): Promise<void> {
  if (entries.length === 0) return;
  await tx.run(HISTORY_MANY_SQL, [tenantId, at, JSON.stringify(entries.map((e) => [e.alertId, e.action, e.severity, e.note]))]);
}

/** The API item and stream change of a transition (for bulk writers). */
export function transitionChange(owner: AlertOwner, alert: StoredAlert, action: HistoryAction | 'refreshed', at: number): { item: AlertItem; change: Change } {
  const item = toAlertItem({ ...alert, device_name: owner.deviceName, client_name: owner.clientName });
  const event = action === 'opened' ? 'alert.opened' : action === 'resolved' ? 'alert.resolved' : 'alert.updated';
  return { item, change: { tenantId: owner.tenantId, clientId: owner.clientId, event, payload: item, at } };
}

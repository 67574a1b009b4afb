/**
 * Maintenance windows (docs/alert-workflow.md) as stored per tenant: create or replace, read (with the
 * next occurrences), delete. A write looks again at the devices the window covered
 * and covers now (their next check becomes due), so a window acts at the next sweep
 * rather than whenever a device's own next check comes.
 */
import {
  upcomingOccurrences,
  windowIsOn,
  type MaintenanceScope,
  type MaintenanceTiming,
  type MaintenanceWindowInput,
} from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { windowOf } from './mutes.ts';
import { iso } from './views.ts';

/** How many occurrences a window answers with (the current one first). */
export const NEXT_OCCURRENCES = 5;

/** A window as the API answers it. */
export interface MaintenanceWindowItem {
  id: string;
  name: string;
  scope: MaintenanceScope;
  start?: string;
  end?: string;
  weekly?: { days: number[]; start: string; durationMinutes: number };
  monthly?: { days: number[]; start: string; durationMinutes: number };
  timezone?: string;
  /** On now (for some device in its scope). */
  active: boolean;
  next: { start: string; end: string }[];
  createdAt: string;
  updatedAt: string;
}

interface WindowRow {
  id: string;
  name: string;
  scope: string;
  timing: string;
  client_id: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, scope, timing, client_id, created_at, updated_at';
const ONE_SQL = `SELECT ${COLUMNS} FROM maintenance_windows WHERE tenant_id = ? AND id = ?`;
const UPSERT_SQL = `INSERT INTO maintenance_windows (tenant_id, id, name, scope, timing, client_id, created_at, updated_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
  ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name, scope = excluded.scope, timing = excluded.timing,
  client_id = excluded.client_id, updated_at = excluded.updated_at`;
const DELETE_SQL = 'DELETE FROM maintenance_windows WHERE tenant_id = ? AND id = ?';
const SORT = 'id:asc';

/** The timing part of a window, as stored. */
function timingOf(input: MaintenanceWindowInput): MaintenanceTiming {
  if ('weekly' in input && input.weekly) return { weekly: input.weekly, timezone: input.timezone };
  if ('monthly' in input && input.monthly) return { monthly: input.monthly, timezone: input.timezone };
  const { start, end } = input as { start: number; end: number };
  return { start, end };
}

function toItem(row: WindowRow, now: number): MaintenanceWindowItem {
  const window = windowOf(row.id, row.name, row.scope, row.timing);
  const timing = JSON.parse(row.timing) as Record<string, unknown>;
  const item: MaintenanceWindowItem = { id: row.id, name: row.name, scope: window.scope, active: windowIsOn(window, now), next: [], createdAt: iso(row.created_at)!, updatedAt: iso(row.updated_at)! };
  if (typeof timing.start === 'number') Object.assign(item, { start: iso(timing.start as number)!, end: iso(timing.end as number)! });
  else Object.assign(item, timing);
  item.next = upcomingOccurrences(window, now, NEXT_OCCURRENCES).map((range) => ({ start: iso(range.start)!, end: iso(range.end)! }));
  return item;
}

/** Whether a client-scoped caller may see the window (its scope names the caller's client). */
const visible = (row: WindowRow, clientScope: string | null) => clientScope === null || row.client_id === clientScope;

/** Which devices to look at again: a window's scope, or a silence's matchers. */
export interface TouchScope {
  clientId?: string;
  deviceIds?: string[];
  deviceId?: string;
  policyId?: string;
  /** Silences: only devices with something to notify about (an active alert, of this type when given, or an SLA breach). */
  attention?: { type?: string };
}

/**
 * Marks the devices a scope covers as due, so the next sweep evaluates them under the
 * new windows and silences (at most one sweep later).
 */
export async function touchScope(tx: SqlExecutor, tenantId: string, scope: TouchScope, now: number): Promise<void> {
  const where = ['tenant_id = ?', 'retired_at IS NULL', 'next_check_at > ?'];
  const args: (string | number)[] = [tenantId, now];
  if (scope.attention) {
    const type = scope.attention.type;
    where.push(`(${type === undefined ? "sla_state = 'breach' OR " : ''}EXISTS (SELECT 1 FROM alerts a WHERE a.tenant_id = devices.tenant_id
      AND a.device_id = devices.id AND a.state <> 'resolved'${type === undefined ? '' : ' AND a.type = ?'}))`);
    if (type !== undefined) args.push(type);
  }
  if (scope.clientId !== undefined) where.push('client_id = ?'), args.push(scope.clientId);
  if (scope.policyId !== undefined) where.push('policy_id = ?'), args.push(scope.policyId);
  if (scope.deviceId !== undefined) where.push('id = ?'), args.push(scope.deviceId);
  if (scope.deviceIds !== undefined) where.push('id IN (SELECT value FROM json_each(?))'), args.push(JSON.stringify(scope.deviceIds));
  await tx.run(`UPDATE devices SET next_check_at = ? WHERE ${where.join(' AND ')}`, [now, ...args]);
}

/** What a PUT found: a window of another client (for a client-scoped caller), or the stored window. */
export type PutWindowResult = { outcome: 'hidden' } | { outcome: 'created' | 'replaced'; item: MaintenanceWindowItem };

/** Creates or replaces the window `id` (validated by the caller). */
export async function putWindow(tx: SqlExecutor, tenantId: string, clientScope: string | null, id: string, input: MaintenanceWindowInput, now: number): Promise<PutWindowResult> {
  const before = await tx.get<WindowRow>(ONE_SQL, [tenantId, id]);
  if (before && !visible(before, clientScope)) return { outcome: 'hidden' };
  const scope: MaintenanceScope = {};
  if (input.scope.clientId !== undefined) scope.clientId = input.scope.clientId;
  if (input.scope.deviceIds !== undefined) scope.deviceIds = [...new Set(input.scope.deviceIds)];
  if (input.scope.policyId !== undefined) scope.policyId = input.scope.policyId;
  await tx.run(UPSERT_SQL, [tenantId, id, input.name.trim(), JSON.stringify(scope), JSON.stringify(timingOf(input)), scope.clientId ?? null, now]);
  if (before) await touchScope(tx, tenantId, JSON.parse(before.scope) as MaintenanceScope, now);
  await touchScope(tx, tenantId, scope, now);
  const row = (await tx.get<WindowRow>(ONE_SQL, [tenantId, id]))!;
  return { outcome: before ? 'replaced' : 'created', item: toItem(row, now) };
}

/** One window, or null (unknown, or outside the caller's client). */
export async function getWindow(db: SqlExecutor, tenantId: string, clientScope: string | null, id: string, now: number): Promise<MaintenanceWindowItem | null> {
  const row = await db.get<WindowRow>(ONE_SQL, [tenantId, id]);
  return row && visible(row, clientScope) ? toItem(row, now) : null;
}

/** A page of windows in id order; a client-scoped caller sees its client's only. */
export async function listWindows(db: SqlExecutor, tenantId: string, clientScope: string | null, query: { limit: number; cursor?: string }, now: number) {
  const where = ['tenant_id = ?'];
  const args: (string | number)[] = [tenantId];
  if (clientScope !== null) where.push('client_id = ?'), args.push(clientScope);
  if (query.cursor) {
    const [after] = decodeCursor(query.cursor, SORT, 1);
    where.push('id > ?'), args.push(String(after));
  }
  const rows = await db.all<WindowRow>(`SELECT ${COLUMNS} FROM maintenance_windows WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, [...args, query.limit + 1]);
  const more = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  return { items: page.map((row) => toItem(row, now)), nextCursor: more ? encodeCursor({ sort: SORT, values: [page.at(-1)!.id] }) : null };
}

/** Deletes the window; false when it does not exist for the caller. Its devices are looked at again. */
export async function deleteWindow(tx: SqlExecutor, tenantId: string, clientScope: string | null, id: string, now: number): Promise<boolean> {
  const row = await tx.get<WindowRow>(ONE_SQL, [tenantId, id]);
  if (!row || !visible(row, clientScope)) return false;
  await tx.run(DELETE_SQL, [tenantId, id]);
  await touchScope(tx, tenantId, JSON.parse(row.scope) as MaintenanceScope, now);
  return true;
}

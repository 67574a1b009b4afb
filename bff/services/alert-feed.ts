/**
 * Reading alerts: the feed (filtered, newest triggered first, keyset-paginated) and
 * one alert with its history. A client-scoped caller sees its client's alerts only.
 */
import type { AlertHistoryAction } from '../../core/acknowledgement.ts';
import type { AlertItem, Page } from '../../core/api.ts';
import type { AlertSeverity, AlertType } from '../../core/types.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { withSilencedBy } from './quiet-views.ts';
import { ALERT_ITEM_COLUMNS, ALERT_JOINS, iso, toAlertItem, type AlertItemRow } from './views.ts';

/** GET /alerts query, validated. */
export interface AlertFilters {
  state?: 'open' | 'acknowledged' | 'resolved' | 'active';
  severity?: AlertSeverity;
  type?: AlertType;
  client?: string;
  device?: string;
  limit: number;
  cursor?: string;
}

const SORT = 'triggeredAt:desc';
const HISTORY_SQL = 'SELECT action, at, severity, actor, note FROM alert_events WHERE tenant_id = ? AND alert_id = ? ORDER BY id';
const ONE_SQL = `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS} WHERE a.tenant_id = ? AND a.id = ?`;

/** One page of the feed at `now` (silences then). `clientScope` is the caller's client restriction (embed tokens), null for none. */
export async function listAlerts(db: SqlExecutor, tenantId: string, clientScope: string | null, filters: AlertFilters, now: number): Promise<Page<AlertItem>> {
  if (clientScope !== null && filters.client !== undefined && filters.client !== clientScope) return { items: [], nextCursor: null };
  const where = ['a.tenant_id = ?'];
  const args: SqlValue[] = [tenantId];
  const add = (clause: string, ...values: SqlValue[]) => {
    where.push(clause);
    args.push(...values);
  };
  if (filters.state === 'active') where.push("a.state <> 'resolved'");
  else if (filters.state) add('a.state = ?', filters.state);
  if (filters.severity) add('a.severity = ?', filters.severity);
  if (filters.type) add('a.type = ?', filters.type);
  const client = clientScope ?? filters.client;
  if (client !== undefined) add('a.client_id = ?', client);
  if (filters.device) add('a.device_id = ?', filters.device);
  if (filters.cursor) {
    const [triggeredAt, id] = decodeCursor(filters.cursor, SORT, 2);
    add('(a.triggered_at < ? OR (a.triggered_at = ? AND a.id < ?))', triggeredAt!, triggeredAt!, id!);
  }
  const rows = await db.all<AlertItemRow>(
    `SELECT ${ALERT_ITEM_COLUMNS} FROM alerts a ${ALERT_JOINS} WHERE ${where.join(' AND ')} ORDER BY a.triggered_at DESC, a.id DESC LIMIT ?`,
    [...args, filters.limit + 1],
  );
  const page = rows.slice(0, filters.limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > filters.limit && last ? encodeCursor({ sort: SORT, values: [last.triggered_at, last.id] }) : null;
  return { items: await withSilencedBy(db, tenantId, page.map(toAlertItem), now), nextCursor };
}

/** One alert with every transition, or null (unknown, another tenant's, or outside the caller's client). */
export async function getAlert(db: SqlExecutor, tenantId: string, clientScope: string | null, id: string, now: number): Promise<AlertItem | null> {
  const row = await db.get<AlertItemRow>(ONE_SQL, [tenantId, id]);
  if (!row || (clientScope !== null && row.client_id !== clientScope)) return null;
  const history = await db.all<{ action: AlertHistoryAction; at: number; severity: AlertSeverity; actor: string | null; note: string | null }>(HISTORY_SQL, [tenantId, id]);
  const [item] = await withSilencedBy(db, tenantId, [toAlertItem(row)], now);
  return { ...item!, history: history.map((h) => ({ action: h.action, at: iso(h.at)!, severity: h.severity, by: h.actor, note: h.note })) };
}

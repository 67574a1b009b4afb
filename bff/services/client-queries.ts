/**
 * The per-client roll-up: counts by health status and SLA compliance, read from
 * `client_rollups`, which triggers on `devices` keep in step with every device change
 * (so a page of clients reads one row per client, not all their devices).
 */
import type { ClientItem, Page } from '../../core/api.ts';
import { complianceOfCounts } from '../../core/sla.ts';
import type { ComplianceSummary, SlaStateName } from '../../core/types.ts';
import type { SqlExecutor, SqlValue } from '../db/client.ts';
import { decodeCursor, encodeCursor, invalidCursor } from './cursor.ts';

export interface ClientListQuery {
  limit: number;
  cursor?: string;
}

interface RollupRow {
  id: string;
  name: string;
  timezone: string | null;
  total: number;
  healthy: number;
  warning: number;
  critical: number;
  unknown: number;
  meeting: number;
  breach: number;
  pending: number;
}

/** The statement for one shape (single client or page, with or without cursor). */
function rollupStatement(where: string): string {
  return `SELECT c.id, c.name, COALESCE(c.timezone, t.timezone) AS timezone, COALESCE(r.total, 0) AS total,
    COALESCE(r.healthy, 0) AS healthy, COALESCE(r.warning, 0) AS warning, COALESCE(r.critical, 0) AS critical,
    COALESCE(r.unknown, 0) AS unknown, COALESCE(r.meeting, 0) AS meeting, COALESCE(r.breach, 0) AS breach,
    COALESCE(r.pending, 0) AS pending
  FROM clients c LEFT JOIN tenants t ON t.id = c.tenant_id
  LEFT JOIN client_rollups r ON r.tenant_id = c.tenant_id AND r.client_id = c.id
  WHERE c.tenant_id = ?${where} ORDER BY c.name, c.id LIMIT ?`;
}
const PAGE_SQL = rollupStatement('');
const PAGE_AFTER_SQL = rollupStatement(' AND (c.name, c.id) > (?, ?)');
const ONE_SQL = rollupStatement(' AND c.id = ?');

function toClientItem(row: RollupRow): ClientItem {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone ?? 'UTC',
    total: row.total,
    counts: { healthy: row.healthy, warning: row.warning, critical: row.critical, unknown: row.unknown },
    compliance: complianceOfCounts({ meeting: row.meeting, breach: row.breach, pending: row.pending }),
  };
}

/**
 * One page of clients sorted by name (then id) with their roll-ups. A client-scoped
 * token (`scopeClientId`) sees a list holding only its client.
 */
export async function listClients(db: SqlExecutor, tenantId: string, scopeClientId: string | null, query: ClientListQuery): Promise<Page<ClientItem>> {
  if (scopeClientId !== null) {
    // The single-item list has no next page, so a cursor can only come from elsewhere.
    if (query.cursor) throw invalidCursor();
    const client = await getClient(db, tenantId, scopeClientId);
    return { items: client ? [client] : [], nextCursor: null };
  }
  let sql = PAGE_SQL;
  const args: SqlValue[] = [tenantId];
  if (query.cursor) {
    const [name, id] = decodeCursor(query.cursor, 'clients:name', 2);
    if (typeof name !== 'string' || typeof id !== 'string') throw invalidCursor();
    sql = PAGE_AFTER_SQL;
    args.push(name, id);
  }
  args.push(query.limit + 1);
  const rows = await db.all<RollupRow>(sql, args);
  const more = rows.length > query.limit;
  if (more) rows.length = query.limit;
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toClientItem),
    nextCursor: more && last ? encodeCursor({ sort: 'clients:name', values: [last.name, last.id] }) : null,
  };
}

/** One client's roll-up; null when it does not exist in the tenant. */
export async function getClient(db: SqlExecutor, tenantId: string, clientId: string): Promise<ClientItem | null> {
  const row = await db.get<RollupRow>(ONE_SQL, [tenantId, clientId, 1]);
  return row ? toClientItem(row) : null;
}

const EXISTS_SQL = 'SELECT 1 AS found FROM clients WHERE tenant_id = ? AND id = ?';

/** Whether the client exists in the tenant. */
export async function clientExists(db: SqlExecutor, tenantId: string, clientId: string): Promise<boolean> {
  return (await db.get(EXISTS_SQL, [tenantId, clientId])) !== undefined;
}

const EXISTING_SQL = 'SELECT id FROM clients WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?))';

/** Which of `clientIds` exist in the tenant. */
export async function existingClients(db: SqlExecutor, tenantId: string, clientIds: readonly string[]): Promise<Set<string>> {
  if (clientIds.length === 0) return new Set();
  const rows = await db.all<{ id: string }>(EXISTING_SQL, [tenantId, JSON.stringify(clientIds)]);
  return new Set(rows.map((row) => row.id));
}

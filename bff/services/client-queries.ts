/**
 * The per-client roll-up: counts by health status and SLA compliance from the
 * columns the evaluator persisted (status, sla_state), one GROUP BY over the devices
 * of one page of clients.
 */
import type { ClientItem, Page } from '../../core/api.ts';
import { summarizeCompliance } from '../../core/sla.ts';
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
  return `WITH page AS (SELECT c.id, c.name, c.timezone FROM clients c WHERE c.tenant_id = ?${where} ORDER BY c.name, c.id LIMIT ?)
  SELECT page.id, page.name, COALESCE(page.timezone, t.timezone) AS timezone, COUNT(d.id) AS total,
    COALESCE(SUM(d.status = 'healthy'), 0) AS healthy, COALESCE(SUM(d.status = 'warning'), 0) AS warning,
    COALESCE(SUM(d.status = 'critical'), 0) AS critical, COALESCE(SUM(d.status = 'unknown'), 0) AS unknown,
    COALESCE(SUM(d.sla_state = 'meeting'), 0) AS meeting, COALESCE(SUM(d.sla_state = 'breach'), 0) AS breach,
    COALESCE(SUM(d.sla_state = 'pending'), 0) AS pending
  FROM page LEFT JOIN tenants t ON t.id = ?
  LEFT JOIN devices d ON d.tenant_id = ? AND d.client_id = page.id AND d.retired_at IS NULL
  GROUP BY page.id ORDER BY page.name, page.id`;
}
const PAGE_SQL = rollupStatement('');
const PAGE_AFTER_SQL = rollupStatement(' AND (c.name, c.id) > (?, ?)');
const ONE_SQL = rollupStatement(' AND c.id = ?');

/** core summarizeCompliance over persisted counts (it takes one entry per device). */
export function complianceFromCounts(counts: Record<SlaStateName, number>): ComplianceSummary {
  const entries: { state: SlaStateName }[] = [];
  for (const state of ['meeting', 'breach', 'pending'] as const) {
    const entry = { state };
    for (let i = 0; i < counts[state]; i++) entries.push(entry);
  }
  return summarizeCompliance(entries);
}

function toClientItem(row: RollupRow): ClientItem {
  return {
    id: row.id,
    name: row.name,
    timezone: row.timezone ?? 'UTC',
    total: row.total,
    counts: { healthy: row.healthy, warning: row.warning, critical: row.critical, unknown: row.unknown },
    compliance: complianceFromCounts({ meeting: row.meeting, breach: row.breach, pending: row.pending }),
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
  args.push(query.limit + 1, tenantId, tenantId);
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
  const row = await db.get<RollupRow>(ONE_SQL, [tenantId, clientId, 1, tenantId, tenantId]);
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

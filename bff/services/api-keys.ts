/** The tenant's API keys as an admin sees them: names, scopes and dates, never the keys. */
import type { Database } from '../db/client.ts';

export interface ApiKeyItem {
  id: string;
  name: string;
  /** API keys carry these scopes (`operate` is for embed tokens). */
  scopes: ('admin' | 'ingest' | 'read')[];
  createdAt: string;
  revokedAt: string | null;
}

const LIST_SQL = `SELECT id, name, scopes, created_at, revoked_at FROM api_keys
  WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`;

/** One page of the tenant's keys (revoked ones included, with `revokedAt`), by id. */
export async function listApiKeys(db: Database, tenantId: string, query: { limit: number; cursor?: string }): Promise<{ items: ApiKeyItem[]; nextCursor: string | null }> {
  const rows = await db.all<{ id: string; name: string; scopes: string; created_at: number; revoked_at: number | null }>(LIST_SQL, [tenantId, query.cursor ?? '', query.limit + 1]);
  const items = rows.slice(0, query.limit).map((row) => ({
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as ApiKeyItem['scopes'],
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  }));
  return { items, nextCursor: rows.length > query.limit ? items[items.length - 1]!.id : null };
}

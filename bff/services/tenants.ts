/** Tenants: creation (platform key), the bootstrap tenant, lookups. */
import type { Database, SqlExecutor } from '../db/client.ts';
import { createApiKey, newId, newSecret, sha256 } from './credentials.ts';

export interface TenantRow {
  id: string;
  name: string;
  timezone: string;
}

/** Creates a tenant and its first admin key (shown once). */
export async function createTenant(db: Database, name: string, now: number, id: string = newId()) {
  await db.run('INSERT INTO tenants (id, name, timezone, token_secret, created_at) VALUES (?, ?, ?, ?, ?)', [id, name, 'UTC', newSecret(), now]);
  const { key } = await createApiKey(db, id, 'admin (created with tenant)', ['admin'], now);
  return { id, name, adminKey: key };
}

/**
 * BHM_BOOTSTRAP_KEY: ensures tenant `default` exists with this admin key. Idempotent,
 * safe when several instances start at once.
 */
export async function bootstrapTenant(db: Database, adminKey: string, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run('INSERT OR IGNORE INTO tenants (id, name, timezone, token_secret, created_at) VALUES (?, ?, ?, ?, ?)', [
      'default',
      'Default',
      'UTC',
      newSecret(),
      now,
    ]);
    await tx.run(
      'INSERT OR IGNORE INTO api_keys (id, tenant_id, name, key_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [`bootstrap-${sha256(adminKey).slice(0, 16)}`, 'default', 'bootstrap (BHM_BOOTSTRAP_KEY)', sha256(adminKey), JSON.stringify(['admin']), now],
    );
  });
}

export async function getTenant(db: Database, id: string): Promise<TenantRow | undefined> {
  return db.get<TenantRow>('SELECT id, name, timezone FROM tenants WHERE id = ?', [id]);
}

const VIEW_TIMEZONE_SQL = `SELECT COALESCE((SELECT timezone FROM clients WHERE tenant_id = ?1 AND id = ?2), t.timezone, 'UTC') AS timezone
  FROM tenants t WHERE t.id = ?1`;

/** The timezone a view states its times in: the client's (when one is given), else the tenant's. */
export async function viewTimeZone(db: SqlExecutor, tenantId: string, clientId: string | null): Promise<string> {
  return (await db.get<{ timezone: string }>(VIEW_TIMEZONE_SQL, [tenantId, clientId]))?.timezone ?? 'UTC';
}

/**
 * The tenant's timezone is the one its weekly report is set in (docs/reports.md, "One clock in every view"): new clients,
 * tenant-wide periods, trends and the widgets' clock follow it.
 */
export async function setTenantTimeZone(db: SqlExecutor, tenantId: string, timezone: string): Promise<void> {
  await db.run('UPDATE tenants SET timezone = ? WHERE id = ?', [timezone, tenantId]);
}

export async function listTenantIds(db: Database): Promise<string[]> {
  return (await db.all<{ id: string }>('SELECT id FROM tenants ORDER BY id')).map((r) => r.id);
}

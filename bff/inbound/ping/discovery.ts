/**
 * The discovery inbox for pings (docs/ingest.md, issue #15): a ping with `?create=1` for a
 * slug no device has is held here instead of answered "not found", so a script set
 * up before its device was enrolled loses nothing. A person approves it (the device
 * is enrolled with that ping slug and the held pings are replayed in order, as if
 * they had arrived then) or ignores it (its pings answer "not found" from then on).
 */
import type { Database, SqlExecutor } from '../../db/client.ts';
import type { PingAction } from './interpret.ts';

/** Held pings per discovered device: enough for a few runs' start, log and end. */
export const MAX_HELD_PINGS = 20;

export type DiscoveryState = 'pending' | 'ignored';

export interface DiscoveredDevice {
  slug: string;
  source: 'ping';
  state: DiscoveryState;
  firstSeenAt: string;
  lastSeenAt: string;
  /** Pings received, held or not. */
  pings: number;
  /** Pings held for replay (the newest MAX_HELD_PINGS). */
  held: number;
}

interface Row {
  slug: string;
  source: 'ping';
  state: DiscoveryState;
  first_seen_at: number;
  last_seen_at: number;
  pings: number;
  held: string;
}

const TENANT_OF_KEY_SQL = 'SELECT id FROM tenants WHERE ping_key = ?';
const ROW_SQL = 'SELECT slug, source, state, first_seen_at, last_seen_at, pings, held FROM discovered_devices WHERE tenant_id = ? AND slug = ?';
const INSERT_SQL = `INSERT INTO discovered_devices (tenant_id, slug, source, state, first_seen_at, last_seen_at, pings, held)
  VALUES (?, ?, 'ping', 'pending', ?, ?, 1, ?)`;
const UPDATE_SQL = 'UPDATE discovered_devices SET last_seen_at = ?, pings = pings + 1, held = ? WHERE tenant_id = ? AND slug = ?';
const LIST_SQL = `SELECT slug, source, state, first_seen_at, last_seen_at, pings, held FROM discovered_devices
  WHERE tenant_id = ? AND state = ? ORDER BY last_seen_at DESC, slug LIMIT 500`;

const iso = (at: number) => new Date(at).toISOString();
const toItem = (row: Row): DiscoveredDevice => ({
  slug: row.slug,
  source: row.source,
  state: row.state,
  firstSeenAt: iso(row.first_seen_at),
  lastSeenAt: iso(row.last_seen_at),
  pings: row.pings,
  held: (JSON.parse(row.held) as unknown[]).length,
});

/**
 * Holds a `?create=1` ping for an unknown slug: `created` the first time, `held` after,
 * `ignored` when a person ignored the slug; null for an unknown ping key.
 */
export async function holdPing(db: Database, pingKey: string, slug: string, action: PingAction, now: number): Promise<'created' | 'held' | 'ignored' | null> {
  const tenant = await db.get<{ id: string }>(TENANT_OF_KEY_SQL, [pingKey]);
  if (!tenant) return null;
  // Read and write in one transaction: concurrent pings of one slug each keep their action.
  return db.transaction(async (tx) => {
    const row = await tx.get<Row>(ROW_SQL, [tenant.id, slug]);
    if (!row) {
      await tx.run(INSERT_SQL, [tenant.id, slug, now, now, JSON.stringify([action])]);
      return 'created';
    }
    const held = row.state === 'ignored' ? [] : [...(JSON.parse(row.held) as PingAction[]), action].slice(-MAX_HELD_PINGS);
    await tx.run(UPDATE_SQL, [now, JSON.stringify(held), tenant.id, slug]);
    return row.state === 'ignored' ? 'ignored' : 'held';
  });
}

export async function listDiscovered(db: SqlExecutor, tenantId: string, state: DiscoveryState): Promise<DiscoveredDevice[]> {
  return (await db.all<Row>(LIST_SQL, [tenantId, state])).map(toItem);
}

export async function getDiscovered(db: SqlExecutor, tenantId: string, slug: string): Promise<{ item: DiscoveredDevice; held: PingAction[] } | null> {
  const row = await db.get<Row>(ROW_SQL, [tenantId, slug]);
  return row ? { item: toItem(row), held: JSON.parse(row.held) as PingAction[] } : null;
}

/** Ignores a slug: its held pings are dropped and later `?create=1` pings answer "not found". */
export async function ignoreDiscovered(db: SqlExecutor, tenantId: string, slug: string): Promise<DiscoveredDevice | null> {
  const row = await db.get<Row>(
    `UPDATE discovered_devices SET state = 'ignored', held = '[]' WHERE tenant_id = ? AND slug = ? RETURNING slug, source, state, first_seen_at, last_seen_at, pings, held`,
    [tenantId, slug],
  );
  return row ? toItem(row) : null;
}

export async function forgetDiscovered(db: SqlExecutor, tenantId: string, slug: string): Promise<void> {
  await db.run('DELETE FROM discovered_devices WHERE tenant_id = ? AND slug = ?', [tenantId, slug]);
}

/**
 * Named leases in the `leases` table coordinate background work between BFF
 * instances: only the holder of a live lease does the work, and a dead instance's
 * lease simply expires.
 */
import { primaryOf, type SqlExecutor } from '../db/client.ts';

const TAKE_SQL = `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
  WHERE leases.expires_at < ? OR leases.holder = ?`;
const HOLDER_SQL = 'SELECT holder FROM leases WHERE name = ?';
const RELEASE_SQL = 'DELETE FROM leases WHERE name = ? AND holder = ?';

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`. True when the
 * caller holds it afterwards: it was free, expired, or already the caller's.
 */
export async function takeLease(db: SqlExecutor, name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
  await db.run(TAKE_SQL, [name, holder, now + ttlMs, now, holder]);
  // Read back rather than trust `changes`: a remote server may report the no-op upsert differently.
  const row = await primaryOf(db).get<{ holder: string }>(HOLDER_SQL, [name]);
  return row?.holder === holder;
}

/** Gives the lease up (shutdown), so another instance can take over at once. */
export async function releaseLease(db: SqlExecutor, name: string, holder: string): Promise<void> {
  await db.run(RELEASE_SQL, [name, holder]);
}

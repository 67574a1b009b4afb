/**
 * Ping keys and slugs. A tenant's ping key is the only credential of its ping URLs
 * (it can report results and nothing else); it is read from the database for every
 * ping (one statement per turn of the event loop for all the pings of that turn, never
 * cached), so a rotation invalidates the old URLs at once on every instance. A device's
 * slug names it in the URL, unique within its tenant.
 */
import { randomBytes } from 'node:crypto';
import type { SqlExecutor } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';

/** A new ping key: 128 random bits as 32 lowercase hex characters (URL-safe, like the migration's). */
export const newPingKey = () => randomBytes(16).toString('hex');

/** Slugs: 1–200 characters of a–z 0–9 . _ : @ - (a device id lowercased always is one). */
export const PING_SLUG_PATTERN = /^[a-z0-9._:@-]{1,200}$/;

/** The tenant's ping key; a tenant without one (created before its trigger existed) gets one now. */
export async function pingKeyOf(db: SqlExecutor, tenantId: string): Promise<string> {
  const row = await db.get<{ ping_key: string | null }>('SELECT ping_key FROM tenants WHERE id = ?', [tenantId]);
  if (row?.ping_key) return row.ping_key;
  await db.run('UPDATE tenants SET ping_key = ? WHERE id = ? AND ping_key IS NULL', [newPingKey(), tenantId]);
  const created = await db.get<{ ping_key: string }>('SELECT ping_key FROM tenants WHERE id = ?', [tenantId]);
  return created!.ping_key;
}

/** Replaces the tenant's ping key; URLs with the old key answer 404 from now on. Returns the new key. */
export async function rotatePingKey(db: SqlExecutor, tenantId: string): Promise<string> {
  const key = newPingKey();
  await db.run('UPDATE tenants SET ping_key = ? WHERE id = ?', [key, tenantId]);
  return key;
}

/**
 * Gives device `deviceId` the slug `slug` inside the caller's transaction; a slug
 * another device of the tenant uses is a 409 naming `pingSlug`.
 */
export async function setPingSlug(tx: SqlExecutor, tenantId: string, deviceId: string, slug: string): Promise<void> {
  const holder = await tx.get<{ id: string }>('SELECT id FROM devices WHERE tenant_id = ? AND ping_slug = ? AND id <> ?', [tenantId, slug, deviceId]);
  if (holder) {
    const detail = `The ping slug "${slug}" belongs to device "${holder.id}"; choose another one.`;
    throw new ProblemError(409, 'conflict', 'Conflict', detail, [{ path: 'pingSlug', message: detail }]);
  }
  await tx.run('UPDATE devices SET ping_slug = ? WHERE tenant_id = ? AND id = ?', [slug, tenantId, deviceId]);
}

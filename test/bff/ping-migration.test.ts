/**
 * Migration 0003 on a database that already holds tenants and devices: every
 * tenant gets a ping key, every device its default slug (two ids that differ only
 * in case cannot share one), and tenants and devices created later get theirs too.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { createTenant } from '../../bff/services/tenants.ts';

const folder = new URL('../../bff/db/migrations/', import.meta.url);
const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')) as { entries: { idx: number; tag: string }[] };

/** Applies the migrations before 0003 the way migrate() does, so that 0003 meets existing rows. */
async function migrateBeforePing(db: Database) {
  await db.run('CREATE TABLE IF NOT EXISTS __migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const { tag } of journal.entries.filter((e) => e.idx < 3).sort((a, b) => a.idx - b.idx)) {
    for (const statement of readFileSync(new URL(`${tag}.sql`, folder), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean)) {
      await db.run(statement);
    }
    await db.run('INSERT INTO __migrations (tag, applied_at) VALUES (?, 0)', [tag]);
  }
}

const insertDevice = (db: Database, tenantId: string, id: string) =>
  db.run(`INSERT INTO devices (tenant_id, id, client_id, name, kind, policy_id, enrolled_at, updated_at, state) VALUES (?, ?, 'c', ?, 'server', 'p', 0, 0, '[]')`, [tenantId, id, id]);
const slugs = async (db: Database, tenantId: string) =>
  Object.fromEntries((await db.all<{ id: string; ping_slug: string | null }>('SELECT id, ping_slug FROM devices WHERE tenant_id = ? ORDER BY id', [tenantId])).map((r) => [r.id, r.ping_slug]));

let db: Database;
before(async () => {
  db = openDatabase({ url: ':memory:' });
  await migrateBeforePing(db);
  for (const id of ['t1', 't2']) await db.run(`INSERT INTO tenants (id, name, token_secret, created_at) VALUES (?, ?, 'secret', 0)`, [id, id]);
  for (const id of ['SRV-01', 'srv-01', 'Laptop.Ann']) await insertDevice(db, 't1', id);
  await insertDevice(db, 't2', 'SRV-01');
  assert.deepEqual(await migrate(db), journal.entries.filter((e) => e.idx >= 3).sort((a, b) => a.idx - b.idx).map((e) => e.tag));
});
after(() => db.close());

test('existing tenants get distinct ping keys of at least 22 URL-safe characters', async () => {
  const keys = (await db.all<{ ping_key: string }>('SELECT ping_key FROM tenants ORDER BY id')).map((r) => r.ping_key);
  assert.equal(keys.length, 2);
  for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{22,}$/);
  assert.notEqual(keys[0], keys[1]);
});

test('existing devices get their id lowercased as slug, per tenant; a case twin gets none', async () => {
  assert.deepEqual(await slugs(db, 't1'), { 'Laptop.Ann': 'laptop.ann', 'SRV-01': 'srv-01', 'srv-01': null });
  assert.deepEqual(await slugs(db, 't2'), { 'SRV-01': 'srv-01' });
});

test('a tenant created later has a ping key and a device enrolled later its slug', async () => {
  const tenant = await createTenant(db, 'Later MSP', 0);
  const row = await db.get<{ ping_key: string | null }>('SELECT ping_key FROM tenants WHERE id = ?', [tenant.id]);
  assert.match(row!.ping_key!, /^[0-9a-f]{32}$/);
  await insertDevice(db, tenant.id, 'Backup-Box');
  assert.deepEqual(await slugs(db, tenant.id), { 'Backup-Box': 'backup-box' });
});

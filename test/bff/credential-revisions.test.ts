/**
 * The credentials revision behind every cached credential (a revocation holds at once on
 * every instance): requests asking together share one read, and no request is answered
 * from a read that started before it arrived.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../bff/db/client.ts';
import { CredentialRevisions } from '../../bff/services/credential-revisions.ts';
import { testApp, type TestApp } from './harness.ts';

const REVISION = 'SELECT credentials_revision AS revision FROM tenants WHERE id = ?';
const raise = (t: TestApp) => t.db.run('UPDATE tenants SET credentials_revision = credentials_revision + 1 WHERE id = ?', [t.tenant.id]);

/** The app's database, counting revision reads; `slow` makes each read take that long (a remote database). */
function counting(db: Database, slow = 0) {
  const counted = { reads: 0, db: Object.create(db) as Database };
  counted.db.get = (async (sql: string, args?: never[]) => {
    if (sql === REVISION) counted.reads++;
    const row = await db.get(sql, args);
    if (slow) await new Promise((resolve) => setTimeout(resolve, slow));
    return row;
  }) as Database['get'];
  return counted;
}

describe('credentials revision reads', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('requests of one turn of the event loop share one read', async () => {
    const counted = counting(t.db);
    const revisions = new CredentialRevisions(counted.db);
    const answers = await Promise.all(Array.from({ length: 20 }, () => revisions.current(t.tenant.id)));
    assert.equal(counted.reads, 1);
    assert.equal(new Set(answers).size, 1);
  });

  test('a request after a revocation reads the new revision', async () => {
    const revisions = new CredentialRevisions(t.db);
    const before = await revisions.current(t.tenant.id);
    await raise(t);
    assert.equal(await revisions.current(t.tenant.id), before! + 1);
  });

  test('a request arriving while a read is in flight waits for a read that starts after it', async () => {
    const counted = counting(t.db, 20);
    const revisions = new CredentialRevisions(counted.db);
    const first = revisions.current(t.tenant.id);
    // Until the first read is under way (a fixed sleep raced it on a loaded machine: a due timer runs before setImmediate).
    while (counted.reads === 0) await new Promise((resolve) => setImmediate(resolve));
    const old = (await t.db.get<{ revision: number }>(REVISION, [t.tenant.id]))!.revision;
    await raise(t);
    const late = revisions.current(t.tenant.id);
    const alsoLate = revisions.current(t.tenant.id);
    assert.equal(await first, old);
    assert.equal(await late, old + 1);
    assert.equal(await alsoLate, old + 1);
    assert.equal(counted.reads, 2);
  });

  test('an unknown tenant reads as null', async () => {
    assert.equal(await new CredentialRevisions(t.db).current('no-such-tenant'), null);
  });
});

/**
 * The remote path of the database port under overload beyond sqld's limits: more
 * open transactions than sqld has connections, and bursts of plain statements. Both
 * must be retried (HTTP 429) rather than fail. Run by `npm run test:scale`, not by
 * `npm test`: on two shared cores the burst has been seen to wedge sqld itself (it
 * answered "Timed out while opening database connection" and spun), which says
 * nothing about our retries and would stall the test run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { closeAll, remotes, startSqld, type RunningSqld } from './sqld.ts';


describe('remote database over sqld, overloaded', { timeout: 180_000 }, () => {
  let sqld: RunningSqld;
  let db: Database;

  before(async () => {
    sqld = await startSqld();
    db = openDatabase({ url: sqld.url });
    await db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter (id, n) VALUES (1, 0);');
  });
  after(async () => {
    await db?.close();
    await sqld?.stop();
  });

  test('more open transactions than sqld allows connections (HTTP 429) are retried, not failed', async () => {
    // 25 instances × 8 transaction slots = 200 concurrent transactions > sqld's 128 connections.
    const dbs = remotes(sqld, 25);
    try {
      const before = (await db.get<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!.n;
      const results = await Promise.allSettled(
        Array.from({ length: 500 }, (_, i) =>
          dbs[i % dbs.length]!.transaction(async (tx) => {
            await tx.run('UPDATE counter SET n = n + 1 WHERE id = 1');
          }),
        ),
      );
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
        [],
      );
      assert.equal((await db.get<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!.n, before + 500);
    } finally {
      await closeAll(dbs);
    }
  });

  test('a burst of plain statements beyond sqld limits is retried, not failed', async () => {
    // 20 clients × 20 concurrent requests each = 400 > sqld's 128 (a bare @libsql/client fails ~half).
    const dbs = remotes(sqld, 20);
    try {
      await db.run('CREATE TABLE burst (i INTEGER PRIMARY KEY)');
      const results = await Promise.allSettled(Array.from({ length: 2000 }, (_, i) => dbs[i % dbs.length]!.run('INSERT INTO burst (i) VALUES (?)', [i])));
      assert.deepEqual(
        results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 3),
        [],
      );
      assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM burst'))!.n, 2000);
    } finally {
      await closeAll(dbs);
    }
  });
});

/**
 * The remote path of the database port (bff/db/remote.ts over @libsql/client) against
 * a real sqld: migrations from several instances at once, interactive write
 * transactions over HTTP, batch, exec, row conversion, integers as numbers, many
 * concurrent transactions. Every behaviour is also checked against the local path
 * where both should agree. Overload beyond sqld's limits is in remote-overload.test.ts
 * (`npm run test:scale` only: on two shared cores it can wedge sqld itself).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '@libsql/client';
import { isRetryableRemoteError, openDatabase, type Database } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { bootstrapTenant } from '../../bff/services/tenants.ts';
import { closeAll, remotes, startSqld, type RunningSqld } from './sqld.ts';

const T = Date.UTC(2026, 10, 24, 12);


// A wedged sqld must fail the run, not hang it.
describe('remote database over sqld', { timeout: 120_000 }, () => {
  let sqld: RunningSqld;
  let db: Database;

  before(async () => {
    sqld = await startSqld();
    db = openDatabase({ url: sqld.url });
  });
  after(async () => {
    await db?.close();
    await sqld?.stop();
  });

  test('an http:// URL opens the remote path', () => {
    assert.equal(db.mode, 'remote');
    assert.equal(openDatabase({ url: ':memory:' }).mode, 'local');
  });

  test('a server that takes the request and never answers fails the statement at the time limit', async () => {
    const silent = createServer(() => undefined); // accepts, reads, never answers
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const wedged = openDatabase({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    try {
      const started = Date.now();
      await assert.rejects(wedged.get('SELECT 1'), /timeout|timed out|aborted/i);
      assert.ok(Date.now() - started < 5_000, 'failed at the limit, not after retries');
    } finally {
      await wedged.close().catch(() => undefined);
      silent.closeAllConnections();
      silent.close();
    }
  });

  describe('migrations', () => {
    test('three instances starting at once apply each migration exactly once', async () => {
      const fresh = await startSqld();
      const dbs = remotes(fresh, 3);
      try {
        const applied = await Promise.all(dbs.map((d) => migrate(d)));
        const all = applied.flat();
        const journal = (await dbs[0]!.all<{ tag: string }>('SELECT tag FROM __migrations ORDER BY tag')).map((r) => r.tag);
        assert.ok(journal.length >= 1);
        // Each tag applied by exactly one instance.
        assert.deepEqual([...all].sort(), journal);
        assert.equal(new Set(all).size, all.length);
        // A later start applies nothing.
        assert.deepEqual(await migrate(dbs[1]!), []);
      } finally {
        await closeAll(dbs);
        await fresh.stop();
      }
    });

    test('the remote schema is the same as a local one', async () => {
      await migrate(db);
      const local = openDatabase({ url: ':memory:' });
      await migrate(local);
      const schemaOf = (d: Database) =>
        d.all<{ type: string; name: string; sql: string | null }>(
          "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\' ORDER BY type, name",
        );
      const [remoteSchema, localSchema] = await Promise.all([schemaOf(db), schemaOf(local)]);
      assert.ok(remoteSchema.length > 10, `expected tables and indexes, got ${remoteSchema.length}`);
      assert.deepEqual(remoteSchema, localSchema);
      await local.close();
    });

    test('bootstrapping the default tenant from three instances at once creates one tenant and one key', async () => {
      await migrate(db);
      const dbs = remotes(sqld, 3);
      try {
        await Promise.all(dbs.map((d) => bootstrapTenant(d, 'bootstrap-key-0123456789abcdef', T)));
        assert.deepEqual(await db.all("SELECT id FROM tenants WHERE id = 'default'"), [{ id: 'default' }]);
        assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM api_keys WHERE tenant_id = 'default'"))!.n, 1);
      } finally {
        await closeAll(dbs);
      }
    });
  });

  describe('statements and rows', () => {
    before(async () => {
      await db.exec(`
        CREATE TABLE kinds (id INTEGER PRIMARY KEY, i INTEGER, big INTEGER, r REAL, t TEXT, b BLOB, n INTEGER);
        CREATE TABLE uniq (k TEXT PRIMARY KEY, v INTEGER NOT NULL);
      `);
    });

    test('exec runs a script of several statements', async () => {
      const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('kinds', 'uniq') ORDER BY name");
      assert.deepEqual(tables, [{ name: 'kinds' }, { name: 'uniq' }]);
    });

    test('rows are plain objects keyed by column; integers (epoch ms too) are numbers', async () => {
      const ran = await db.run('INSERT INTO kinds (id, i, big, r, t, b, n) VALUES (?, ?, ?, ?, ?, ?, ?)', [1, 42, T, 1.5, 'héllo ✓', new Uint8Array([1, 2, 3]), null]);
      assert.deepEqual(ran, { changes: 1 });
      const row = await db.get<Record<string, unknown>>('SELECT id, i, big, r, t, n, length(b) AS blen FROM kinds WHERE id = ?', [1]);
      assert.deepEqual(row, { id: 1, i: 42, big: T, r: 1.5, t: 'héllo ✓', n: null, blen: 3 });
      assert.equal(Object.getPrototypeOf(row), Object.prototype);
      assert.equal(typeof row!.big, 'number');
      assert.equal(typeof (await db.get<{ c: number }>('SELECT count(*) AS c FROM kinds'))!.c, 'number');
      // bigint arguments are accepted too.
      await db.run('UPDATE kinds SET big = ? WHERE id = 1', [BigInt(T) + 1n]);
      assert.equal((await db.get<{ big: number }>('SELECT big FROM kinds WHERE id = 1'))!.big, T + 1);
    });

    test('get of no row is undefined, all of no rows is []; run reports changes', async () => {
      assert.equal(await db.get('SELECT * FROM kinds WHERE id = -1'), undefined);
      assert.deepEqual(await db.all('SELECT * FROM kinds WHERE id = -1'), []);
      assert.deepEqual(await db.run('UPDATE kinds SET i = i WHERE id = -1'), { changes: 0 });
      assert.deepEqual(await db.run('SELECT 1'), { changes: 0 });
    });

    test('batch is atomic and ordered', async () => {
      await db.batch([
        { sql: 'INSERT INTO uniq (k, v) VALUES (?, ?)', args: ['a', 1] },
        { sql: 'UPDATE uniq SET v = v + 10 WHERE k = ?', args: ['a'] },
      ]);
      assert.deepEqual(await db.all('SELECT k, v FROM uniq'), [{ k: 'a', v: 11 }]);
      await assert.rejects(
        db.batch([
          { sql: 'INSERT INTO uniq (k, v) VALUES (?, ?)', args: ['b', 2] },
          { sql: 'INSERT INTO uniq (k, v) VALUES (?, ?)', args: ['a', 3] }, // duplicate key
        ]),
        /UNIQUE|constraint/i,
      );
      assert.deepEqual(await db.all('SELECT k, v FROM uniq ORDER BY k'), [{ k: 'a', v: 11 }]);
      await db.batch([]);
    });

    test('a failing statement is a clear error, not a retry loop', async () => {
      const started = Date.now();
      await assert.rejects(db.run('INSERT INTO uniq (k, v) VALUES (?, NULL)', ['z']), /NOT NULL/i);
      await assert.rejects(db.all('SELECT * FROM no_such_table'), /no such table/i);
      assert.ok(Date.now() - started < 1000);
    });
  });

  describe('transactions (interactive, over HTTP)', () => {
    before(() => db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0); CREATE TABLE log (v TEXT PRIMARY KEY)'));

    test('commits all statements and returns the result of work', async () => {
      const result = await db.transaction(async (tx) => {
        await tx.run('INSERT INTO log (v) VALUES (?)', ['x1']);
        await tx.run('INSERT INTO log (v) VALUES (?)', ['x2']);
        return (await tx.all<{ v: string }>("SELECT v FROM log WHERE v LIKE 'x%' ORDER BY v")).map((r) => r.v);
      });
      assert.deepEqual(result, ['x1', 'x2']);
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM log WHERE v LIKE 'x%'"))!.n, 2);
    });

    test('an error in work rolls everything back', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO log (v) VALUES (?)', ['y1']);
          await tx.run('INSERT INTO log (v) VALUES (?)', ['x1']); // duplicate
        }),
        /UNIQUE|constraint/i,
      );
      assert.equal(await db.get("SELECT v FROM log WHERE v = 'y1'"), undefined);
    });

    test('a failed statement that work catches leaves the transaction usable', async () => {
      await db.transaction(async (tx) => {
        await assert.rejects(tx.run('INSERT INTO log (v) VALUES (?)', ['x1']), /UNIQUE|constraint/i);
        await tx.run('INSERT INTO log (v) VALUES (?)', ['z1']);
      });
      assert.deepEqual(await db.get("SELECT v FROM log WHERE v = 'z1'"), { v: 'z1' });
    });

    test('the first statement failing inside work (BEGIN succeeded) is not retried', async () => {
      let calls = 0;
      await assert.rejects(
        db.transaction(async (tx) => {
          calls++;
          await tx.run('INSERT INTO log (v) VALUES (?)', ['x1']);
        }),
        /UNIQUE|constraint/i,
      );
      assert.equal(calls, 1);
    });

    test('uncommitted writes are invisible to others; committed ones visible to every instance', async () => {
      const [other] = remotes(sqld, 1);
      try {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let written!: () => void;
        const wrote = new Promise<void>((resolve) => (written = resolve));
        const running = db.transaction(async (tx) => {
          await tx.run('INSERT INTO log (v) VALUES (?)', ['iso']);
          written();
          await gate;
        });
        await wrote;
        assert.equal(await other!.get("SELECT v FROM log WHERE v = 'iso'"), undefined);
        release();
        await running;
        assert.deepEqual(await other!.get("SELECT v FROM log WHERE v = 'iso'"), { v: 'iso' });
      } finally {
        await other!.close();
      }
    });

    test('statements issued concurrently inside one transaction all run in it', async () => {
      await db.transaction(async (tx) => {
        await Promise.all(['p1', 'p2', 'p3', 'p4'].map((v) => tx.run('INSERT INTO log (v) VALUES (?)', [v])));
      });
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM log WHERE v LIKE 'p%'"))!.n, 4);
    });

    test('a savepoint rolled back undoes only its statements (group commit stores batches so)', async () => {
      await db.transaction(async (tx) => {
        await tx.run('SAVEPOINT ingest_batch');
        await tx.run('INSERT INTO log (v) VALUES (?)', ['s1']);
        await tx.run('RELEASE ingest_batch');
        await tx.run('SAVEPOINT ingest_batch');
        await tx.run('INSERT INTO log (v) VALUES (?)', ['s2']);
        await tx.run('ROLLBACK TO ingest_batch');
        await tx.run('RELEASE ingest_batch');
        await tx.run('INSERT INTO log (v) VALUES (?)', ['s3']);
      });
      assert.deepEqual((await db.all<{ v: string }>("SELECT v FROM log WHERE v LIKE 's%' ORDER BY v")).map((r) => r.v), ['s1', 's3']);
    });

    test('work without statements commits nothing and returns its value', async () => {
      assert.equal(await db.transaction(async () => 7), 7);
    });

    test('300 concurrent read-modify-write transactions from three instances lose no update', async () => {
      const dbs = remotes(sqld, 3);
      try {
        const before = (await db.get<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!.n;
        const results = await Promise.allSettled(
          Array.from({ length: 300 }, (_, i) =>
            dbs[i % 3]!.transaction(async (tx) => {
              const { n } = (await tx.get<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!;
              await new Promise((resolve) => setImmediate(resolve));
              await tx.run('UPDATE counter SET n = ? WHERE id = 1', [n + 1]);
            }),
          ),
        );
        const failures = results.filter((r) => r.status === 'rejected');
        assert.deepEqual(failures, []);
        assert.equal((await db.get<{ n: number }>('SELECT n FROM counter WHERE id = 1'))!.n, before + 300);
      } finally {
        await closeAll(dbs);
      }
    });

    test('a transaction holding the write lock > 5 s while another waits is rolled back whole (sqld lease)', async () => {
      const [other] = remotes(sqld, 1);
      try {
        let written!: () => void;
        const wrote = new Promise<void>((resolve) => (written = resolve));
        const slow = db.transaction(async (tx) => {
          await tx.run('INSERT INTO log (v) VALUES (?)', ['slow-1']);
          written();
          await new Promise((resolve) => setTimeout(resolve, 6500));
          await tx.run('INSERT INTO log (v) VALUES (?)', ['slow-2']);
        });
        await wrote;
        await other!.transaction((tx) => tx.run('INSERT INTO log (v) VALUES (?)', ['fast']));
        await assert.rejects(slow, /TRANSACTION_TIMEOUT|timed out/i);
        assert.deepEqual(await db.all("SELECT v FROM log WHERE v IN ('slow-1', 'slow-2', 'fast') ORDER BY v"), [{ v: 'fast' }]);
      } finally {
        await other!.close();
      }
    });
  });

  test('retryable errors: overload and busy answers only', async () => {
    const raw = createClient({ url: 'http://127.0.0.1:1' });
    const refused = await raw.execute('SELECT 1').catch((e: unknown) => e);
    raw.close();
    assert.equal(isRetryableRemoteError(refused), false); // connection refused: maybe a dead server, not "busy"
    assert.equal(isRetryableRemoteError({ code: 'SERVER_ERROR', message: 'SERVER_ERROR: Server returned HTTP status 429' }), true);
    assert.equal(isRetryableRemoteError({ code: 'SERVER_ERROR', message: 'SERVER_ERROR: Server returned HTTP status 503' }), true);
    assert.equal(isRetryableRemoteError({ code: 'SQLITE_BUSY', message: 'database is locked' }), true);
    assert.equal(isRetryableRemoteError({ code: 'SERVER_ERROR', message: 'SERVER_ERROR: Server returned HTTP status 500' }), false);
    assert.equal(isRetryableRemoteError({ code: 'SQLITE_CONSTRAINT', message: 'UNIQUE constraint failed' }), false);
    assert.equal(isRetryableRemoteError(null), false);
  });
});

describe('local and remote paths agree', () => {
  let sqld: RunningSqld;
  before(async () => {
    sqld = await startSqld();
  });
  after(() => sqld?.stop());

  /** The same script of port calls; returns everything observable. */
  async function scenario(db: Database) {
    await migrate(db);
    const seen: unknown[] = [];
    await db.run('INSERT INTO tenants (id, name, timezone, token_secret, created_at) VALUES (?, ?, ?, ?, ?)', ['p', 'P', 'UTC', 's', T]);
    await db.batch([
      { sql: 'INSERT INTO clients (tenant_id, id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', args: ['p', 'a', 'A', T, T] },
      { sql: 'INSERT INTO clients (tenant_id, id, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', args: ['p', 'b', 'B', T, T] },
    ]);
    seen.push(await db.all('SELECT tenant_id, id, name, timezone, created_at FROM clients ORDER BY id'));
    seen.push(
      await db.transaction(async (tx) => {
        const changed = await tx.run('UPDATE clients SET name = name || ? WHERE tenant_id = ?', ['!', 'p']);
        return { changed, rows: await tx.all('SELECT name FROM clients ORDER BY id') };
      }),
    );
    seen.push(await db.transaction(async (tx) => tx.all('SELECT id, name FROM clients ORDER BY id')));
    seen.push(await db.get('SELECT id, created_at FROM tenants WHERE id = ?', ['p']));
    seen.push(await db.get('SELECT count(*) AS n, sum(created_at) AS s, avg(created_at) AS a, max(name) AS m FROM clients'));
    seen.push(await db.get('SELECT * FROM clients WHERE id = ?', ['none']));
    seen.push(await db.transaction(async (tx) => tx.get('SELECT 1 + 1 AS two')));
    await assert.rejects(db.transaction(async (tx) => {
      await tx.run("DELETE FROM clients WHERE id = 'a'");
      throw new Error('no');
    }));
    seen.push(await db.all('SELECT id FROM clients ORDER BY id'));
    return seen;
  }

  /** Transactions, batches and plain statements all at once: none may fail, none may be lost. */
  async function concurrently(db: Database) {
    await db.exec('CREATE TABLE IF NOT EXISTS tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT OR REPLACE INTO tally VALUES (1, 0);');
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? db.transaction(async (tx) => {
              const { n } = (await tx.get<{ n: number }>('SELECT n FROM tally WHERE id = 1'))!;
              await new Promise((resolve) => setTimeout(resolve, 1));
              await tx.run('UPDATE tally SET n = ? WHERE id = 1', [n + 1]);
            })
          : i % 3 === 1
            ? db.batch([{ sql: 'UPDATE tally SET n = n + 1 WHERE id = 1' }])
            : db.run('UPDATE tally SET n = n + 1 WHERE id = 1'),
      ),
    );
    return {
      failures: results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
      n: (await db.get<{ n: number }>('SELECT n FROM tally WHERE id = 1'))!.n,
    };
  }

  test('transactions, batches and statements issued at once all succeed, on sqld and on a local file', async () => {
    const remote = openDatabase({ url: sqld.url });
    const local = openDatabase({ url: ':memory:' });
    try {
      assert.deepEqual(await concurrently(remote), { failures: [], n: 60 }, 'remote');
      assert.deepEqual(await concurrently(local), { failures: [], n: 60 }, 'local');
    } finally {
      await remote.close();
      await local.close();
    }
  });

  test('the same calls give the same results on a local file and on sqld', async () => {
    const local = openDatabase({ url: ':memory:' });
    const remote = openDatabase({ url: sqld.url });
    try {
      const [l, r] = [await scenario(local), await scenario(remote)];
      assert.deepEqual(r, l);
    } finally {
      await local.close();
      await remote.close();
    }
  });
});

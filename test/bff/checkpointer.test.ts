import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { localFilePath, startCheckpointer } from '../../bff/db/checkpointer.ts';
import { openDatabase } from '../../bff/db/client.ts';

const dir = mkdtempSync(join(tmpdir(), 'bhm-checkpointer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const until = async (condition: () => boolean | Promise<boolean>, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('WAL checkpoints run off the event loop', () => {
  it('the worker moves committed frames into the database file; the main connection leaves them to it', async () => {
    const path = join(dir, 'a.db');
    const db = openDatabase({ url: `file:${path}` });
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    const checkpointer = await startCheckpointer(db, path, { intervalMs: 20 });
    const fileBefore = statSync(path).size;
    // ~2,000 pages: past SQLite's default threshold (1,000), below the fallback (10,000).
    for (let batch = 0; batch < 20; batch++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 100; i++) await tx.run('INSERT INTO t (body) VALUES (?)', ['x'.repeat(4000)]);
      });
    }
    const threshold = await db.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint');
    assert.equal(threshold?.wal_autocheckpoint, 10_000, 'the main connection checkpoints only as a fallback');
    await until(() => checkpointer.stats().frames > 0);
    await until(() => statSync(path).size > fileBefore + 4_000_000);
    // Everything committed is in the file: a PASSIVE checkpoint from here finds nothing left to move.
    await until(async () => {
      const state = await db.get<{ log: number; checkpointed: number }>('PRAGMA wal_checkpoint(PASSIVE)');
      return state!.log === state!.checkpointed;
    });
    await checkpointer.stop();
    assert.equal((await db.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))?.wal_autocheckpoint, 1_000, 'stopped: SQLite default again');
    assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 2_000);
    await db.close();
  });

  it('readers and the writer go on while the worker checkpoints', async () => {
    const path = join(dir, 'b.db');
    const db = openDatabase({ url: `file:${path}` });
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
    const checkpointer = await startCheckpointer(db, path, { intervalMs: 1 });
    for (let i = 0; i < 300; i++) {
      await db.run('INSERT INTO t (body) VALUES (?)', ['y'.repeat(4000)]);
      assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, i + 1);
    }
    await checkpointer.stop();
    await db.close();
  });

  it('only a local file has a WAL of ours to checkpoint', () => {
    assert.equal(localFilePath('file:data/bhm.db'), 'data/bhm.db');
    assert.equal(localFilePath('file:///tmp/x.db?mode=rwc'), '/tmp/x.db');
    assert.equal(localFilePath(':memory:'), null);
    assert.equal(localFilePath('http://127.0.0.1:8080'), null);
    assert.equal(localFilePath('libsql://db.example.com'), null);
  });
});

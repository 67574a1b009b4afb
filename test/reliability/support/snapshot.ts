/**
 * What a database holds, for "nothing was stored half-way" assertions: the row
 * count of every table and a digest of every row, so a rejected request can be
 * shown to have changed nothing at all.
 */
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '../../../bff/db/client.ts';

export interface Snapshot {
  counts: Record<string, number>;
  digest: string;
}

let tables: string[] | undefined;

export async function snapshot(db: SqlExecutor): Promise<Snapshot> {
  tables ??= (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' ORDER BY name")).map((r) => r.name);
  const counts: Record<string, number> = {};
  const hash = createHash('sha1');
  for (const table of tables) {
    const rows = await db.all(`SELECT * FROM "${table}" ORDER BY rowid`);
    counts[table] = rows.length;
    hash.update(table).update(JSON.stringify(rows, (_key, value) => (typeof value === 'bigint' ? String(value) : value)));
  }
  return { counts, digest: hash.digest('hex') };
}

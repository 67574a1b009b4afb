/**
 * Applies drizzle-kit's generated migrations (bff/db/migrations) on start. Each
 * migration runs in its own write transaction that first checks whether it was
 * applied, so several instances starting at once apply it exactly once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

const folder = fileURLToPath(new URL('./migrations/', import.meta.url));

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** Applies pending migrations; returns the tags it applied. */
export async function migrate(db: Database): Promise<string[]> {
  await db.run('CREATE TABLE IF NOT EXISTS __migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const journal = JSON.parse(readFileSync(`${folder}meta/_journal.json`, 'utf8')) as Journal;
  const applied: string[] = [];
  for (const { tag } of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
    const statements = readFileSync(`${folder}${tag}.sql`, 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean);
    await db.transaction(async (tx) => {
      if (await tx.get('SELECT tag FROM __migrations WHERE tag = ?', [tag])) return;
      for (const statement of statements) await tx.run(statement);
      await tx.run('INSERT INTO __migrations (tag, applied_at) VALUES (?, ?)', [tag, Date.now()]);
      applied.push(tag);
    });
  }
  return applied;
}

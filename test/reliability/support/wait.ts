/**
 * Waiting on other processes: poll until a condition holds (a process's state, a
 * database row, a stand-in's inbox), and look into a database file directly.
 */
import { openDatabase, type Database } from '../../../bff/db/client.ts';
import type { TempDatabase } from './bff-process.ts';

/** Polls `probe` every 50 ms until it returns something truthy; throws after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T> | T, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `work` on a connection of its own to the database file (assertions, claim expiry). */
export async function withDatabase<T>(database: TempDatabase, work: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase({ url: database.url });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The first column of the first row of `sql`, as a number. */
export const countIn = (database: TempDatabase, sql: string) =>
  withDatabase(database, async (db) => Number(Object.values((await db.get<Record<string, number>>(sql)) ?? { n: 0 })[0]));

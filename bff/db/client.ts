/**
 * The entry to the database: `openDatabase` picks the access path from the URL, and
 * the port's types are re-exported so services import one module.
 * - local `file:` / `:memory:` databases use the `libsql` driver (local.ts: synchronous
 *   native calls, a cache of prepared statements: 2–3× faster than `@libsql/client`);
 * - `libsql://`, `http(s)://`, `ws(s)://` URLs use `@libsql/client` against a libSQL
 *   server (remote.ts: sqld, Turso) for scale-out, retrying as retry.ts decides;
 * - `openReplicated` (replicated.ts) adds an embedded replica for reads to the latter.
 */
import { openLocal } from './local.ts';
import { openRemote } from './remote.ts';
import type { Database, DatabaseOptions, SqlExecutor } from './port.ts';

export type { Database, DatabaseOptions, ReplicaState, SqlExecutor, SqlStatement, SqlValue } from './port.ts';
export { openReplicated, REPLICA_MAX_LAG_MS, REPLICA_SYNC_INTERVAL_MS, type ReplicaOptions } from './replicated.ts';
export { DEFAULT_REMOTE_TIMEOUT_MS } from './remote.ts';
export { isRetryableRemoteError } from './retry.ts';

/**
 * Where reads that must see every instance's newest rows go: the primary of a
 * replicated database, otherwise the database itself.
 */
export function primaryOf<T extends SqlExecutor>(db: T): T | Database {
  return (db as Partial<Database>).primary ?? db;
}

/** Opens the database named by `url` (`file:…`, `:memory:`, or a libSQL server URL). */
export function openDatabase(options: DatabaseOptions): Database {
  const url = options.url;
  if (url === ':memory:' || url.startsWith('file:')) return openLocal(url);
  return openRemote(options);
}

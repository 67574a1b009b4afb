/**
 * Scale-out reads: the primary is a libSQL server (remote.ts); each instance keeps an
 * embedded replica file of it (local.ts `openReplicaFile`) and serves plain reads
 * (`all`/`get` outside a transaction) from there. Everything else — `run`,
 * `transaction` (so claims, leases, evaluation), `batch`, `exec` — goes to the primary.
 *
 * Guarantees (docs/scale-out.md):
 * - read-your-writes per instance: after this instance wrote, reads go to the primary
 *   until a sync that *started after* that write completed has succeeded (a write
 *   epoch against a synced epoch), so a request that wrote reads its own writes;
 * - bounded staleness: the replica is synced every `syncIntervalMs` (1 s); its lag is
 *   the time since the start of the last successful sync, and past `maxLagMs` (10 s)
 *   reads go to the primary (and /readyz answers 503) until a sync succeeds again.
 * Writes by other instances show up here within one sync interval.
 */
import { log } from '../log.ts';
import { openReplicaFile } from './local.ts';
import type { Database, DatabaseOptions, ReplicaState, SqlExecutor, SqlValue } from './port.ts';
import { openRemote } from './remote.ts';

export const REPLICA_SYNC_INTERVAL_MS = 1000;
export const REPLICA_MAX_LAG_MS = 10_000;

export interface ReplicaOptions {
  /** Path of the replica file (created on first sync; one per instance). */
  path: string;
  syncIntervalMs?: number;
  maxLagMs?: number;
  /** Server to sync from; default the primary's URL (tests point it elsewhere). */
  syncUrl?: string;
  clock?: () => number;
}

export function openReplicated(options: DatabaseOptions, replicaOptions: ReplicaOptions): Database {
  const clock = replicaOptions.clock ?? Date.now;
  const syncIntervalMs = replicaOptions.syncIntervalMs ?? REPLICA_SYNC_INTERVAL_MS;
  const maxLagMs = replicaOptions.maxLagMs ?? REPLICA_MAX_LAG_MS;
  const primary = openRemote(options);
  const replica = openReplicaFile(replicaOptions.path, replicaOptions.syncUrl ?? options.url, options.authToken);

  // Epochs: `written` counts completed writes of this instance; `synced` is the value
  // `written` had when the last successful sync started (that sync holds those writes).
  let written = 0;
  // A write still in flight is owed to nobody yet; once it settles `written` passes
  // every sync that started before, so no extra in-flight count is needed.
  let synced = -1; // nothing synced yet: every read goes to the primary
  const openedAt = clock();
  let syncedFrom: number | null = null; // start time of the last successful sync

  const lagMs = () => Math.max(0, clock() - (syncedFrom ?? openedAt));
  const fresh = () => synced >= written && syncedFrom !== null && lagMs() <= maxLagMs;
  const served = { replica: 0, primary: 0 };
  const state: ReplicaState = { lagMs, maxLagMs, readsReplica: fresh, reads: () => ({ ...served }) };

  let failures = 0;
  const syncOnce = async () => {
    const epoch = written;
    const startedAt = clock();
    try {
      await replica.sync();
      if (epoch > synced) synced = epoch;
      syncedFrom = startedAt;
      if (failures > 0) log.info('replica sync recovered', { failures });
      failures = 0;
    } catch (error) {
      // Logged on the first failure and then every 30th (one per ~30 s), not once a second.
      if (failures++ % 30 === 0) log.warn('replica sync failed; reads go to the primary past the lag bound', { error: String(error), lagMs: lagMs() });
    }
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | null = null;
  const loop = () => {
    if (stopped) return;
    const startedAt = clock();
    syncing = syncOnce().finally(() => {
      syncing = null;
      if (stopped) return;
      // At most one sync per interval, never two at once.
      timer = setTimeout(loop, Math.max(0, syncIntervalMs - (clock() - startedAt)));
      timer.unref();
    });
  };
  loop();

  // A write counts once it has settled (committed, failed or unknown): only a sync
  // that starts afterwards can hold it.
  const tracked = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } finally {
      written++;
    }
  };

  const readFrom = (): SqlExecutor => {
    if (fresh()) {
      served.replica++;
      return replica.db;
    }
    served.primary++;
    return primary;
  };

  return {
    mode: 'remote',
    primary,
    replica: state,
    all<T>(sql: string, args?: readonly SqlValue[]) {
      return readFrom().all<T>(sql, args);
    },
    get<T>(sql: string, args?: readonly SqlValue[]) {
      return readFrom().get<T>(sql, args);
    },
    run(sql, args) {
      return tracked(() => primary.run(sql, args));
    },
    async transaction(work) {
      // A transaction that only read (an empty evaluation drain, every 250 ms) is no
      // write: counting it would keep every read on the primary.
      let wrote = false;
      try {
        return await primary.transaction((tx) =>
          work({
            all: (sql, args) => tx.all(sql, args),
            get: (sql, args) => tx.get(sql, args),
            run: (sql, args) => {
              wrote = true;
              return tx.run(sql, args);
            },
          }),
        );
      } finally {
        if (wrote) written++;
      }
    },
    batch(statements) {
      return tracked(() => primary.batch(statements));
    },
    exec(script) {
      return tracked(() => primary.exec(script));
    },
    async close() {
      stopped = true;
      clearTimeout(timer);
      await syncing;
      await replica.db.close();
      await primary.close();
    },
  };
}

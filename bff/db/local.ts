/**
 * The local access path: a `file:` or `:memory:` database through the embedded
 * `libsql` driver. One connection per process, synchronous native calls, a cache of
 * prepared statements, rows read as arrays and turned into objects here.
 */
import { createRequire } from 'node:module';
import type { Database, SqlExecutor, SqlValue } from './port.ts';

type LocalDatabase = import('libsql').Database;
type LocalStatement = import('libsql').Statement<unknown[]>;
const require = createRequire(import.meta.url);

/** Prepared statements kept per connection before the cache starts over. */
const STATEMENT_CACHE_LIMIT = 2000;

/**
 * A function that turns a row array into an object keyed by `names`, built as one
 * object literal so every row of a statement shares a shape (a later duplicate name
 * wins, as with the driver's own objects). Names come from the SQL text, never from input.
 */
function objectMapper(names: readonly string[]): (row: unknown[]) => Record<string, unknown> {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`).join(', ');
  return new Function('row', `return { ${fields} };`) as (row: unknown[]) => Record<string, unknown>;
}

/** Opens `file:…` (WAL, synchronous NORMAL) or `:memory:` on the embedded driver. */
export function openLocal(url: string): Database {
  const Libsql = require('libsql') as new (path: string, options?: object) => LocalDatabase;
  const path = url === ':memory:' ? ':memory:' : url.replace(/^file:(\/\/)?/, '').split('?')[0]!;
  const native = new Libsql(path);
  if (path !== ':memory:') {
    native.exec('PRAGMA journal_mode = WAL');
    native.exec('PRAGMA synchronous = NORMAL');
  }
  native.exec('PRAGMA busy_timeout = 10000');
  native.exec('PRAGMA foreign_keys = OFF');
  return localPort(native);
}

/** An embedded replica file: read on the fast local path, refreshed from the server by `sync`. */
export interface ReplicaFile {
  /** Reads only: the replica's writes would not reach the primary. */
  db: Database;
  /** Pulls the server's new WAL frames; runs off the event loop. */
  sync(): Promise<{ frame_no: number | null }>;
}

/** Opens (or creates) the embedded replica at `path` of the libSQL server `syncUrl`. */
export function openReplicaFile(path: string, syncUrl: string, authToken?: string): ReplicaFile {
  const Libsql = require('libsql') as new (path: string, options?: object) => LocalDatabase & { db: unknown };
  // No syncPeriod: replicated.ts syncs itself, to know when a sync started and ended.
  const native = new Libsql(path, { syncUrl, authToken: authToken ?? '' });
  // No PRAGMAs: a replica connection refuses them (Sqlite3UnsupportedStatement).
  // The default `sync()` blocks the event loop for the whole network round trip (3 s
  // when the server is down); the promise flavour's runs on the driver's own threads
  // over the same native handle.
  const asyncSync = (require('libsql/promise') as { prototype: { sync(this: { db: unknown }): Promise<{ frame_no: number | null }> } }).prototype.sync;
  // libsql 0.5.29 on a replica: a reused prepared statement answers every later call with
  // the rows of its first arguments (measured), so replica statements are prepared per call.
  return { db: localPort(native, false), sync: () => asyncSync.call({ db: native.db }) };
}

function localPort(native: LocalDatabase, reuseStatements = true): Database {
  const statements = new Map<string, LocalStatement>();
  // Rows are read as arrays and turned into objects here: the driver builds an object
  // through one native call per column, which made it ~35 % of a read of 500 device rows.
  const rowMappers = new WeakMap<LocalStatement, (row: unknown[]) => Record<string, unknown>>();
  const toObjects = (statement: LocalStatement, rows: unknown[][]) => {
    let mapper = rowMappers.get(statement);
    if (!mapper) {
      mapper = objectMapper(statement.columns().map((column) => column.name));
      rowMappers.set(statement, mapper);
    }
    return rows.map(mapper);
  };
  // `Statement.reader` is a native call; it never changes for a prepared statement, so
  // it is asked once (a sweep runs tens of thousands of small writes).
  const readers = new WeakMap<LocalStatement, boolean>();
  const isReader = (statement: LocalStatement) => readers.get(statement) ?? false;
  const prepare = (sql: string) => {
    let statement = reuseStatements ? statements.get(sql) : undefined;
    if (!statement) {
      statement = native.prepare(sql) as LocalStatement;
      const reader = statement.reader;
      readers.set(statement, reader);
      if (reader) statement.raw(true);
      if (statements.size > STATEMENT_CACHE_LIMIT) statements.clear();
      if (reuseStatements) statements.set(sql, statement);
    }
    return statement;
  };

  // Direct executors: run immediately on the single connection. Inside a transaction
  // they are the transaction's executor (the connection is the transaction's).
  const direct: SqlExecutor = {
    async all<T>(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      return toObjects(statement, statement.all(...args) as unknown[][]) as T[];
    },
    async get<T>(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      // The driver's `get` steps once and resets the statement: one native call, where `all` takes three.
      const row = statement.get(...args) as unknown[] | undefined;
      return row === undefined ? undefined : (toObjects(statement, [row])[0] as T);
    },
    async run(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      if (isReader(statement)) {
        statement.all(...args);
        return { changes: 0 };
      }
      return { changes: Number(statement.run(...args).changes) };
    },
  };

  // One connection: while a transaction is open, every other statement waits.
  let lock: Promise<void> = Promise.resolve();
  let locked = false;
  // Callers wait with `while (locked) await lock;` written inline: the check and
  // what follows it (taking the lock, running a statement) must happen in the same
  // microtask. Behind an extra async hop, two waiters woken by one release would
  // both see the lock free and open nested transactions.
  const guarded = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      while (locked) await lock;
      return fn(...args);
    };

  return {
    mode: 'local',
    all: guarded(direct.all) as SqlExecutor['all'],
    get: guarded(direct.get) as SqlExecutor['get'],
    run: guarded(direct.run),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      while (locked) await lock;
      let release!: () => void;
      locked = true;
      lock = new Promise<void>((resolve) => (release = resolve));
      try {
        native.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          native.exec('COMMIT');
          return result;
        } catch (error) {
          if (native.inTransaction) native.exec('ROLLBACK');
          throw error;
        }
      } finally {
        locked = false;
        release();
      }
    },
    async batch(statements) {
      while (locked) await lock;
      native.transaction(() => {
        for (const { sql, args = [] } of statements) prepare(sql).run(...args);
      }).immediate();
    },
    async exec(script) {
      while (locked) await lock;
      native.exec(script);
    },
    async close() {
      while (locked) await lock;
      native.close();
    },
  };
}

/**
 * The database port. Two access paths behind one interface:
 * - local `file:` / `:memory:` databases use the `libsql` driver (synchronous native
 *   calls, a cache of prepared statements: 2–3× faster than `@libsql/client`);
 * - `libsql://`, `http(s)://`, `ws(s)://` URLs use `@libsql/client` against a libSQL
 *   server (sqld, Turso) for scale-out.
 * Services speak plain SQL through this port; `orm` is drizzle over the same
 * connection for code that reads better with the query builder.
 */
import { createRequire } from 'node:module';
import { createClient, type Client, type InArgs, type ResultSet, type Transaction as RemoteTransaction } from '@libsql/client';
import { drizzle, type SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';
import * as schema from './schema.ts';

type LocalDatabase = import('libsql').Database;
type LocalStatement = import('libsql').Statement<unknown[]>;
const require = createRequire(import.meta.url);

export type SqlValue = string | number | bigint | null | Uint8Array;
export interface SqlStatement {
  sql: string;
  args?: readonly SqlValue[];
}
export type Orm = SqliteRemoteDatabase<typeof schema>;

/** What a statement can run on: the database itself or an open transaction. */
export interface SqlExecutor {
  all<T = Record<string, unknown>>(sql: string, args?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, args?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, args?: readonly SqlValue[]): Promise<{ changes: number }>;
  readonly orm: Orm;
}

export interface Database extends SqlExecutor {
  readonly mode: 'local' | 'remote';
  /**
   * Runs `work` in one write transaction (BEGIN IMMEDIATE locally): all or nothing.
   * Locally, transactions of one process are serialized and other statements wait,
   * because they share one connection.
   */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs the statements atomically, in order. */
  batch(statements: readonly SqlStatement[]): Promise<void>;
  /** Executes a script of several statements (migrations). */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  url: string;
  authToken?: string;
  /**
   * Remote only: how long one HTTP request to the server may take (default 30 s). A
   * wedged server then fails the statement instead of holding the request, sweep or
   * dispatcher forever. Not retried: a write may have executed.
   */
  timeoutMs?: number;
}

export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;

/** Opens the database named by `url` (`file:…`, `:memory:`, or a libSQL server URL). */
export function openDatabase(options: DatabaseOptions): Database {
  const url = options.url;
  if (url === ':memory:' || url.startsWith('file:')) return openLocal(url);
  return openRemote(options);
}

function ormOver(executor: (sql: string, args: unknown[], method: string) => Promise<{ rows: unknown[] }>): Orm {
  return drizzle(async (sql, params, method) => executor(sql, params, method), { schema });
}

// ------------------------------------------------------------------ local

/**
 * A function that turns a row array into an object keyed by `names`, built as one
 * object literal so every row of a statement shares a shape (a later duplicate name
 * wins, as with the driver's own objects). Names come from the SQL text, never from input.
 */
function objectMapper(names: readonly string[]): (row: unknown[]) => Record<string, unknown> {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: row[${i}]`).join(', ');
  return new Function('row', `return { ${fields} };`) as (row: unknown[]) => Record<string, unknown>;
}

function openLocal(url: string): Database {
  const Libsql = require('libsql') as new (path: string, options?: object) => LocalDatabase;
  const path = url === ':memory:' ? ':memory:' : url.replace(/^file:(\/\/)?/, '').split('?')[0]!;
  const native = new Libsql(path);
  if (path !== ':memory:') {
    native.exec('PRAGMA journal_mode = WAL');
    native.exec('PRAGMA synchronous = NORMAL');
  }
  native.exec('PRAGMA busy_timeout = 10000');
  native.exec('PRAGMA foreign_keys = OFF');

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
    let statement = statements.get(sql);
    if (!statement) {
      statement = native.prepare(sql) as LocalStatement;
      const reader = statement.reader;
      readers.set(statement, reader);
      if (reader) statement.raw(true);
      if (statements.size > 2000) statements.clear();
      statements.set(sql, statement);
    }
    return statement;
  };

  // Direct executors: run immediately on the single connection.
  const direct: Omit<SqlExecutor, 'orm'> = {
    async all<T>(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      return toObjects(statement, statement.all(...args) as unknown[][]) as T[];
    },
    async get<T>(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(sql);
      const [row] = statement.all(...args) as unknown[][];
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
  // drizzle's proxy reads rows as arrays; for `get`, undefined means "no row".
  const ormExecute = async (sql: string, args: unknown[], method: string) => {
    const statement = prepare(sql);
    if (method === 'run' || !isReader(statement)) {
      statement.run(...args);
      return { rows: [] };
    }
    const rows = statement.all(...args) as unknown[][];
    return { rows: method === 'get' ? (rows[0] as unknown[]) : rows };
  };
  const directOrm = ormOver(ormExecute);
  const txExecutor: SqlExecutor = { ...direct, orm: directOrm };

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
    orm: ormOver(async (sql, args, method) => {
      while (locked) await lock;
      return ormExecute(sql, args, method);
    }),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      while (locked) await lock;
      let release!: () => void;
      locked = true;
      lock = new Promise<void>((resolve) => (release = resolve));
      try {
        native.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(txExecutor);
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

// ------------------------------------------------------------------ remote
//
// Measured against sqld 0.24 (test/scale/remote-db.test.ts):
// - sqld serializes writers itself: BEGIN IMMEDIATE waits for the write lock (no
//   SQLITE_BUSY), and a transaction that holds the lock for more than ~5 s while
//   another writer waits is rolled back by the server (TRANSACTION_TIMEOUT): keep
//   remote transactions short.
// - Overload answers HTTP 429 (more than 128 concurrent connections/requests by
//   default) before executing anything: such a statement, batch or BEGIN is retried
//   with backoff. So are SQLITE_BUSY/LOCKED answers (not seen from sqld, but Turso and
//   other servers may send them). Nothing that may have executed is retried.
// - Each open interactive transaction holds a server connection while it waits for
//   the lock, so an instance keeps at most REMOTE_TRANSACTION_SLOTS open and queues the
//   rest locally (writers are serialized by the server anyway).

const REMOTE_TRANSACTION_SLOTS = 8;
const RETRY_ATTEMPTS = 12;

/** sqld refused the whole request (overloaded): nothing was executed. */
const isRefusedRequest = (error: unknown) => /HTTP status (429|503)\b/.test(String((error as Error | null)?.message ?? ''));

/** An answer meaning "nothing was executed, try again later". */
export function isRetryableRemoteError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const code = String(e.code ?? '');
  const message = String(e.message ?? '');
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database is locked|SQLITE_BUSY/i.test(message)) return true;
  return isRefusedRequest(error);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Exponential backoff with full jitter: up to 10 ms, 20, 40 … capped at 1 s (at most ≈ 5 s over all attempts). */
const backoff = (attempt: number) => Math.random() * Math.min(1000, 10 * 2 ** attempt);

async function retrying<T>(operation: () => Promise<T>, retryable: (error: unknown) => boolean = isRetryableRemoteError): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt + 1 >= RETRY_ATTEMPTS || !retryable(error)) throw error;
      await sleep(backoff(attempt));
    }
  }
}

function plainRows<T>(result: { columns: string[]; rows: ArrayLike<unknown>[] }): T[] {
  const { columns } = result;
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) object[columns[i]!] = row[i];
    return object as T;
  });
}

type Execute = (sql: string, args?: readonly SqlValue[]) => Promise<ResultSet>;

function remoteExecutor(execute: Execute): SqlExecutor {
  return {
    async all<T>(sql: string, args?: readonly SqlValue[]) {
      return plainRows<T>(await execute(sql, args));
    },
    async get<T>(sql: string, args?: readonly SqlValue[]) {
      return plainRows<T>(await execute(sql, args))[0];
    },
    async run(sql: string, args?: readonly SqlValue[]) {
      return { changes: (await execute(sql, args)).rowsAffected };
    },
    orm: ormOver(async (sql, args, method) => {
      const result = await execute(sql, args as SqlValue[]);
      const rows = result.rows.map((row) => Array.from(row as ArrayLike<unknown>));
      // drizzle's proxy maps a `get` row that is present; `undefined` means "no row".
      return { rows: method === 'get' ? (rows[0] as unknown[]) : rows };
    }),
  };
}

/** A counting semaphore: at most `slots` holders at once, the rest wait in order. */
function semaphore(slots: number) {
  let free = slots;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<() => void> {
      if (free > 0) free--;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const next = waiting.shift();
        if (next) next();
        else free++;
      };
    },
  };
}

/**
 * One interactive write transaction over HTTP. BEGIN IMMEDIATE is sent lazily with the
 * first statement (one round trip); when that BEGIN is refused as retryable (the
 * client then closes the transaction: nothing ran), a fresh transaction is opened and
 * the same first statement is sent again, so `work` never sees the refusal. Later
 * statements wait until the transaction has started.
 */
function remoteTransaction(client: Client) {
  let tx: RemoteTransaction | undefined;
  let starting: Promise<ResultSet> | undefined;

  const start = async (sql: string, args: readonly SqlValue[]): Promise<ResultSet> => {
    for (let attempt = 0; ; attempt++) {
      let candidate: RemoteTransaction;
      try {
        candidate = await client.transaction('write');
      } catch (error) {
        if (attempt + 1 >= RETRY_ATTEMPTS || !isRetryableRemoteError(error)) throw error;
        await sleep(backoff(attempt));
        continue;
      }
      try {
        const result = await candidate.execute({ sql, args: args as InArgs });
        tx = candidate;
        return result;
      } catch (error) {
        if (candidate.closed && attempt + 1 < RETRY_ATTEMPTS && isRetryableRemoteError(error)) {
          await sleep(backoff(attempt));
          continue;
        }
        // Either the BEGIN failed for good (closed) or the statement itself failed
        // inside a started transaction, which `work` may catch and continue.
        tx = candidate;
        throw error;
      }
    }
  };

  const execute: Execute = async (sql, args = []) => {
    if (tx) return tx.execute({ sql, args: args as InArgs });
    if (!starting) return (starting = start(sql, args));
    await starting.catch(() => undefined);
    if (!tx) throw new Error('The transaction could not be started');
    return (tx as RemoteTransaction).execute({ sql, args: args as InArgs });
  };

  return {
    executor: remoteExecutor(execute),
    async settle() {
      await starting?.catch(() => undefined);
    },
    async commit() {
      await this.settle();
      if (tx && !tx.closed) await tx.commit();
    },
    async rollback() {
      await this.settle();
      if (tx && !tx.closed) await tx.rollback().catch(() => undefined);
    },
    close() {
      tx?.close();
    },
  };
}

function openRemote(options: DatabaseOptions): Database {
  const timeoutMs = options.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS;
  const client = createClient({
    url: options.url,
    authToken: options.authToken,
    intMode: 'number',
    // The HTTP client hands fetch a Request; the time limit is added to each one.
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });
  const executor = remoteExecutor((sql, args = []) => retrying(() => client.execute({ sql, args: args as InArgs })));
  const slots = semaphore(REMOTE_TRANSACTION_SLOTS);
  return {
    mode: 'remote',
    ...executor,
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const release = await slots.acquire();
      const tx = remoteTransaction(client);
      try {
        const result = await work(tx.executor);
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback();
        throw error;
      } finally {
        tx.close();
        release();
      }
    },
    async batch(statements) {
      if (statements.length === 0) return;
      const stmts = statements.map(({ sql, args = [] }) => ({ sql, args: args as InArgs }));
      await retrying(() => client.batch(stmts, 'write'));
    },
    async exec(script) {
      // A 429/503 refuses the whole request; a busy answer could come after part of the
      // script ran, so only the former is retried.
      await retrying(() => client.executeMultiple(script), isRefusedRequest);
    },
    async close() {
      client.close();
    },
  };
}

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
import { createClient, type Client, type InArgs, type Transaction as RemoteTransaction } from '@libsql/client';
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
}

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

  const objects = new Map<string, LocalStatement>();
  const arrays = new Map<string, LocalStatement>();
  const prepare = (cache: Map<string, LocalStatement>, sql: string, raw: boolean) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = native.prepare(sql) as LocalStatement;
      if (raw && statement.reader) statement.raw(true);
      if (cache.size > 2000) cache.clear();
      cache.set(sql, statement);
    }
    return statement;
  };

  // Direct executors: run immediately on the single connection.
  const direct: Omit<SqlExecutor, 'orm'> = {
    async all<T>(sql: string, args: readonly SqlValue[] = []) {
      return prepare(objects, sql, false).all(...args) as T[];
    },
    async get<T>(sql: string, args: readonly SqlValue[] = []) {
      return prepare(objects, sql, false).all(...args)[0] as T | undefined;
    },
    async run(sql: string, args: readonly SqlValue[] = []) {
      const statement = prepare(objects, sql, false);
      if (statement.reader) {
        statement.all(...args);
        return { changes: 0 };
      }
      return { changes: Number(statement.run(...args).changes) };
    },
  };
  const directOrm = ormOver(async (sql, args, method) => {
    const statement = prepare(arrays, sql, true);
    if (method === 'run' || !statement.reader) {
      statement.run(...args);
      return { rows: [] };
    }
    const rows = statement.all(...args) as unknown[][];
    return { rows: method === 'get' ? (rows[0] as unknown[]) ?? [] : rows };
  });
  const txExecutor: SqlExecutor = { ...direct, orm: directOrm };

  // One connection: while a transaction is open, every other statement waits.
  let lock: Promise<void> = Promise.resolve();
  let locked = false;
  const whenFree = async () => {
    while (locked) await lock;
  };
  const guarded = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (locked) await whenFree();
      return fn(...args);
    };

  return {
    mode: 'local',
    all: guarded(direct.all) as SqlExecutor['all'],
    get: guarded(direct.get) as SqlExecutor['get'],
    run: guarded(direct.run),
    orm: ormOver(async (sql, args, method) => {
      if (locked) await whenFree();
      const statement = prepare(arrays, sql, true);
      if (method === 'run' || !statement.reader) {
        statement.run(...args);
        return { rows: [] };
      }
      const rows = statement.all(...args) as unknown[][];
      return { rows: method === 'get' ? (rows[0] as unknown[]) ?? [] : rows };
    }),
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      await whenFree();
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
      await whenFree();
      native.transaction(() => {
        for (const { sql, args = [] } of statements) prepare(objects, sql, false).run(...args);
      }).immediate();
    },
    async exec(script) {
      await whenFree();
      native.exec(script);
    },
    async close() {
      await whenFree();
      native.close();
    },
  };
}

// ------------------------------------------------------------------ remote

function plainRows<T>(result: { columns: string[]; rows: ArrayLike<unknown>[] }): T[] {
  const { columns } = result;
  return result.rows.map((row) => {
    const object: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) object[columns[i]!] = row[i];
    return object as T;
  });
}

function remoteExecutor(target: Client | RemoteTransaction): SqlExecutor {
  const execute = (sql: string, args: readonly SqlValue[] = []) => target.execute({ sql, args: args as InArgs });
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
      return { rows: method === 'get' ? rows[0] ?? [] : rows };
    }),
  };
}

function openRemote(options: DatabaseOptions): Database {
  const client = createClient({ url: options.url, authToken: options.authToken, intMode: 'number' });
  const executor = remoteExecutor(client);
  return {
    mode: 'remote',
    ...executor,
    async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const tx = await client.transaction('write');
      try {
        const result = await work(remoteExecutor(tx));
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback().catch(() => undefined);
        throw error;
      } finally {
        tx.close();
      }
    },
    async batch(statements) {
      await client.batch(statements.map(({ sql, args = [] }) => ({ sql, args: args as InArgs })), 'write');
    },
    async exec(script) {
      await client.executeMultiple(script);
    },
    async close() {
      client.close();
    },
  };
}

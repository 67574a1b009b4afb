/**
 * The remote access path: a libSQL server (sqld, Turso) through `@libsql/client` over
 * HTTP, for several BFF instances sharing one database.
 *
 * Measured against sqld 0.24 (test/scale/remote-db.test.ts):
 * - sqld serializes writers itself: BEGIN IMMEDIATE waits for the write lock (no
 *   SQLITE_BUSY), and a transaction that holds the lock for more than ~5 s while
 *   another writer waits is rolled back by the server (TRANSACTION_TIMEOUT): keep
 *   remote transactions short.
 * - Overload answers HTTP 429 before executing anything; retry.ts says what is retried.
 * - Each open interactive transaction holds a server connection while it waits for
 *   the lock, so an instance keeps at most REMOTE_TRANSACTION_SLOTS open and queues the
 *   rest locally (writers are serialized by the server anyway).
 */
import { createClient, type Client, type InArgs, type ResultSet, type Transaction as RemoteTransaction } from '@libsql/client';
import type { Database, DatabaseOptions, SqlExecutor, SqlValue } from './port.ts';
import { isRefusedRequest, isRetryableRemoteError, retrying } from './retry.ts';

/** How long one HTTP request to the server may take unless `timeoutMs` says otherwise. */
export const DEFAULT_REMOTE_TIMEOUT_MS = 30_000;
const REMOTE_TRANSACTION_SLOTS = 8;

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

/** A statement waiting to go out with the BEGIN. */
interface Opening {
  sql: string;
  args: readonly SqlValue[];
  resolve(result: ResultSet): void;
  reject(error: unknown): void;
}

/**
 * One interactive write transaction over HTTP. BEGIN IMMEDIATE is sent lazily with the
 * first statement, in one batch with every statement issued in the same turn (e.g.
 * under `Promise.all`): one round trip for all of them while the write lock is held.
 * The batch runs each statement only if the one before succeeded; when one fails, all
 * of its batch fail with that error (the transaction is then rolled back by `work`'s
 * throw). When the BEGIN is refused as retryable (the client then closes the
 * transaction: nothing ran), a fresh transaction is opened and the same statements
 * are sent again, so `work` never sees the refusal. Statements issued later wait until
 * the transaction has started. (The HTTP client speaks Hrana 2, which cannot pipeline
 * a statement behind a BEGIN in flight: hence one batch.)
 */
function remoteTransaction(client: Client) {
  let tx: RemoteTransaction | undefined;
  let gathering: Opening[] | undefined;
  let starting: Promise<void> | undefined;

  // Once `tx` is set the transaction has started (or failed for good) and nothing is
  // retried: a statement itself failed inside it, which `work` may catch and continue.
  const open = (group: readonly Opening[]): Promise<void> =>
    retrying(
      async (): Promise<{ results: ResultSet[] } | { error: unknown }> => {
        const candidate = await client.transaction('write');
        try {
          const results = await candidate.batch(group.map(({ sql, args }) => ({ sql, args: args as InArgs })));
          tx = candidate;
          return { results };
        } catch (error) {
          if (candidate.closed && isRetryableRemoteError(error)) throw error;
          tx = candidate;
          return { error };
        }
      },
      (error) => !tx && isRetryableRemoteError(error),
    ).then(
      (outcome) => {
        if ('results' in outcome) group.forEach((statement, i) => statement.resolve(outcome.results[i]!));
        else group.forEach((statement) => statement.reject(outcome.error));
      },
      (error) => group.forEach((statement) => statement.reject(error)),
    );

  const execute: Execute = (sql, args = []) => {
    if (tx) return tx.execute({ sql, args: args as InArgs });
    if (gathering) return new Promise<ResultSet>((resolve, reject) => gathering!.push({ sql, args, resolve, reject }));
    if (starting) {
      return starting.then(() => {
        if (!tx) throw new Error('The transaction could not be started');
        return (tx as RemoteTransaction).execute({ sql, args: args as InArgs });
      });
    }
    const group: Opening[] = [];
    gathering = group;
    const first = new Promise<ResultSet>((resolve, reject) => group.push({ sql, args, resolve, reject }));
    // One microtask later: the statements issued in this turn have joined the group.
    starting = Promise.resolve().then(() => {
      gathering = undefined;
      return open(group);
    });
    return first;
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

/** Opens a libSQL server URL (`libsql://`, `http(s)://`, `ws(s)://`). */
export function openRemote(options: DatabaseOptions): Database {
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

/**
 * The database port: what services see of the database. Services speak plain SQL
 * through it; `openDatabase` (client.ts) picks the implementation from the URL —
 * local.ts for `file:`/`:memory:`, remote.ts for a libSQL server.
 */

export type SqlValue = string | number | bigint | null | Uint8Array;

export interface SqlStatement {
  sql: string;
  args?: readonly SqlValue[];
}

/** What a statement can run on: the database itself or an open transaction. */
export interface SqlExecutor {
  /** Every row, as plain objects keyed by column name. */
  all<T = Record<string, unknown>>(sql: string, args?: readonly SqlValue[]): Promise<T[]>;
  /** The first row, or undefined when there is none. */
  get<T = Record<string, unknown>>(sql: string, args?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; `changes` counts the rows it wrote (0 for a reader). */
  run(sql: string, args?: readonly SqlValue[]): Promise<{ changes: number }>;
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
  /**
   * Replicated only (replicated.ts): the primary itself, for reads that must see the
   * newest rows whoever wrote them (the change-feed tail, lease holders, the queue).
   * Writes go through the replicated database, which tracks them for read-your-writes.
   */
  readonly primary?: Database;
  /** Replicated only: the embedded replica's freshness. */
  readonly replica?: ReplicaState;
}

/** How fresh an embedded replica is (replicated.ts). */
export interface ReplicaState {
  /** How stale replica reads may be now: time since the start of the last successful sync. */
  lagMs(): number;
  /** True when plain reads are served by the replica now (synced past this instance's writes, within the bound). */
  readsReplica(): boolean;
  /** The bound: past it reads go to the primary and /readyz answers 503. */
  readonly maxLagMs: number;
  /** Plain reads served so far, by copy (`bhm_replica_reads_total`): how much the replica takes. */
  reads(): { replica: number; primary: number };
}

export interface DatabaseOptions {
  /** `file:…`, `:memory:`, or a libSQL server URL (`libsql://`, `http(s)://`, `ws(s)://`). */
  url: string;
  /** Remote only: the server's auth token. */
  authToken?: string;
  /**
   * Remote only: how long one HTTP request to the server may take (default 30 s). A
   * wedged server then fails the statement instead of holding the request, sweep or
   * dispatcher forever. Not retried: a write may have executed.
   */
  timeoutMs?: number;
}

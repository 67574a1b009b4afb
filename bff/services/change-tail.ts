/**
 * Tails the `changes` table for `GET /stream`. One poller per app instance reads new
 * rows (whichever instance wrote them) while anyone is subscribed and fans them out
 * to the subscribers of their tenant (and client, for client-scoped tokens). Each
 * subscriber writes through its own queue, so a slow browser never holds up the
 * poller or the others.
 *
 * A resume (Last-Event-ID) reads only the caller's scope, in SQL, a page at a time,
 * each page written before the next is read. A subscriber too far behind — more than
 * `maxBacklog` changes to replay or queued, or resuming after changes already pruned —
 * gets one `reset` event carrying the current position instead: it refetches its data
 * and resumes from there (docs/limits.md).
 */
import type { SqlExecutor } from '../db/client.ts';
import { resolveDeviceChanges, type ChangeRow } from './change-refs.ts';

/** One row of the change feed. `payload` is the event's JSON text, sent as is. */
export interface Change {
  id: number;
  tenantId: string;
  clientId: string | null;
  event: string;
  payload: string;
}

export interface StreamFilter {
  tenantId: string;
  /** A client-scoped token receives only this client's changes. */
  clientId: string | null;
}

/** Where a subscription writes (an SSE stream in production, anything in tests). */
export interface ChangeSink {
  change(change: Change): Promise<unknown>;
  comment(text: string): Promise<unknown>;
  /** Several changes in one write (a page of a replay); without it they are written one by one. */
  batch?(changes: readonly Change[]): Promise<unknown>;
  /**
   * The subscriber missed changes it cannot get back: reload, then resume after
   * `position`. A sink without it is closed instead.
   */
  reset?(position: number, reason: ResetReason): Promise<unknown>;
}

/** Why a subscriber is reset: too many changes to catch up on, or they were pruned. */
export type ResetReason = 'behind' | 'pruned';

export interface Subscription {
  /** Resolves when the subscription ended (closed, shut down, slow consumer, token expiry). */
  readonly closed: Promise<void>;
  close(): void;
}

export interface ChangeTailOptions {
  /** Pause between polls while someone is subscribed. */
  pollMs?: number;
  /** Comment line interval that keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** Changes a subscriber may fall behind by (to replay, or queued) before it gets a `reset` instead. */
  maxBacklog?: number;
  /** Changes read per page of a replay. */
  replayPage?: number;
  /** The app clock: device items show their schedule and maintenance as of the read (default: the wall clock, for a tail built outside an app). */
  clock?: () => number;
}

const BATCH = 1000;
const SELECT_NEW = 'SELECT id, tenant_id, client_id, event, payload FROM changes WHERE id > ? ORDER BY id LIMIT 1000';
const SELECT_MAX = 'SELECT COALESCE(MAX(id), 0) AS id FROM changes';
const SELECT_MIN = 'SELECT MIN(id) AS id FROM changes';
// The scope is in SQL (indexes changes_tenant / changes_tenant_client, migration 8):
// a client-scoped replay never reads the rest of its tenant's changes.
const TENANT_SCOPE = 'tenant_id = ? AND id > ? AND id <= ?';
const CLIENT_SCOPE = 'tenant_id = ? AND client_id = ? AND id > ? AND id <= ?';
const replaySql = (scope: string) => `SELECT id, tenant_id, client_id, event, payload FROM changes WHERE ${scope} ORDER BY id LIMIT ?`;
const countSql = (scope: string) => `SELECT COUNT(*) AS n FROM (SELECT 1 FROM changes WHERE ${scope} LIMIT ?)`;
const REPLAY = { tenant: replaySql(TENANT_SCOPE), client: replaySql(CLIENT_SCOPE) };
const COUNT = { tenant: countSql(TENANT_SCOPE), client: countSql(CLIENT_SCOPE) };
const PRUNE = 'DELETE FROM changes WHERE at < ?';

const toChange = (row: ChangeRow): Change => ({ id: row.id, tenantId: row.tenant_id, clientId: row.client_id, event: row.event, payload: row.payload });

const matches = (filter: StreamFilter, change: Change) =>
  change.tenantId === filter.tenantId && (filter.clientId === null || change.clientId === filter.clientId);

class Subscriber implements Subscription {
  readonly closed: Promise<void>;
  /** Live changes held back while the Last-Event-ID replay is written; null once live. */
  private held: Change[] | null = [];
  /** The held changes overflowed: the subscriber gets a reset when it goes live. */
  private heldOverflow = false;
  private chain: Promise<unknown> = Promise.resolve();
  /** Writes queued and not yet done (skipped ones included until they pass). */
  private backlog = 0;
  /** Bumped by a reset: queued writes of an older generation are skipped. */
  private generation = 0;
  /** A reset is queued and not yet written: falling behind again means the consumer does not read. */
  private resetPending = false;
  /** The newest change id this subscriber has been given (where a reset resumes). */
  position = 0;
  private ended = false;
  private end!: () => void;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly filter: StreamFilter,
    private readonly sink: ChangeSink,
    private readonly maxBacklog: number,
    private readonly onClose: (subscriber: Subscriber) => void,
  ) {
    this.closed = new Promise((resolve) => (this.end = resolve));
  }

  get isClosed(): boolean {
    return this.ended;
  }

  startTimers(heartbeatMs: number, until: number | null, now: number): void {
    this.timers.push(setInterval(() => this.enqueue(() => this.sink.comment('heartbeat')), heartbeatMs));
    if (until !== null) this.timers.push(setTimeout(() => this.close(), Math.max(0, until - now)));
  }

  /** Called by the poller for every new change of the subscriber's scope. */
  push(change: Change): void {
    this.position = Math.max(this.position, change.id);
    if (!this.held) return this.enqueue(() => this.sink.change(change));
    if (this.held.length < this.maxBacklog) this.held.push(change);
    else {
      this.held = [];
      this.heldOverflow = true;
    }
  }

  /** A page of replayed changes, written in order before the held live ones (one write when the sink can). */
  replayed(page: readonly Change[]): void {
    if (page.length === 0) return;
    const many = this.sink.batch?.bind(this.sink);
    if (many) this.enqueue(() => many(page));
    else for (const change of page) this.enqueue(() => this.sink.change(change));
  }

  /** Resolves when every queued write is done (or the subscription ended). */
  drained(): Promise<unknown> {
    return Promise.race([this.chain, this.closed]);
  }

  /** Writes what arrived during the replay (after `last`, the replay's end), then goes live. */
  goLive(last: number): void {
    const held = this.held ?? [];
    this.held = null;
    if (this.heldOverflow) return this.reset('behind');
    for (const change of held) if (change.id > last) this.enqueue(() => this.sink.change(change));
  }

  /** Queues a write; `keep` writes (the `connected` line) are never skipped by a reset. */
  enqueue(write: () => Promise<unknown>, keep = false): void {
    if (this.ended) return;
    if (this.backlog >= this.maxBacklog) return this.reset('behind');
    this.append(write, keep);
  }

  /**
   * Skips every queued write and sends one `reset` at the current position. A
   * subscriber that falls behind again before that reset is written does not read
   * at all: it is closed.
   */
  reset(reason: ResetReason): void {
    if (this.ended) return;
    const reset = this.sink.reset?.bind(this.sink);
    if (!reset || this.resetPending) return this.close();
    this.generation += 1;
    this.resetPending = true;
    const position = this.position;
    this.append(async () => {
      await reset(position, reason);
      this.resetPending = false;
    });
  }

  private append(write: () => Promise<unknown>, keep = false): void {
    this.backlog += 1;
    const generation = this.generation;
    this.chain = this.chain
      .then(() => (this.ended || (!keep && generation !== this.generation) ? undefined : write()))
      .catch(() => this.close())
      .finally(() => (this.backlog -= 1));
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.onClose(this);
    this.end();
  }
}

export class ChangeTail {
  private readonly subscribers = new Set<Subscriber>();
  private readonly pollMs: number;
  private readonly heartbeatMs: number;
  private readonly maxBacklog: number;
  private readonly replayPage: number;
  /** Highest change id read; set from MAX(id) when the first subscriber arrives. */
  private cursor = 0;
  private started: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private waiters: ((change: Change) => void)[] = [];
  /** The last replay page queued (pages of all replays run one per event-loop turn). */
  private pageTurn: Promise<unknown> = Promise.resolve();
  private readonly clock: () => number;

  constructor(
    private readonly db: SqlExecutor,
    options: ChangeTailOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    this.pollMs = options.pollMs ?? 250;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxBacklog = options.maxBacklog ?? 5_000;
    this.replayPage = options.replayPage ?? 100;
  }

  /** How many streams are open on this instance. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Subscribes `sink` to the changes of `filter`. With `lastEventId`, changes after it
   * still in the table are written first (the SSE resume), or a `reset` when there are
   * more than `maxBacklog` of them or some were pruned. The first comment line
   * ("connected") is written once the subscription is live, so a client knows that
   * every later change reaches it. `until` (epoch ms) ends the stream then.
   */
  async subscribe(filter: StreamFilter, sink: ChangeSink, options: { lastEventId?: number | null; until?: number | null; now?: number } = {}): Promise<Subscription> {
    if (this.stopped) throw new Error('The change stream is shut down.');
    await (this.started ??= this.start());
    const subscriber = new Subscriber(filter, sink, this.maxBacklog, (closed) => this.unsubscribe(closed));
    this.subscribers.add(subscriber);
    subscriber.startTimers(this.heartbeatMs, options.until ?? null, options.now ?? this.clock());
    subscriber.enqueue(() => sink.comment('connected'), true);
    const upTo = this.cursor;
    subscriber.position = upTo;
    try {
      if (options.lastEventId != null && options.lastEventId < upTo) await this.replay(subscriber, options.lastEventId, upTo);
    } catch (error) {
      subscriber.close();
      throw error;
    }
    subscriber.goLive(upTo);
    this.schedule();
    return subscriber;
  }

  /** Resolves with the next change this instance fans out (tests await it instead of sleeping). */
  nextDelivery(): Promise<Change> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Reads new changes now instead of at the next tick. */
  async pollNow(): Promise<void> {
    if (!this.started) return;
    await this.started;
    await (this.polling ??= this.readNew().finally(() => (this.polling = null)));
  }

  /** Deletes changes older than `olderThan` (epoch ms); the table only serves reconnects. */
  async prune(olderThan: number): Promise<number> {
    return (await this.db.run(PRUNE, [olderThan])).changes;
  }

  /** Ends every stream and stops polling (shutdown). */
  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }

  private async start(): Promise<void> {
    const row = await this.db.get<{ id: number }>(SELECT_MAX);
    this.cursor = Math.max(this.cursor, row?.id ?? 0);
  }

  /**
   * Writes the scope's changes in (after, upTo], a page at a time: each page is
   * written (the socket took it) before the next is read. More than `maxBacklog` of
   * them, or a gap left by pruning, is a reset instead.
   */
  private async replay(subscriber: Subscriber, after: number, upTo: number): Promise<void> {
    const { tenantId, clientId } = subscriber.filter;
    const shape = clientId === null ? 'tenant' : 'client';
    const scope = clientId === null ? [tenantId] : [tenantId, clientId];
    const verdict = await this.inTurn(async () => {
      const oldest = (await this.db.get<{ id: number | null }>(SELECT_MIN))?.id ?? null;
      if (oldest !== null && oldest > after + 1) return 'pruned';
      const behind = (await this.db.get<{ n: number }>(COUNT[shape], [...scope, after, upTo, this.maxBacklog + 1]))?.n ?? 0;
      return Number(behind) > this.maxBacklog ? 'behind' : null;
    });
    if (verdict) return subscriber.reset(verdict);
    let from = after;
    while (!subscriber.isClosed) {
      const read = await this.inTurn(async () => {
        const rows = await this.db.all<ChangeRow>(REPLAY[shape], [...scope, from, upTo, this.replayPage]);
        // A device reference takes its device's current client: one that moved away is not replayed.
        const page = (await resolveDeviceChanges(this.db, rows, this.clock())).map(toChange).filter((change) => matches(subscriber.filter, change));
        subscriber.replayed(page);
        return { count: rows.length, last: rows[rows.length - 1]?.id ?? from };
      });
      if (read.count < this.replayPage) return;
      from = read.last;
      // The page reached the socket before the next is read.
      await subscriber.drained();
    }
  }

  /**
   * Runs one step of a replay (its count, or one page) after the steps queued before
   * it, then lets a turn of the event loop pass: fifty replays read one page per turn
   * between them, never fifty pages in one turn while every other request waits.
   */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = this.pageTurn.then(work);
    this.pageTurn = run.then(
      () => new Promise((resolve) => setImmediate(resolve)),
      () => new Promise((resolve) => setImmediate(resolve)),
    );
    return run;
  }

  private unsubscribe(subscriber: Subscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size > 0) return;
    // Nobody listens: stop polling; the next first subscriber starts from the newest change.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.started = null;
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.subscribers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pollNow()
        .catch(() => undefined) // a failed read is retried at the next tick
        .finally(() => this.schedule());
    }, this.pollMs);
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const rows = await this.db.all<ChangeRow>(SELECT_NEW, [this.cursor]);
      if (rows.length === 0) return;
      const resolved = await resolveDeviceChanges(this.db, rows, this.clock());
      // Fan-out and cursor move together, with no await between: a subscriber that
      // arrives meanwhile either receives these rows or replays them.
      for (const row of resolved) this.fanOut(toChange(row));
      // Never backwards: a first subscriber may have started from MAX(id) meanwhile.
      this.cursor = Math.max(this.cursor, rows[rows.length - 1]!.id);
      if (rows.length < BATCH) return;
    }
  }

  private fanOut(change: Change): void {
    for (const subscriber of this.subscribers) if (matches(subscriber.filter, change)) subscriber.push(change);
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(change);
  }
}

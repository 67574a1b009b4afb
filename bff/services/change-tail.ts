/**
 * Tails the `changes` table for `GET /stream`. One poller per app instance reads new
 * rows (whichever instance wrote them) while anyone is subscribed and fans them out
 * to the subscribers of their tenant (and client, for client-scoped tokens). Each
 * subscriber writes through its own queue, so a slow browser never holds up the
 * poller or the others.
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
}

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
  /** Undelivered changes a subscriber may fall behind by before it is dropped (it reconnects with Last-Event-ID). */
  maxBacklog?: number;
  /** The app clock: device items show their maintenance as of the read. */
  clock?: () => number;
}

const BATCH = 1000;
const SELECT_NEW = 'SELECT id, tenant_id, client_id, event, payload FROM changes WHERE id > ? ORDER BY id LIMIT 1000';
const SELECT_REPLAY = 'SELECT id, tenant_id, client_id, event, payload FROM changes WHERE id > ? AND id <= ? AND tenant_id = ? ORDER BY id LIMIT 1000';
const SELECT_MAX = 'SELECT COALESCE(MAX(id), 0) AS id FROM changes';
const PRUNE = 'DELETE FROM changes WHERE at < ?';

const toChange = (row: ChangeRow): Change => ({ id: row.id, tenantId: row.tenant_id, clientId: row.client_id, event: row.event, payload: row.payload });

const matches = (filter: StreamFilter, change: Change) =>
  change.tenantId === filter.tenantId && (filter.clientId === null || change.clientId === filter.clientId);

class Subscriber implements Subscription {
  readonly closed: Promise<void>;
  /** Live changes held back while the Last-Event-ID replay is written. */
  private held: Change[] | null = [];
  private chain: Promise<unknown> = Promise.resolve();
  private backlog = 0;
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

  startTimers(heartbeatMs: number, until: number | null, now: number): void {
    this.timers.push(setInterval(() => this.enqueue(() => this.sink.comment('heartbeat')), heartbeatMs));
    if (until !== null) this.timers.push(setTimeout(() => this.close(), Math.max(0, until - now)));
  }

  /** Called by the poller for every new change of the subscriber's scope. */
  push(change: Change): void {
    if (this.held) this.held.push(change);
    else this.enqueue(() => this.sink.change(change));
  }

  /** Writes the replayed changes, then what arrived meanwhile, then goes live. */
  finishReplay(replayed: readonly Change[]): void {
    const held = this.held ?? [];
    this.held = null;
    const last = replayed.length ? replayed[replayed.length - 1]!.id : 0;
    for (const change of replayed) this.enqueue(() => this.sink.change(change));
    for (const change of held) if (change.id > last) this.enqueue(() => this.sink.change(change));
  }

  enqueue(write: () => Promise<unknown>): void {
    if (this.ended) return;
    if (++this.backlog > this.maxBacklog) return this.close();
    this.chain = this.chain
      .then(() => (this.ended ? undefined : write()))
      .catch(() => this.close())
      .finally(() => this.backlog--);
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
  /** Highest change id read; set from MAX(id) when the first subscriber arrives. */
  private cursor = 0;
  private started: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private stopped = false;
  private waiters: ((change: Change) => void)[] = [];
  private readonly clock: (() => number) | undefined;

  constructor(
    private readonly db: SqlExecutor,
    options: ChangeTailOptions = {},
  ) {
    this.clock = options.clock;
    this.pollMs = options.pollMs ?? 250;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.maxBacklog = options.maxBacklog ?? 5_000;
  }

  /** How many streams are open on this instance. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * Subscribes `sink` to the changes of `filter`. With `lastEventId`, changes after it
   * still in the table are written first (the SSE resume). The first comment line
   * ("connected") is written once the subscription is live, so a client knows that
   * every later change reaches it. `until` (epoch ms) ends the stream then.
   */
  async subscribe(filter: StreamFilter, sink: ChangeSink, options: { lastEventId?: number | null; until?: number | null; now?: number } = {}): Promise<Subscription> {
    if (this.stopped) throw new Error('The change stream is shut down.');
    await (this.started ??= this.start());
    const subscriber = new Subscriber(filter, sink, this.maxBacklog, (closed) => this.unsubscribe(closed));
    this.subscribers.add(subscriber);
    subscriber.startTimers(this.heartbeatMs, options.until ?? null, options.now ?? Date.now());
    subscriber.enqueue(() => sink.comment('connected'));
    const upTo = this.cursor;
    const replayed = options.lastEventId != null && options.lastEventId < upTo ? await this.replay(filter, options.lastEventId, upTo) : [];
    subscriber.finishReplay(replayed);
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

  private async replay(filter: StreamFilter, after: number, upTo: number): Promise<Change[]> {
    const replayed: Change[] = [];
    let from = after;
    for (;;) {
      const rows = await this.db.all<ChangeRow>(SELECT_REPLAY, [from, upTo, filter.tenantId]);
      for (const row of await resolveDeviceChanges(this.db, rows, this.clock?.())) {
        const change = toChange(row);
        if (matches(filter, change)) replayed.push(change);
      }
      if (rows.length < BATCH) return replayed;
      from = rows[rows.length - 1]!.id;
    }
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
      const resolved = await resolveDeviceChanges(this.db, rows, this.clock?.());
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

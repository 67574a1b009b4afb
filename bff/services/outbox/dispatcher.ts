/**
 * The outbox dispatcher: claims due items with a conditional UPDATE (so several BFF
 * instances never deliver the same item at the same time), hands each to its
 * channel's handler and records the outcome: delivered, a retry with backoff, or
 * failed. A claim lasts 30 s; an instance that dies mid-delivery leaves a claim that
 * expires, and another instance delivers the item again (the receiver deduplicates
 * by Idempotency-Key).
 */
import type { Database } from '../../db/client.ts';
import { log } from '../../log.ts';
import { DeliveryError, MAX_ATTEMPTS, retryDelay, type ChannelHandler, type DeliveryOutcome } from './delivery.ts';
import type { OutboxChannel, OutboxItem } from './outbox.ts';

/** How long a claim protects an item from other instances. */
export const CLAIM_MS = 30_000;
/** Items claimed per round; a run makes at most MAX_ROUNDS rounds. */
const BATCH = 25;
const MAX_ROUNDS = 20;
/** Stop claiming more when a run has taken this long in real time (claims must not expire mid-run). */
const RUN_BUDGET_MS = 15_000;

export interface DispatchSummary {
  delivered: number;
  retried: number;
  failed: number;
  waiting: number;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  channel: OutboxChannel;
  kind: string;
  dedup_key: string;
  payload: string;
  attempts: number;
  created_at: number;
}

// A read first: most runs find nothing due, and a read takes no write lock.
const ANY_DUE_SQL = `SELECT 1 AS due FROM outbox
  WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?) LIMIT 1`;
const CLAIM_SQL = `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_until = ?
  WHERE id IN (
    SELECT id FROM outbox
    WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?)
    ORDER BY next_attempt_at, id LIMIT ?)
  AND ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_until < ?))
  RETURNING id, tenant_id, channel, kind, dedup_key, payload, attempts, created_at`;
const DELIVERED_SQL = `UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, response = ?,
  claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?`;
const ATTEMPT_FAILED_SQL = `UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
  claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?`;
const RELEASE_SQL = `UPDATE outbox SET status = 'pending', next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL
  WHERE id = ? AND claimed_by = ?`;

export interface DispatcherOptions {
  db: Database;
  instanceId: string;
  handlers: Partial<Record<OutboxChannel, ChannelHandler>>;
  /** Per-request time limit; default 10 s. */
  timeoutMs?: number;
  /** Jitter source (tests pin it). */
  random?: () => number;
}

/** `last_error` holds `{at, message}` as JSON, so the status can say when it happened. */
const errorRecord = (at: number, message: string) => JSON.stringify({ at, message: message.slice(0, 1000) });

export class OutboxDispatcher {
  /** Per-request time limit (ms). Tests shorten it. */
  timeoutMs: number;
  random: () => number;
  private readonly db: Database;
  private readonly instanceId: string;
  private readonly handlers: Partial<Record<OutboxChannel, ChannelHandler>>;

  constructor(options: DispatcherOptions) {
    this.db = options.db;
    this.instanceId = options.instanceId;
    this.handlers = options.handlers;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * Delivers every item due at `now` (pending with next_attempt_at ≤ now, or claimed
   * by an instance whose claim expired). Items of one receiver (tenant + channel) go
   * in creation order; when the receiver fails transiently, its remaining items wait
   * for the same retry time instead of each running into the same outage.
   */
  async dispatchDue(now: number): Promise<DispatchSummary> {
    const summary: DispatchSummary = { delivered: 0, retried: 0, failed: 0, waiting: 0 };
    const started = performance.now();
    for (let round = 0; round < MAX_ROUNDS && performance.now() - started < RUN_BUDGET_MS; round++) {
      if (!(await this.db.get(ANY_DUE_SQL, [now, now]))) break;
      const claimed = await this.db.all<ClaimedRow>(CLAIM_SQL, [this.instanceId, now + CLAIM_MS, now, now, BATCH, now, now]);
      if (claimed.length === 0) break;
      const groups = new Map<string, ClaimedRow[]>();
      for (const row of claimed.sort((a, b) => (a.id < b.id ? -1 : 1))) {
        const key = `${row.tenant_id}\u0000${row.channel}`;
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      await Promise.all([...groups.values()].map((rows) => this.deliverGroup(rows, now, summary)));
      if (claimed.length < BATCH) break;
    }
    return summary;
  }

  private async deliverGroup(rows: ClaimedRow[], now: number, summary: DispatchSummary): Promise<void> {
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const outcome = await this.deliverOne(row, now);
      const next = await this.record(row, outcome, now);
      summary[outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'wait' ? 'waiting' : next === 'failed' ? 'failed' : 'retried'] += 1;
      if (outcome.kind === 'retry' && next !== 'failed') {
        // The receiver is in trouble: the rest of its items wait for the same moment.
        const retryAt = typeof next === 'number' ? next : now;
        for (const rest of rows.slice(index + 1)) await this.db.run(RELEASE_SQL, [retryAt, rest.id, this.instanceId]);
        summary.waiting += rows.length - index - 1;
        return;
      }
    }
  }

  private async deliverOne(row: ClaimedRow, now: number): Promise<DeliveryOutcome> {
    const handler = this.handlers[row.channel];
    if (!handler) return { kind: 'failed', error: `No handler for outbox channel "${row.channel}".` };
    const item: OutboxItem = {
      id: row.id,
      tenantId: row.tenant_id,
      channel: row.channel,
      kind: row.kind,
      dedupKey: row.dedup_key,
      payload: JSON.parse(row.payload),
      attempts: row.attempts,
      createdAt: row.created_at,
    };
    try {
      return await handler.deliver(item, { now, timeoutMs: this.timeoutMs });
    } catch (error) {
      if (error instanceof DeliveryError) return error.outcome;
      // A bug or an unexpected answer: retry (bounded by MAX_ATTEMPTS) rather than lose the item.
      log.error('outbox delivery threw', { id: row.id, channel: row.channel, error: String((error as Error)?.stack ?? error) });
      return { kind: 'retry', error: `Delivery failed unexpectedly: ${(error as Error)?.message ?? String(error)}` };
    }
  }

  /** Writes the outcome; returns the next attempt time, or 'failed' / 'done'. */
  private async record(row: ClaimedRow, outcome: DeliveryOutcome, now: number): Promise<number | 'failed' | 'done'> {
    switch (outcome.kind) {
      case 'delivered':
        await this.db.transaction(async (tx) => {
          await outcome.record?.(tx);
          await tx.run(DELIVERED_SQL, [now, outcome.response === undefined ? null : JSON.stringify(outcome.response), row.id, this.instanceId]);
        });
        return 'done';
      case 'wait':
        await this.db.run(RELEASE_SQL, [now + outcome.delayMs, row.id, this.instanceId]);
        return now + outcome.delayMs;
      case 'failed':
        await this.db.run(ATTEMPT_FAILED_SQL, ['failed', now, errorRecord(now, outcome.error), row.id, this.instanceId]);
        log.warn('outbox item failed', { id: row.id, channel: row.channel, tenantId: row.tenant_id, error: outcome.error });
        return 'failed';
      case 'retry': {
        const attempt = row.attempts + 1;
        if (attempt >= MAX_ATTEMPTS) {
          const error = `Gave up after ${attempt} attempts; last error: ${outcome.error}`;
          await this.db.run(ATTEMPT_FAILED_SQL, ['failed', now, errorRecord(now, error), row.id, this.instanceId]);
          log.warn('outbox item gave up', { id: row.id, channel: row.channel, tenantId: row.tenant_id, error: outcome.error });
          return 'failed';
        }
        const retryAt = now + (outcome.retryAfterMs ?? retryDelay(attempt, this.random));
        await this.db.run(ATTEMPT_FAILED_SQL, ['pending', retryAt, errorRecord(now, outcome.error), row.id, this.instanceId]);
        return retryAt;
      }
    }
  }
}

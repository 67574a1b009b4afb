/**
 * What a channel handler answers for one outbox item, and the retry schedule the
 * dispatcher applies to it.
 */
import type { SqlExecutor } from '../../db/client.ts';
import type { OutboxItem } from './outbox.ts';

export type DeliveryOutcome =
  /** Done. `record` runs in the transaction that marks the item delivered (e.g. store the ticket id). */
  | { kind: 'delivered'; response?: unknown; record?: (tx: SqlExecutor) => Promise<void> }
  /** A transient failure (network, timeout, 429, 5xx): try again later. */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** A permanent failure (any other 4xx, bad configuration): give up at once, keep the error visible. */
  | { kind: 'failed'; error: string }
  /** Not deliverable yet (e.g. a ticket resolve before its create): look again later, no attempt counted. */
  | { kind: 'wait'; reason: string; delayMs: number };

/**
 * Thrown by adapters (PSA, On-Call, mail) when a call did not succeed; the
 * dispatcher turns it into the outcome it carries.
 */
export class DeliveryError extends Error {
  constructor(readonly outcome: Extract<DeliveryOutcome, { kind: 'retry' | 'failed' }>) {
    super(outcome.error);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryContext {
  now: number;
  /** Per-request time limit (ms). */
  timeoutMs: number;
}

/** Delivers the items of one channel. */
export interface ChannelHandler {
  deliver(item: OutboxItem, context: DeliveryContext): Promise<DeliveryOutcome>;
}

/** First retry within ~10 s; the ceiling doubles per attempt up to 10 minutes. */
export const RETRY_BASE_MS = 10_000;
export const RETRY_CAP_MS = 10 * 60_000;
const RETRY_FLOOR_MS = 1_000;
/** A Retry-After longer than this is shortened to it. */
export const RETRY_AFTER_MAX_MS = 60 * 60_000;
/**
 * Attempts before an item is given up ('failed'): with the 10-minute cap that is
 * roughly 2½ hours of trying (up to ~5 h), enough to ride out a PSA maintenance window.
 */
export const MAX_ATTEMPTS = 30;

/**
 * Exponential backoff with full jitter: a random delay between 1 s and
 * min(cap, base × 2^(attempt − 1)), so many items failing together spread out.
 * `attempt` counts the failed attempts so far (1 after the first failure).
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(RETRY_FLOOR_MS + random() * (ceiling - RETRY_FLOOR_MS));
}

/**
 * A `Retry-After` header in ms from `now` (delta-seconds or an HTTP date), or
 * undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, RETRY_AFTER_MAX_MS);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), RETRY_AFTER_MAX_MS);
}

/**
 * Per-key token buckets for the ping path: a key may send `burst` pings at once and
 * `perSecond` on average. Kept in memory per instance (a fleet behind a balancer
 * shares the load), checked before any database work so that a flood costs nothing
 * but a map lookup. The map holds at most `maxKeys` buckets; the least recently used
 * go first, so random keys cannot grow it without bound.
 */
import type { Clock } from '../../context.ts';

export interface RateLimitOptions {
  /** Sustained pings per second per key. */
  perSecond: number;
  /** Pings a key may send at once. */
  burst: number;
  /** Buckets kept before the least recently used is dropped. */
  maxKeys: number;
}

/** 50 pings/s per key with bursts of 500: a tenant's whole fleet starting at 22:00 fits, a loop does not. */
export const DEFAULT_PING_RATE: RateLimitOptions = { perSecond: 50, burst: 500, maxKeys: 10_000 };

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RateLimitOptions = DEFAULT_PING_RATE,
  ) {}

  /** Like `take` but takes nothing: 0 when a token is free for `key`, else the seconds until one is. */
  peek(key: string): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const { perSecond, burst } = this.options;
    const tokens = Math.min(burst, bucket.tokens + (Math.max(0, this.clock() - bucket.at) / 1000) * perSecond);
    return tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - tokens) / perSecond));
  }

  /**
   * Takes one token for `key`: 0 when allowed, else the seconds until a token is free (for Retry-After).
   * O(1) and, for a known key, without allocation: the bucket is updated in place and
   * moved to the end of the map's order (the most recently used).
   */
  take(key: string): number {
    const now = this.clock();
    const { perSecond, burst, maxKeys } = this.options;
    let bucket = this.buckets.get(key);
    if (bucket) {
      // A clock that steps back refills nothing rather than draining the bucket.
      bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
      this.buckets.delete(key);
    } else {
      if (this.buckets.size >= maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
      bucket = { tokens: burst, at: now };
    }
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}

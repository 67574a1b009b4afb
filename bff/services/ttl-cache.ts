/**
 * A small per-process cache whose entries expire `ttlMs` after they were stored,
 * by the injected clock (tests step it; production passes `Date.now`). Used where
 * several instances share a database and a few seconds of staleness are accepted
 * in exchange for not reading the same row thousands of times per sweep.
 */
import type { Clock } from '../context.ts';

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly clock: Clock,
    /** How long an entry is served after it was stored (ms). */
    readonly ttlMs: number,
  ) {}

  /** The value stored under `key` less than `ttlMs` ago, else undefined. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until > this.clock()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Stores `value`, served until `ttlMs` from now. */
  set(key: string, value: V): void {
    this.entries.set(key, { value, until: this.clock() + this.ttlMs });
  }

  /** Forgets `key` at once (after a write on this instance). */
  delete(key: string): void {
    this.entries.delete(key);
  }
}

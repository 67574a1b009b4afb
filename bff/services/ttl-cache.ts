/**
 * A small per-process cache whose entries expire `ttlMs` after they were stored,
 * by the injected clock (tests step it; production passes `Date.now`). Used where
 * several instances share a database and a few seconds of staleness are accepted
 * in exchange for not reading the same row thousands of times per sweep.
 *
 * With `maxEntries` it is also bounded: the least recently used entry makes room for
 * a new one, so keys an outsider chooses (credentials) cannot grow it without end.
 */
import type { Clock } from '../context.ts';

export class TtlCache<V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly clock: Clock,
    /** How long an entry is served after it was stored (ms). */
    readonly ttlMs: number,
    /** Most entries held; the least recently used goes first. */
    readonly maxEntries = Infinity,
  ) {}

  /** The value stored under `key` less than `ttlMs` ago, else undefined. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.until <= this.clock()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`, served until `ttlMs` from now. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.clock() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets `key` at once (after a write on this instance). */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held (expired ones included until they are next read). */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * Counting admission for long-lived or heavy work: at most `limit` holders per key,
 * checked across several scopes at once (a stream counts against its token, its
 * tenant and the process). `admit` answers a release function, or the scope that is
 * full; nothing is waited for, the caller answers 429.
 */
export type Limits<S extends string> = Record<S, number>;

export class Admission<S extends string> {
  private readonly held = new Map<string, number>();

  constructor(readonly limits: Limits<S>) {}

  /** Takes one slot in each `scope → key`; answers the release, or the first full scope. */
  admit(keys: Record<S, string>): { release: () => void } | { full: S } {
    const scopes = Object.keys(this.limits) as S[];
    for (const scope of scopes) if (this.count(scope, keys[scope]) >= this.limits[scope]) return { full: scope };
    for (const scope of scopes) this.held.set(`${scope}\n${keys[scope]}`, this.count(scope, keys[scope]) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const scope of scopes) {
          const key = `${scope}\n${keys[scope]}`;
          const left = (this.held.get(key) ?? 1) - 1;
          // Empty entries are deleted: the map never outgrows what is held.
          if (left > 0) this.held.set(key, left);
          else this.held.delete(key);
        }
      },
    };
  }

  /** Slots held in `scope` under `key`. */
  count(scope: S, key: string): number {
    return this.held.get(`${scope}\n${key}`) ?? 0;
  }
}

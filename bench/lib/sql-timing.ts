/**
 * Per-statement timing of the product's database port: wraps `all/get/run` (and the
 * executor handed to transactions) and sums the time each distinct SQL text takes,
 * so a profile's "time inside libsql" can be pinned to statements.
 */
import type { Database, SqlExecutor } from '../../bff/db/client.ts';

export interface StatementCost {
  sql: string;
  calls: number;
  totalMs: number;
  meanUs: number;
}

export function instrument(db: Database): { db: Database; report(top?: number): StatementCost[]; reset(): void } {
  const costs = new Map<string, { calls: number; ms: number }>();
  const note = (sql: string, ms: number) => {
    const entry = costs.get(sql);
    if (entry) {
      entry.calls++;
      entry.ms += ms;
    } else costs.set(sql, { calls: 1, ms });
  };
  const wrap = <E extends SqlExecutor>(executor: E): E => {
    const timed =
      (name: 'all' | 'get' | 'run') =>
      async (sql: string, args?: readonly unknown[]) => {
        const t0 = performance.now();
        try {
          return await (executor[name] as (sql: string, args?: readonly unknown[]) => Promise<unknown>)(sql, args);
        } finally {
          note(sql, performance.now() - t0);
        }
      };
    return Object.assign(Object.create(executor), { all: timed('all'), get: timed('get'), run: timed('run') }) as E;
  };
  const wrapped = wrap(db);
  const instrumented: Database = Object.assign(wrapped, {
    transaction: <T>(work: (tx: SqlExecutor) => Promise<T>) => db.transaction((tx) => work(wrap(tx))),
    batch: db.batch.bind(db),
    exec: db.exec.bind(db),
    close: db.close.bind(db),
    mode: db.mode,
  });
  return {
    db: instrumented,
    report(top = 10) {
      return [...costs.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .slice(0, top)
        .map(([sql, { calls, ms }]) => ({ sql: sql.replace(/\s+/g, ' ').slice(0, 160), calls, totalMs: Math.round(ms), meanUs: Math.round((ms / calls) * 1000) }));
    },
    reset() {
      costs.clear();
    },
  };
}

export function formatStatements(costs: readonly StatementCost[], indent = '    '): string {
  return costs.map((c) => `${indent}${String(c.totalMs).padStart(6)} ms  ${String(c.calls).padStart(7)} calls  ${String(c.meanUs).padStart(7)} µs  ${c.sql}`).join('\n');
}

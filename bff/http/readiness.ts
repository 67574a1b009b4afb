/**
 * The lag figures of /readyz, read from the database so every instance reports the
 * same thing (only the lease holder sweeps): how late the periodic sweep is, how late
 * the outbox dispatcher is, and how long the oldest undelivered call has waited. An
 * On-Call monitor can page on these ("watch the watcher"); readiness itself stays
 * 200, because lag is shared by all instances and taking them out of a load balancer
 * would not help.
 */
import type { Clock } from '../context.ts';
import type { SqlExecutor } from '../db/client.ts';

/** A type, not an interface: readiness parts are plain records. */
export type LagReport = {
  lag: {
    sweep: {
      /** Active devices whose next check time has passed. */
      dueDevices: number;
      /** How long the most overdue check has waited (0 when none is due). */
      lagMs: number;
    };
    outbox: {
      /** Items due for delivery now (pending and due, or claimed by an instance whose claim expired). */
      due: number;
      /** How long the most overdue delivery attempt has waited: the dispatcher's lag. */
      lagMs: number;
      /** Age of the oldest item not yet delivered (a receiver outage shows here). */
      oldestUndeliveredAgeMs: number;
    };
  };
};

const SWEEP_SQL = 'SELECT COUNT(*) AS due, MIN(next_check_at) AS oldest FROM devices WHERE next_check_at <= ? AND retired_at IS NULL';
const OUTBOX_DUE_SQL = `SELECT COUNT(*) AS due, MIN(CASE WHEN status = 'pending' THEN next_attempt_at ELSE claimed_until END) AS oldest FROM outbox
  WHERE (status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND claimed_until < ?1)`;
const OUTBOX_OLDEST_SQL = "SELECT MIN(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')";

/** The `lag` part of /readyz (listed in `Services.readiness`). */
export function lagReadiness(db: SqlExecutor, clock: Clock): () => Promise<LagReport> {
  return async () => {
    const now = clock();
    const since = (at: number | null | undefined) => (typeof at === 'number' ? Math.max(0, now - at) : 0);
    const sweep = await db.get<{ due: number; oldest: number | null }>(SWEEP_SQL, [now]);
    const outbox = await db.get<{ due: number; oldest: number | null }>(OUTBOX_DUE_SQL, [now]);
    const undelivered = await db.get<{ oldest: number | null }>(OUTBOX_OLDEST_SQL);
    return {
      lag: {
        sweep: { dueDevices: Number(sweep?.due ?? 0), lagMs: since(sweep?.oldest) },
        outbox: { due: Number(outbox?.due ?? 0), lagMs: since(outbox?.oldest), oldestUndeliveredAgeMs: since(undelivered?.oldest) },
      },
    };
  };
}

/** Null when the database answers a trivial query, else why it did not. */
export async function databaseAnswers(db: SqlExecutor): Promise<string | null> {
  try {
    await db.get('SELECT 1 AS ok');
    return null;
  } catch (error) {
    return String(error);
  }
}

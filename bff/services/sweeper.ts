/**
 * The periodic sweep for time-driven conditions (missed, overdue, SLA breach): it
 * evaluates only the devices whose `next_check_at` has come, in chunks of one
 * transaction each, yielding to the event loop between chunks. A lease makes one
 * instance at a time sweep; the per-statement guards in the alert writes keep even
 * two concurrent sweeps from opening an alert twice.
 */
import type { Database } from '../db/client.ts';
import { log } from '../log.ts';
import { dueRowids, loadActivePage, loadDueRowsAt } from './device-rows.ts';
import { emptySummary, mergeSummary, type EvaluationSummary, type Evaluator } from './evaluator.ts';
import { releaseLease, takeLease } from './leases.ts';

export const SWEEP_LEASE = 'sweep';
/** Devices per transaction: small enough to keep other writers waiting only briefly. */
export const SWEEP_CHUNK = 500;
/** Due devices located per pass (their rowids: 8 bytes each). */
const SWEEP_PASS = 100_000;
const RETRY_LATER_MS = 5 * 60_000;
const POSTPONE_SQL = 'UPDATE devices SET next_check_at = ? WHERE tenant_id = ? AND id = ?';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** What /readyz shows about this instance's sweeps. */
export interface SweepStatus {
  lastRunAt: string | null;
  lastDurationMs: number | null;
  lastEvaluated: number;
  leaseHeld: boolean;
}

/** The sweep (all tenants, due devices), its lease, and POST /admin/evaluate's run over one tenant. */
export class Sweeper {
  private status: SweepStatus = { lastRunAt: null, lastDurationMs: null, lastEvaluated: 0, leaseHeld: false };

  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
    private readonly instanceId: string,
    /** How long a lease lasts without renewal: a dead holder is replaced after this. */
    private readonly leaseTtlMs: number,
  ) {}

  /** The background task's turn: sweep if this instance holds (or takes) the lease. Null when another instance holds it. */
  async runOnce(now: number): Promise<EvaluationSummary | null> {
    const held = await takeLease(this.db, SWEEP_LEASE, this.instanceId, this.leaseTtlMs, now);
    this.status.leaseHeld = held;
    if (!held) return null;
    const started = performance.now();
    const summary = await this.sweep(now);
    this.status = { lastRunAt: new Date(now).toISOString(), lastDurationMs: Math.round(performance.now() - started), lastEvaluated: summary.evaluated, leaseHeld: true };
    return summary;
  }

  /** Evaluates every active device (all tenants) whose next check is due at `now`. No lease: callers decide. */
  async sweep(now: number): Promise<EvaluationSummary> {
    const summary = emptySummary();
    for (;;) {
      const due = await dueRowids(this.db, now, SWEEP_PASS);
      const before = summary.evaluated;
      for (let start = 0; start < due.length; start += SWEEP_CHUNK) {
        const rowids = due.slice(start, start + SWEEP_CHUNK);
        // A chunk's findings count only once its transaction committed.
        const chunk = emptySummary();
        await this.db
          .transaction(async (tx) => {
            const rows = await loadDueRowsAt(tx, now, rowids);
            await this.evaluator.evaluateAcrossTenants(tx, rows, (row) => row.tenant_id, (group) => group.map((row) => ({ row })), now, { summary: chunk });
          })
          .then(() => mergeSummary(summary, chunk))
          .catch(async (error) => {
            log.error('sweep chunk failed; evaluating its devices one by one', { error: String(error?.stack ?? error) });
            await this.evaluateOneByOne(now, rowids, summary);
          });
        await nextTurn();
      }
      // A full pass that evaluated nothing would find the same rows again.
      if (due.length < SWEEP_PASS || summary.evaluated === before) break;
    }
    return summary;
  }

  /** POST /admin/evaluate: every active device of one tenant, due or not. */
  async evaluateTenant(tenantId: string, now: number): Promise<EvaluationSummary> {
    const summary = emptySummary();
    let afterId = '';
    for (;;) {
      const count = await this.db.transaction(async (tx) => {
        const rows = await loadActivePage(tx, tenantId, afterId, SWEEP_CHUNK);
        if (rows.length > 0) afterId = rows[rows.length - 1]!.id;
        await this.evaluator.evaluateDevices(tx, tenantId, rows.map((row) => ({ row })), now, { summary });
        return rows.length;
      });
      if (count < SWEEP_CHUNK) break;
      await nextTurn();
    }
    return summary;
  }

  /** Some devices of one tenant, due or not (settings that act at once), one transaction per chunk. */
  async evaluateSome(tenantId: string, deviceIds: readonly string[], now: number): Promise<EvaluationSummary> {
    const summary = emptySummary();
    for (let start = 0; start < deviceIds.length; start += SWEEP_CHUNK) {
      const chunk = deviceIds.slice(start, start + SWEEP_CHUNK);
      await this.db.transaction((tx) => this.evaluator.evaluateDevices(tx, tenantId, chunk, now, { summary }));
      await nextTurn();
    }
    return summary;
  }

  /** Gives the lease up at shutdown. */
  async release(): Promise<void> {
    await releaseLease(this.db, SWEEP_LEASE, this.instanceId);
  }

  readiness(): SweepStatus {
    return { ...this.status };
  }

  /**
   * A chunk failed (a device whose data core cannot evaluate, a listener error):
   * evaluate its devices singly so one bad device cannot stall the sweep; a device
   * that still fails is postponed and logged.
   */
  private async evaluateOneByOne(now: number, rowids: readonly number[], summary: EvaluationSummary): Promise<void> {
    const rows = await this.db.transaction((tx) => loadDueRowsAt(tx, now, rowids));
    for (const row of rows) {
      try {
        const single = await this.db.transaction((tx) => this.evaluator.evaluateDevices(tx, row.tenant_id, [{ row }], now));
        mergeSummary(summary, single);
      } catch (error) {
        log.error('device evaluation failed; postponed', { tenantId: row.tenant_id, deviceId: row.id, error: String((error as Error)?.stack ?? error) });
        await this.db.run(POSTPONE_SQL, [now + RETRY_LATER_MS, row.tenant_id, row.id]);
      }
    }
  }
}

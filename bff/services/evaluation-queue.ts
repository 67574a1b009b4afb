/**
 * The evaluation queue (issue #19): ingestion queues each device's new events with a
 * mark, in the transaction that stores them, and answers (services/pending-events.ts);
 * this drains the marks oldest first, folding and evaluating each device once for
 * all the events that reached it meanwhile. The marks are rows, so an instance
 * killed after its 202 loses nothing: any instance drains them when it starts. One
 * drain chunk selects its marks and evaluates them in one write transaction — the
 * evaluation takes the marks and their events off the queue — so two instances (or
 * two drains of one) never fold or evaluate a mark twice, and the alerts it causes
 * commit with the taking.
 */
import type { Clock } from '../context.ts';
import { primaryOf, type Database, type SqlExecutor } from '../db/client.ts';
import { log } from '../log.ts';
import { emptySummary, mergeSummary, type EvaluationSummary, type Evaluator } from './evaluator.ts';

/** Devices per drain transaction: the sweep's chunk, for the same reason (other writers wait briefly). */
export const DRAIN_CHUNK = 500;
/**
 * Under sustained ingest, drains start at most this often: the marks of every request
 * meanwhile join the next one, so a device pinged 50 times a second is evaluated ~10
 * times, not 50. A kick after a quiet spell drains at once; the lag grows by at most this.
 */
export const DRAIN_COALESCE_MS = 100;

const NEXT_SQL = 'SELECT tenant_id, device_id FROM evaluation_queue ORDER BY marked_at LIMIT ?';
const CLEAR_SQL = 'DELETE FROM evaluation_queue WHERE tenant_id = ? AND device_id IN (SELECT value FROM json_each(?))';
const ANY_SQL = 'SELECT 1 AS any FROM evaluation_queue LIMIT 1';
const PENDING_SQL = 'SELECT COUNT(*) AS pending, MIN(marked_at) AS oldest FROM evaluation_queue';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What /readyz and /metrics show of the queue (read from the database: the same on every instance). */
export interface QueueLag {
  /** Devices waiting for evaluation. */
  pendingDevices: number;
  /** How long the oldest waiting mark has waited (0 when none waits). */
  lagMs: number;
}

export class EvaluationQueue {
  private drainChain: Promise<unknown> = Promise.resolve();
  private wanted = false;
  private looping: Promise<void> | null = null;
  private stopped = false;
  private lastDrainAt = -Infinity;

  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
    private readonly clock: Clock,
    /** Drain on `kick()` right after a commit; off in tests that step a clock and drain themselves. */
    private readonly options: { autoDrain: boolean; onEvaluated?: (count: number) => void; coalesceMs?: number },
  ) {}

  /** Drops marks (and their queued events) of devices that cannot be evaluated. */
  static async clear(tx: SqlExecutor, tenantId: string, deviceIds: readonly string[]): Promise<void> {
    if (deviceIds.length > 0) await tx.run(CLEAR_SQL, [tenantId, JSON.stringify(deviceIds)]);
  }

  /** After a commit that marked devices: drain soon, coalescing the marks of requests that arrive meanwhile. */
  kick(): void {
    if (!this.options.autoDrain || this.stopped) return;
    this.wanted = true;
    this.looping ??= this.loop().finally(() => (this.looping = null));
  }

  /**
   * Evaluates every marked device (all tenants, any instance's marks) until none is
   * left, one transaction per chunk. Calls in one process run one after another.
   */
  drain(): Promise<EvaluationSummary> {
    const run = this.drainChain.then(() => this.drainAll());
    this.drainChain = run.catch(() => undefined);
    return run;
  }

  async lag(): Promise<QueueLag> {
    // The primary: a replica would show marks another instance already drained.
    const row = await primaryOf(this.db).get<{ pending: number; oldest: number | null }>(PENDING_SQL);
    const oldest = row?.oldest ?? null;
    return { pendingDevices: Number(row?.pending ?? 0), lagMs: oldest === null ? 0 : Math.max(0, this.clock() - Number(oldest)) };
  }

  /** Stops draining on kicks and waits for the drain in progress (shutdown). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.looping;
    await this.drainChain;
  }

  private async loop(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      // Let the request that kicked answer first; marks that commit meanwhile join this drain.
      await nextTurn();
      // Wall time, not the injected clock: this paces work, it decides nothing.
      const wait = this.lastDrainAt + (this.options.coalesceMs ?? DRAIN_COALESCE_MS) - performance.now();
      if (wait > 0) await sleep(wait);
      if (this.stopped) return;
      this.lastDrainAt = performance.now();
      await this.drain().catch((error) => log.error('evaluation drain failed', { error: String(error?.stack ?? error) }));
    }
  }

  private async drainAll(): Promise<EvaluationSummary> {
    const summary = emptySummary();
    // A read first: an empty queue (the usual case between bursts) takes no write lock.
    if (!(await primaryOf(this.db).get(ANY_SQL))) return summary;
    for (;;) {
      const drained = await this.drainChunk(summary);
      if (drained < DRAIN_CHUNK) return summary;
      await nextTurn();
    }
  }

  /** One chunk in one write transaction; a failing chunk is retried device by device so one bad device cannot stall the queue. */
  private async drainChunk(summary: EvaluationSummary): Promise<number> {
    const chunk = emptySummary();
    try {
      const drained = await this.db.transaction(async (tx) => {
        const marks = await tx.all<{ tenant_id: string; device_id: string }>(NEXT_SQL, [DRAIN_CHUNK]);
        const now = this.clock();
        // Takes the marks with their events (retired or deleted devices' too).
        await this.evaluator.evaluateAcrossTenants(tx, marks, (mark) => mark.tenant_id, (group) => group.map((mark) => mark.device_id), now, { summary: chunk });
        return marks.length;
      });
      mergeSummary(summary, chunk);
      this.options.onEvaluated?.(chunk.evaluated);
      return drained;
    } catch (error) {
      log.error('evaluation chunk failed; evaluating its devices one by one', { error: String((error as Error)?.stack ?? error) });
      return this.drainOneByOne(summary);
    }
  }

  private async drainOneByOne(summary: EvaluationSummary): Promise<number> {
    const marks = await primaryOf(this.db).all<{ tenant_id: string; device_id: string }>(NEXT_SQL, [DRAIN_CHUNK]);
    for (const mark of marks) {
      try {
        const single = await this.db.transaction((tx) => this.evaluator.evaluateDevices(tx, mark.tenant_id, [mark.device_id], this.clock()));
        mergeSummary(summary, single);
        this.options.onEvaluated?.(single.evaluated);
      } catch (error) {
        // A mark kept here would block the queue. Its events stay stored: a later rebuild
        // from history (a correction, a policy change) includes them; its next periodic check evaluates it.
        log.error('device evaluation failed; left to the sweep', { tenantId: mark.tenant_id, deviceId: mark.device_id, error: String((error as Error)?.stack ?? error) });
        await EvaluationQueue.clear(this.db, mark.tenant_id, [mark.device_id]);
      }
    }
    return marks.length;
  }
}

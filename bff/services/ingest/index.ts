/**
 * Ingestion: a validated batch of events is stored — whole or not at all — and each
 * affected device's share of it is queued for evaluation in the same transaction
 * (services/pending-events.ts); the answer does not wait for the fold into device
 * state, nor for the evaluation. A caller that needs read-your-writes
 * (`Prefer: wait=evaluated`) has its devices folded and evaluated in that
 * transaction instead, so the alerts they cause commit with the batch.
 */
import type { Database, SqlExecutor } from '../../db/client.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { LAST_CHECKIN_SQL } from '../../db/device-state.ts';
import { unprocessable } from '../../http/problem.ts';
import type { Evaluator } from '../evaluator.ts';
import type { EvaluationQueue } from '../evaluation-queue.ts';
import { queueEvents, type PendingEvent } from '../pending-events.ts';
import { historyEvent } from './fold.ts';
import { GroupCommit, type Submission } from './group-commit.ts';
import type { BatchErrors, IngestEvent, ParsedBatch } from './schema.ts';
import { storeEvents } from './store.ts';

export { parseEventBody, MAX_BATCH, type IngestEvent, type ParsedBatch } from './schema.ts';

/** The 202 answer. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  /** `done`: the devices were evaluated before the answer; `queued`: the evaluation queue does it. */
  evaluation: 'done' | 'queued';
}

export interface IngestOptions {
  /** Evaluate in the storing transaction (read-your-writes) instead of queueing. */
  wait?: boolean;
}

/** POST /events (and ping URLs, report mail) behind the route: store and queue (group-committed) — or store and evaluate in one transaction. */
export class Ingestor {
  /** Batches that do not wait for evaluation are stored together with those of the same turn. */
  private readonly group: GroupCommit;

  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
    private readonly queue: Pick<EvaluationQueue, 'kick'> | null = null,
    private readonly metrics: Pick<Metrics, 'countIngested'> | null = null,
  ) {
    this.group = new GroupCommit(db, this);
  }

  /**
   * Stores the batch's events for the tenant at `now` and queues (or, with `wait`,
   * runs) the evaluation of the devices they changed. Throws a 422
   * problem (nothing stored) naming every bad event: those that failed validation,
   * those whose device is unknown or retired, a job id that belongs to another device.
   */
  async ingest(tenantId: string, batch: ParsedBatch, now: number, options: IngestOptions = {}): Promise<IngestResult> {
    if (!options.wait) return this.group.submit(async () => ({ tenantId, batch, now }));
    const result = await this.db.transaction((tx) => this.ingestIn(tx, tenantId, batch, now, options));
    this.committed(result, batch.events);
    return result;
  }

  /**
   * Like `ingest` without waiting, for a batch built inside the (shared) storing
   * transaction: a ping's end is paired with the start another ping of the same turn
   * stored just before it.
   */
  submit(prepare: (tx: SqlExecutor) => Promise<Submission>): Promise<IngestResult> {
    return this.group.submit(prepare);
  }

  /**
   * `ingest`'s work inside the caller's transaction (the group commit runs several
   * batches in one); call `committed` for each once it commits.
   */
  async ingestIn(tx: SqlExecutor, tenantId: string, batch: ParsedBatch, now: number, options: IngestOptions = {}): Promise<IngestResult> {
    const { events, total } = batch;
    // The device rows and the stored events at once: over a libSQL server they travel
    // with the BEGIN in one round trip. A batch refused below rolls its rows back.
    const [rows, stored] = await Promise.all([
      loadTargets(tx, tenantId, [...new Set(events.map((e) => e.deviceId))]),
      storeEvents(tx, tenantId, events, now).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    ]);
    const deviceErrors: BatchErrors = [...batch.errors];
    for (const event of events) {
      const row = rows.get(event.deviceId);
      if (!row) {
        deviceErrors.push({ index: event.index, path: 'deviceId', message: `Device "${event.deviceId}" is not enrolled; enroll it first with PUT /api/v1/devices/${event.deviceId}.` });
      } else if (row.retired_at !== null) {
        deviceErrors.push({ index: event.index, path: 'deviceId', message: `Device "${event.deviceId}" is retired; PUT /api/v1/devices/${event.deviceId} re-activates it.` });
      }
    }
    if (deviceErrors.length > 0) throw rejected(deviceErrors, total);

    if ('error' in stored) throw stored.error;
    const { outcomes, errors } = stored.result;
    if (errors.length > 0) throw rejected(errors, total);

    let duplicates = 0;
    const queued = new Map<string, PendingEvent[]>();
    const checkins = new Set<string>();
    for (const event of events) {
      const outcome = outcomes.get(event.index);
      // Check-ins are not stored: one no newer than the newest folded one, or repeated in the batch, adds nothing.
      const stale = event.type === 'checkin' ? isStaleCheckin(rows.get(event.deviceId)!, event.at, checkins, event.deviceId) : outcome === 'duplicate';
      if (stale) {
        duplicates += 1;
        continue;
      }
      const pending: PendingEvent = { history: historyEvent(event), corrects: outcome === 'changed' };
      const list = queued.get(event.deviceId);
      if (list) list.push(pending);
      else queued.set(event.deviceId, [pending]);
    }
    await queueEvents(tx, tenantId, queued, now);
    // The evaluation takes the queued events off the queue again, this batch's with any earlier ones.
    if (options.wait) await this.evaluator.evaluateDevices(tx, tenantId, [...queued.keys()], now);
    const evaluation: IngestResult['evaluation'] = options.wait || queued.size === 0 ? 'done' : 'queued';
    return { accepted: events.length - duplicates, duplicates, evaluation };
  }

  /** After the batch's transaction committed: count it, and have the queue drain what it queued. */
  committed(result: IngestResult, events: readonly IngestEvent[]): void {
    this.metrics?.countIngested(events);
    if (result.evaluation === 'queued') this.queue?.kick();
  }
}

/** What validating and queueing a batch needs of each device: whether it exists, is retired, and its newest check-in (folded or queued). */
interface IngestTarget {
  retired_at: number | null;
  last_checkin_at: number | null;
}

// Narrow on purpose: the request path no longer reads (or writes) the device's state.
const TARGETS_SQL = `SELECT d.id, d.retired_at, ${LAST_CHECKIN_SQL('d.state')} AS folded_checkin, q.checkin_at AS queued_checkin
  FROM json_each(?) j CROSS JOIN devices d LEFT JOIN evaluation_queue q ON q.tenant_id = d.tenant_id AND q.device_id = d.id
  WHERE d.tenant_id = ? AND d.id = j.value`;

async function loadTargets(tx: SqlExecutor, tenantId: string, ids: readonly string[]): Promise<Map<string, IngestTarget>> {
  const rows = await tx.all<{ id: string; retired_at: number | null; folded_checkin: number | null; queued_checkin: number | null }>(TARGETS_SQL, [JSON.stringify(ids), tenantId]);
  const newest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
  return new Map(rows.map((row) => [String(row.id), { retired_at: row.retired_at, last_checkin_at: newest(row.folded_checkin, row.queued_checkin) }]));
}

function isStaleCheckin(target: IngestTarget, at: number, seen: Set<string>, deviceId: string): boolean {
  if (target.last_checkin_at !== null && at <= Number(target.last_checkin_at)) return true;
  const key = `${deviceId}\u0000${at}`;
  if (seen.has(key)) return true;
  seen.add(key);
  return false;
}

function rejected(errors: BatchErrors, total: number) {
  const sorted = [...errors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const bad = new Set(sorted.map((e) => e.index)).size;
  return unprocessable(`${bad} of ${total} event(s) are invalid; nothing was stored. Fix them and send the batch again.`, sorted);
}

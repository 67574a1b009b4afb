/**
 * Ingestion: a validated batch of events is stored and folded into each affected
 * device's state in one transaction — the batch lands whole or not at all — and its
 * devices are marked for the evaluation queue in that same transaction. A caller that
 * needs read-your-writes (`Prefer: wait=evaluated`) has them evaluated in it instead,
 * so the alerts they cause commit with the batch.
 */
import type { Database } from '../../db/client.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import type { SqlExecutor } from '../../db/client.ts';
import { decodeDeviceState, encodeDeviceState } from '../../db/device-state.ts';
import { unprocessable } from '../../http/problem.ts';
import { loadDeviceRows } from '../device-rows.ts';
import { EvaluationQueue } from '../evaluation-queue.ts';
import type { EvaluationTarget, Evaluator } from '../evaluator.ts';
import { foldDevices, type FoldInput } from './fold.ts';
import type { BatchErrors, IngestEvent, ParsedBatch } from './schema.ts';
import { storeEvents, type Outcome } from './store.ts';

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

/** POST /events (and ping URLs, report mail) behind the route: store, fold and mark — or evaluate — in one transaction per batch. */
export class Ingestor {
  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
    private readonly queue: Pick<EvaluationQueue, 'kick'> | null = null,
    private readonly metrics: Pick<Metrics, 'countIngested'> | null = null,
  ) {}

  /**
   * Stores the batch's events for the tenant at `now` and queues (or, with `wait`,
   * runs) the evaluation of the devices they changed. Throws a 422
   * problem (nothing stored) naming every bad event: those that failed validation,
   * those whose device is unknown or retired, a job id that belongs to another device.
   */
  async ingest(tenantId: string, batch: ParsedBatch, now: number, options: IngestOptions = {}): Promise<IngestResult> {
    const { events, total } = batch;
    const result = await this.db.transaction(async (tx) => {
      // The device rows and the stored events at once: over a libSQL server they travel
      // with the BEGIN in one round trip. A batch refused below rolls its rows back.
      const [rows, stored] = await Promise.all([
        loadDeviceRows(tx, tenantId, [...new Set(events.map((e) => e.deviceId))]),
        storeEvents(tx, tenantId, events, now).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
      ]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      const deviceErrors: BatchErrors = [...batch.errors];
      for (const event of events) {
        const row = byId.get(event.deviceId);
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
      const perDevice = new Map<string, { event: IngestEvent; outcome: Outcome | null }[]>();
      for (const event of events) {
        const outcome = outcomes.get(event.index) ?? null;
        if (outcome === 'duplicate') {
          duplicates += 1;
          continue;
        }
        const list = perDevice.get(event.deviceId);
        if (list) list.push({ event, outcome });
        else perDevice.set(event.deviceId, [{ event, outcome }]);
      }

      const inputs: FoldInput[] = [];
      for (const [deviceId, list] of perDevice) {
        const row = byId.get(deviceId)!;
        inputs.push({ deviceId, stored: decodeDeviceState(row.state), schedule: row.device_schedule, events: list });
      }
      const folds = await foldDevices(tx, tenantId, inputs);
      const targets: EvaluationTarget[] = [];
      for (const deviceId of perDevice.keys()) {
        const fold = folds.get(deviceId)!;
        duplicates += fold.duplicateCheckins;
        if (fold.changed) targets.push({ row: byId.get(deviceId)!, state: fold.state });
      }
      const changed = targets.map((target) => target.row.id);
      if (options.wait) {
        await this.evaluator.evaluateDevices(tx, tenantId, targets, now);
        // Earlier queued marks of these devices are answered by this evaluation too.
        await EvaluationQueue.clear(tx, tenantId, changed);
      } else {
        // Both at once: over a libSQL server they travel in one round trip (the write lock is held meanwhile).
        await Promise.all([persistStates(tx, tenantId, targets), EvaluationQueue.mark(tx, tenantId, changed, now)]);
      }
      this.metrics?.countIngested(events);
      const evaluation: IngestResult['evaluation'] = options.wait || changed.length === 0 ? 'done' : 'queued';
      return { accepted: events.length - duplicates, duplicates, evaluation };
    });
    if (result.evaluation === 'queued') this.queue?.kick();
    return result;
  }
}

// One statement for the batch: the folded states, keyed by device id.
const PERSIST_STATES_SQL = `WITH v AS MATERIALIZED (SELECT value->>0 AS id, value->>1 AS state FROM json_each(?))
  UPDATE devices SET state = v.state FROM v WHERE devices.tenant_id = ? AND devices.id = v.id`;

/** Stores the folded states now; the queued evaluation derives status, score and alerts from them. */
async function persistStates(tx: SqlExecutor, tenantId: string, targets: readonly EvaluationTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const rows = targets.map((target) => [target.row.id, encodeDeviceState(target.state!)]);
  await tx.run(PERSIST_STATES_SQL, [JSON.stringify(rows), tenantId]);
}

function rejected(errors: BatchErrors, total: number) {
  const sorted = [...errors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const bad = new Set(sorted.map((e) => e.index)).size;
  return unprocessable(`${bad} of ${total} event(s) are invalid; nothing was stored. Fix them and send the batch again.`, sorted);
}

/**
 * Ingestion: a validated batch of events is stored, folded into each affected
 * device's state and evaluated, all in one transaction: the batch lands whole or
 * not at all, and the alerts it causes commit with it.
 */
import type { Database } from '../../db/client.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { decodeDeviceState } from '../../db/device-state.ts';
import { unprocessable } from '../../http/problem.ts';
import { loadDeviceRows } from '../device-rows.ts';
import type { EvaluationTarget, Evaluator } from '../evaluator.ts';
import { foldDevices, type FoldInput } from './fold.ts';
import type { BatchErrors, IngestEvent, ParsedBatch } from './schema.ts';
import { storeEvents, type Outcome } from './store.ts';

export { parseEventBody, MAX_BATCH, type IngestEvent, type ParsedBatch } from './schema.ts';

/** The 202 answer. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
}

/** POST /events behind the route: store, fold, evaluate, in one transaction per batch. */
export class Ingestor {
  constructor(
    private readonly db: Database,
    private readonly evaluator: Evaluator,
    private readonly metrics: Pick<Metrics, 'countIngested'> | null = null,
  ) {}

  /**
   * Stores and evaluates the batch's events for the tenant at `now`. Throws a 422
   * problem (nothing stored) naming every bad event: those that failed validation,
   * those whose device is unknown or retired, a job id that belongs to another device.
   */
  async ingest(tenantId: string, batch: ParsedBatch, now: number): Promise<IngestResult> {
    const { events, total } = batch;
    return this.db.transaction(async (tx) => {
      const rows = await loadDeviceRows(tx, tenantId, [...new Set(events.map((e) => e.deviceId))]);
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

      const { outcomes, errors } = await storeEvents(tx, tenantId, events, now);
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
      await this.evaluator.evaluateDevices(tx, tenantId, targets, now);
      this.metrics?.countIngested(events);
      return { accepted: events.length - duplicates, duplicates };
    });
  }
}

function rejected(errors: BatchErrors, total: number) {
  const sorted = [...errors].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  const bad = new Set(sorted.map((e) => e.index)).size;
  return unprocessable(`${bad} of ${total} event(s) are invalid; nothing was stored. Fix them and send the batch again.`, sorted);
}

/**
 * Events waiting in the evaluation queue (issue #19). Ingestion stores a batch's
 * events and queues each device's share of them with its mark, in one transaction,
 * and answers; the device's state is folded from them later, by whichever
 * evaluation of the device comes first (the drain, the sweep, an inventory change,
 * `Prefer: wait=evaluated`), which takes them off the queue in its own transaction.
 * So the request path writes no device row, and a device's queued events are folded
 * exactly once.
 *
 * A device's row holds one line per batch, each the JSON array of that batch's
 * events in compact tuples; lines are appended, so batches keep their order.
 */
import type { HistoryEvent } from '../../core/index.ts';
import type { SqlExecutor } from '../db/client.ts';

/** A queued event as core's fold takes it; `corrects` when it changed an already-completed job (the state is then rebuilt from history). */
export interface PendingEvent {
  history: HistoryEvent;
  corrects: boolean;
}

/** One device's queued batches, oldest first. */
export type PendingBatches = PendingEvent[][];

type Tuple =
  | ['j', status: 'success' | 'warning' | 'failed' | 'running', startedAt: number, endedAt: number | null, corrects: 0 | 1]
  | ['d', at: number, result: 'passed' | 'failed']
  | ['s', at: number, usedBytes: number, quotaBytes: number | null]
  | ['c', at: number, state: 'ok' | 'expired']
  | ['k', at: number];

// A device marked twice keeps its oldest mark (the lag is measured from it), gains a
// line and keeps the newest queued check-in (MAX is NULL when either is).
const QUEUE_SQL = `INSERT INTO evaluation_queue (tenant_id, device_id, marked_at, events, checkin_at)
  SELECT ?, value->>0, ?, value->1, value->>2 FROM json_each(?) WHERE true
  ON CONFLICT DO UPDATE SET events = COALESCE(events || char(10), '') || excluded.events,
  checkin_at = COALESCE(MAX(checkin_at, excluded.checkin_at), checkin_at, excluded.checkin_at)`;
const TAKE_SQL = `DELETE FROM evaluation_queue WHERE tenant_id = ? AND device_id IN (SELECT value FROM json_each(?))
  RETURNING device_id, events`;

function tupleOf({ history: e, corrects }: PendingEvent): Tuple {
  switch (e.type) {
    case 'job':
      return ['j', e.status, e.startedAt, e.endedAt, corrects ? 1 : 0];
    case 'dr_test':
      return ['d', e.at, e.result];
    case 'storage':
      return ['s', e.at, e.usedBytes, e.quotaBytes];
    case 'saas_consent':
      return ['c', e.at, e.state];
    case 'checkin':
      return ['k', e.at];
  }
}

function eventOf(tuple: Tuple): PendingEvent {
  switch (tuple[0]) {
    case 'j':
      return { history: { type: 'job', status: tuple[1], startedAt: tuple[2], endedAt: tuple[3] }, corrects: tuple[4] === 1 };
    case 'd':
      return { history: { type: 'dr_test', at: tuple[1], result: tuple[2] }, corrects: false };
    case 's':
      return { history: { type: 'storage', at: tuple[1], usedBytes: tuple[2], quotaBytes: tuple[3] }, corrects: false };
    case 'c':
      return { history: { type: 'saas_consent', at: tuple[1], state: tuple[2] }, corrects: false };
    case 'k':
      return { history: { type: 'checkin', at: tuple[1] }, corrects: false };
  }
}

/** A device's queued lines, oldest batch first (null: a mark written before events were queued). */
export function decodeBatches(text: string | null): PendingBatches {
  if (text === null) return [];
  return text.split('\n').map((line) => (JSON.parse(line) as Tuple[]).map(eventOf));
}

/** Marks the devices and queues their events of this batch, inside the caller's (storing) transaction. */
export async function queueEvents(tx: SqlExecutor, tenantId: string, batch: ReadonlyMap<string, readonly PendingEvent[]>, now: number): Promise<void> {
  if (batch.size === 0) return;
  const rows: [string, Tuple[], number | null][] = [];
  for (const [deviceId, events] of batch) {
    let checkin: number | null = null;
    for (const { history } of events) if (history.type === 'checkin' && (checkin === null || history.at > checkin)) checkin = history.at;
    rows.push([deviceId, events.map(tupleOf), checkin]);
  }
  await tx.run(QUEUE_SQL, [tenantId, now, JSON.stringify(rows)]);
}

/**
 * Takes the devices' queued events off the queue (their marks with them) inside the
 * caller's transaction, which must fold and evaluate them before it commits.
 */
export async function takeQueuedEvents(tx: SqlExecutor, tenantId: string, deviceIds: readonly string[]): Promise<Map<string, PendingBatches>> {
  const taken = new Map<string, PendingBatches>();
  if (deviceIds.length === 0) return taken;
  for (const row of await tx.all<{ device_id: string; events: string | null }>(TAKE_SQL, [tenantId, JSON.stringify(deviceIds)])) {
    taken.set(String(row.device_id), decodeBatches(row.events));
  }
  return taken;
}

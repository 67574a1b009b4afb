/**
 * Folds a batch's new events into one device's persisted DeviceState with core's
 * fold functions, in time order. When the batch reaches into the past (a job older
 * than the newest completed one, or a correction of a completed job), the state is
 * rebuilt from stored history with core's summarizeHistory instead.
 */
import { applyEvent, eventTime, summarizeHistory, type DeviceState, type HistoryEvent } from '../../../core/index.ts';
import type { SqlExecutor } from '../../db/client.ts';
import type { IngestEvent } from './schema.ts';
import type { Outcome } from './store.ts';

export interface DeviceFold {
  state: DeviceState;
  /** Check-ins no newer than the newest known one (counted as duplicates: they add nothing). */
  duplicateCheckins: number;
  /** False when every event was a repeat: the device needs no evaluation. */
  changed: boolean;
}

const JOBS_SQL = 'SELECT status, started_at, ended_at FROM jobs WHERE tenant_id = ? AND device_id = ?';
const DR_TEST_SQL = 'SELECT at, result FROM dr_tests WHERE tenant_id = ? AND device_id = ? ORDER BY at DESC, rowid DESC LIMIT 1';
const STORAGE_SQL = 'SELECT at, used_bytes, quota_bytes FROM storage_reports WHERE tenant_id = ? AND device_id = ? ORDER BY at DESC LIMIT 1';
const CONSENT_SQL = 'SELECT at, state FROM consent_events WHERE tenant_id = ? AND device_id = ? ORDER BY at DESC LIMIT 1';

/** The event as core's history sees it. */
export function historyEvent(event: IngestEvent): HistoryEvent {
  switch (event.type) {
    case 'job':
      return { type: 'job', status: event.status, startedAt: event.startedAt, endedAt: event.endedAt };
    case 'dr_test':
      return { type: 'dr_test', at: event.at, result: event.result };
    case 'storage':
      return { type: 'storage', at: event.at, usedBytes: event.usedBytes, quotaBytes: event.quotaBytes };
    case 'saas_consent':
      return { type: 'saas_consent', at: event.at, state: event.state };
    case 'checkin':
      return { type: 'checkin', at: event.at };
  }
}

/**
 * The device's state after `events` (this device's events of the batch that were
 * not duplicates; check-ins included), each with its store outcome.
 */
export async function foldDevice(
  tx: SqlExecutor,
  tenantId: string,
  deviceId: string,
  stored: DeviceState,
  events: readonly { event: IngestEvent; outcome: Outcome | null }[],
): Promise<DeviceFold> {
  const ordered = events
    .map(({ event, outcome }) => ({ history: historyEvent(event), outcome }))
    .sort((a, b) => eventTime(a.history) - eventTime(b.history));
  const newestCompleted = stored.lastCompletedAt;
  const reachesBack = ordered.some(
    ({ history, outcome }) =>
      outcome === 'changed' || (history.type === 'job' && history.endedAt !== null && newestCompleted !== null && history.endedAt < newestCompleted),
  );

  let state = reachesBack ? await rebuild(tx, tenantId, deviceId, stored) : stored;
  let duplicateCheckins = 0;
  let changed = reachesBack;
  for (const { history } of ordered) {
    if (history.type === 'checkin') {
      // Only the newest check-in is kept (they are not stored): one no newer adds nothing.
      if (state.lastCheckinAt !== null && history.at <= state.lastCheckinAt) {
        duplicateCheckins += 1;
        continue;
      }
    } else if (reachesBack) continue; // already part of the rebuilt history
    state = applyEvent(state, history);
    changed = true;
  }
  return { state, duplicateCheckins, changed };
}

/** The state from the stored history (this batch's rows included); check-ins are not stored, the newest is carried over. */
async function rebuild(tx: SqlExecutor, tenantId: string, deviceId: string, stored: DeviceState): Promise<DeviceState> {
  const history: HistoryEvent[] = [];
  const jobs = await tx.all<{ status: 'success' | 'warning' | 'failed' | 'running'; started_at: number; ended_at: number | null }>(JOBS_SQL, [tenantId, deviceId]);
  for (const job of jobs) history.push({ type: 'job', status: job.status, startedAt: job.started_at, endedAt: job.ended_at });
  const drTest = await tx.get<{ at: number; result: 'passed' | 'failed' }>(DR_TEST_SQL, [tenantId, deviceId]);
  if (drTest) history.push({ type: 'dr_test', at: drTest.at, result: drTest.result });
  const storage = await tx.get<{ at: number; used_bytes: number; quota_bytes: number | null }>(STORAGE_SQL, [tenantId, deviceId]);
  if (storage) history.push({ type: 'storage', at: storage.at, usedBytes: storage.used_bytes, quotaBytes: storage.quota_bytes });
  const consent = await tx.get<{ at: number; state: 'ok' | 'expired' }>(CONSENT_SQL, [tenantId, deviceId]);
  if (consent) history.push({ type: 'saas_consent', at: consent.at, state: consent.state });
  if (stored.lastCheckinAt !== null) history.push({ type: 'checkin', at: stored.lastCheckinAt });
  return summarizeHistory(stored.enrolledAt, history);
}

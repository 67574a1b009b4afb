/**
 * Folds a device's queued events into its persisted DeviceState with core's fold
 * functions, in time order. When they reach into the past (a job older than the
 * newest completed one, or a correction of a completed job), the state is rebuilt
 * from stored history with core's summarizeHistory instead.
 */
import { applyEvent, eventTime, summarizeHistory, type DeviceProfile, type DeviceState, type HistoryEvent, type Interval } from '../../../core/index.ts';
import { offlineEpisodeEndedAt } from '../../../core/offline-episodes.ts';
import type { DeviceSchedule } from '../../../core/schedule-spec.ts';
import type { SqlExecutor } from '../../db/client.ts';
import type { IngestEvent } from './schema.ts';
import type { PendingEvent } from '../pending-events.ts';

export interface DeviceFold {
  state: DeviceState;
  /** False when nothing was new (check-ins no newer than the newest known): the state stands. */
  changed: boolean;
  /** Offline episodes the folded signs of life ended (devices given a `profile`). */
  offline: Interval[];
}

// Device ids travel as one JSON array; CROSS JOIN drives the lookups from it (one
// index probe per device), and the newest DR test, storage report and consent event
// of each device are the single-device queries' rows, as correlated subqueries.
const JOBS_SQL = `SELECT jb.device_id, jb.status, jb.started_at, jb.ended_at FROM json_each(?) j CROSS JOIN jobs jb
  WHERE jb.tenant_id = ? AND jb.device_id = j.value`;
const DR_TESTS_SQL = `SELECT t.device_id, t.at, t.result FROM dr_tests t WHERE t.rowid IN (SELECT (SELECT d.rowid FROM dr_tests d
  WHERE d.tenant_id = ? AND d.device_id = j.value ORDER BY d.at DESC, d.rowid DESC LIMIT 1) FROM json_each(?) j)`;
const STORAGE_SQL = `SELECT s.device_id, s.at, s.used_bytes, s.quota_bytes FROM storage_reports s WHERE s.rowid IN (SELECT (SELECT r.rowid
  FROM storage_reports r WHERE r.tenant_id = ? AND r.device_id = j.value ORDER BY r.at DESC LIMIT 1) FROM json_each(?) j)`;
const CONSENT_SQL = `SELECT c.device_id, c.at, c.state FROM consent_events c WHERE c.rowid IN (SELECT (SELECT e.rowid
  FROM consent_events e WHERE e.tenant_id = ? AND e.device_id = j.value ORDER BY e.at DESC LIMIT 1) FROM json_each(?) j)`;

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

/** A device's queued events with its persisted state. */
export interface FoldInput {
  deviceId: string;
  stored: DeviceState;
  /** The policy's calendar schedule (per-run merge, offline skipping); absent for a plain interval. */
  schedule?: DeviceSchedule;
  /** Queued batches, oldest first, each in arrival order. */
  batches: readonly (readonly PendingEvent[])[];
  /** `stored` was just rebuilt from stored history, which holds every queued event but check-ins (never stored). */
  rebuilt?: boolean;
  /** The device's profile, when its offline episodes are to be told (calendar schedules). */
  profile?: DeviceProfile;
}

/**
 * The devices' states after their queued events, by device id: batch after batch,
 * each batch's events in time order — as if each batch had been folded when it was
 * stored. A device whose events reach back in time (a job that ended before one
 * already folded, or a correction of a completed job) is rebuilt from stored
 * history instead, read with four statements for all such devices.
 */
export async function foldDevices(tx: SqlExecutor, tenantId: string, inputs: readonly FoldInput[]): Promise<Map<string, DeviceFold>> {
  const prepared = inputs.map((input) => {
    const batches = input.batches.map((batch) => [...batch].sort((a, b) => eventTime(a.history) - eventTime(b.history)));
    return { input, batches, reachesBack: !input.rebuilt && reachesBack(input.stored, batches) };
  });
  const rebuilt = prepared.filter((p) => p.reachesBack).map((p) => p.input);
  const histories = await loadHistories(tx, tenantId, rebuilt.map((input) => input.deviceId));

  const folds = new Map<string, DeviceFold>();
  for (const { input, batches, reachesBack } of prepared) {
    const { stored } = input;
    let state = stored;
    if (reachesBack) {
      // Check-ins are not stored: the newest is carried over.
      const history = [...(histories.get(input.deviceId) ?? [])];
      if (stored.lastCheckinAt !== null) history.push({ type: 'checkin', at: stored.lastCheckinAt });
      state = summarizeHistory(stored.enrolledAt, history, input.schedule);
    }
    const historyHolds = reachesBack || input.rebuilt === true;
    let changed = reachesBack;
    const offline: Interval[] = [];
    for (const batch of batches) {
      for (const { history } of batch) {
        if (history.type === 'checkin') {
          // Only the newest check-in is kept (they are not stored): one no newer adds nothing.
          if (state.lastCheckinAt !== null && history.at <= state.lastCheckinAt) continue;
        } else if (historyHolds) continue; // already part of the rebuilt history
        if (input.profile && (history.type === 'checkin' || history.type === 'job')) {
          const episode = offlineEpisodeEndedAt(input.profile, state, eventTime(history));
          if (episode) offline.push(episode);
        }
        state = applyEvent(state, history, input.schedule);
        changed = true;
      }
    }
    folds.set(input.deviceId, { state, changed, offline });
  }
  return folds;
}

/** Whether folding forward would be wrong: a correction, or a job ending before the newest completed one. */
function reachesBack(stored: DeviceState, batches: readonly (readonly PendingEvent[])[]): boolean {
  let newest = stored.lastCompletedAt;
  for (const batch of batches) {
    for (const { history, corrects } of batch) {
      if (corrects) return true;
      if (history.type !== 'job' || history.endedAt === null) continue;
      if (newest !== null && history.endedAt < newest) return true;
      newest = newest === null ? history.endedAt : Math.max(newest, history.endedAt);
    }
  }
  return false;
}

/**
 * The devices' states rebuilt from their stored history under their (new) schedule, by
 * device id: a policy whose merge mode changed counts its runs differently. History is
 * read with four statements for all of them.
 */
export async function rebuildStates(tx: SqlExecutor, tenantId: string, inputs: readonly Omit<FoldInput, 'batches' | 'rebuilt'>[]): Promise<Map<string, DeviceState>> {
  const histories = await loadHistories(tx, tenantId, inputs.map((input) => input.deviceId));
  const states = new Map<string, DeviceState>();
  for (const { deviceId, stored, schedule } of inputs) {
    const history = [...(histories.get(deviceId) ?? [])];
    if (stored.lastCheckinAt !== null) history.push({ type: 'checkin', at: stored.lastCheckinAt });
    states.set(deviceId, summarizeHistory(stored.enrolledAt, history, schedule));
  }
  return states;
}

/**
 * The stored history of the devices (this batch's rows included), in the order the
 * single-device queries gave: every job, and the newest DR test, storage report and
 * consent event.
 */
async function loadHistories(tx: SqlExecutor, tenantId: string, deviceIds: readonly string[]): Promise<Map<string, HistoryEvent[]>> {
  const histories = new Map<string, HistoryEvent[]>();
  if (deviceIds.length === 0) return histories;
  const ids = JSON.stringify(deviceIds);
  const add = (deviceId: string, event: HistoryEvent) => {
    const list = histories.get(deviceId);
    if (list) list.push(event);
    else histories.set(deviceId, [event]);
  };
  const jobs = await tx.all<{ device_id: string; status: 'success' | 'warning' | 'failed' | 'running'; started_at: number; ended_at: number | null }>(JOBS_SQL, [ids, tenantId]);
  for (const job of jobs) add(job.device_id, { type: 'job', status: job.status, startedAt: job.started_at, endedAt: job.ended_at });
  for (const row of await tx.all<{ device_id: string; at: number; result: 'passed' | 'failed' }>(DR_TESTS_SQL, [tenantId, ids])) {
    add(row.device_id, { type: 'dr_test', at: row.at, result: row.result });
  }
  for (const row of await tx.all<{ device_id: string; at: number; used_bytes: number; quota_bytes: number | null }>(STORAGE_SQL, [tenantId, ids])) {
    add(row.device_id, { type: 'storage', at: row.at, usedBytes: row.used_bytes, quotaBytes: row.quota_bytes });
  }
  for (const row of await tx.all<{ device_id: string; at: number; state: 'ok' | 'expired' }>(CONSENT_SQL, [tenantId, ids])) {
    add(row.device_id, { type: 'saas_consent', at: row.at, state: row.state });
  }
  return histories;
}

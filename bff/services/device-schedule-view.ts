/**
 * A device's schedule as the list and the detail show it — the schedule in words,
 * `nextDueAt`, `lateSince`, `offlineSince` and the 14-run strip — from one derivation,
 * so the two reads cannot disagree. The list calls it for its page's rows with the
 * jobs of all of them read in one statement (recentJobsOf).
 */
import type { DeviceDetail, DeviceListItem } from '../../core/api.ts';
import { deviceProfile, intervalHoursOf } from '../../core/device-facts.ts';
import { schedulePosition, type SchedulePosition } from '../../core/schedule-position.ts';
import { recentRuns, type RunJob } from '../../core/schedule-runs.ts';
import type { DeviceSchedule } from '../../core/schedule-spec.ts';
import type { DeviceKind, DeviceProfile, DeviceState, Instant, JobStatus } from '../../core/types.ts';
import type { SqlExecutor } from '../db/client.ts';
import { isPlainInterval, storedScheduleOf } from './policy-schedule.ts';
import { iso } from './views.ts';

/** The jobs the strip is drawn from: the newest ones of a device (the detail's history shows as many). */
export const RUN_JOBS_LIMIT = 50;

export type ScheduleFields = Pick<DeviceDetail, 'schedule' | 'nextDueAt' | 'lateSince' | 'offlineSince'> & Pick<DeviceListItem, 'runs'>;

/** The columns the schedule fields are derived from, read with a device row (`devices d`, `policies p`, `clients c`). */
export const SCHEDULE_COLUMNS = 'd.state, d.enrolled_at, d.quota_bytes, p.schedule AS policy_schedule, c.timezone AS client_timezone';

/** What a row must carry to build its profile. */
export interface ScheduleRow {
  kind: DeviceKind;
  interval_hours: number | null;
  quota_bytes: number | null;
  policy_schedule: string | null;
  client_timezone: string | null;
}

/**
 * Profiles for rows; `shared` keeps one DeviceSchedule per policy JSON and timezone, so
 * core's compiled-schedule memo (by identity) hits across a page. A plain interval stays Part I.
 */
export function scheduleProfile(row: ScheduleRow, shared = new Map<string, DeviceSchedule | null>()): DeviceProfile {
  const profile = deviceProfile(row.kind, row.interval_hours, row.quota_bytes);
  const timezone = row.client_timezone ?? 'UTC';
  const key = `${row.policy_schedule ?? `i${row.interval_hours}`}\u0000${timezone}`;
  let schedule = shared.get(key);
  if (schedule === undefined) {
    const stored = storedScheduleOf(row.policy_schedule, intervalHoursOf(row.interval_hours));
    schedule = isPlainInterval(stored) ? null : { ...stored, timezone };
    shared.set(key, schedule);
  }
  return schedule ? { ...profile, schedule } : profile;
}

/** The schedule fields of one device at `now`, and the position they came from (the detail's SLA needs it). */
/** `jobs` null: the fields without `runs` (a list that did not ask for them). */
export function scheduleView(profile: DeviceProfile, state: DeviceState, jobs: readonly RunJob[] | null, enrolledAt: Instant, now: Instant): { fields: ScheduleFields; position: SchedulePosition } {
  const position = schedulePosition(profile, state, now);
  const signsOfLife = state.lastCheckinAt === null ? [] : [state.lastCheckinAt];
  return {
    position,
    fields: {
      schedule: { kind: position.schedule.policy.schedule.kind, text: position.schedule.text },
      nextDueAt: Number.isFinite(position.nextDue) ? iso(position.nextDue) : null,
      lateSince: position.late ? iso(position.lateAt) : null,
      offlineSince: iso(position.offlineSince),
      ...(jobs === null ? {} : { runs: recentRuns(profile, { jobs, signsOfLife, enrolledAt }, now).map((run) => ({ slot: iso(run.slot)!, result: run.result, jobs: run.jobs })) }),
    },
  };
}

// One statement for a page: per device id, its newest jobs through the (tenant, device,
// started_at) index with a LIMIT each — O(page × limit), however long a device's history.
const RECENT_JOBS_SQL = `SELECT j.device_id, j.id, j.status, j.started_at, j.ended_at FROM json_each(?) ids CROSS JOIN jobs j
  WHERE j.rowid IN (SELECT rowid FROM jobs WHERE tenant_id = ? AND device_id = ids.value ORDER BY started_at DESC, id DESC LIMIT ?)`;

/** The newest jobs of each of these devices, by device id. */
export async function recentJobsOf(db: SqlExecutor, tenantId: string, deviceIds: readonly string[]): Promise<Map<string, RunJob[]>> {
  const byDevice = new Map<string, RunJob[]>(deviceIds.map((id) => [id, []]));
  if (deviceIds.length === 0) return byDevice;
  const rows = await db.all<{ device_id: string; id: string; status: JobStatus; started_at: number; ended_at: number | null }>(RECENT_JOBS_SQL, [
    JSON.stringify(deviceIds),
    tenantId,
    RUN_JOBS_LIMIT,
  ]);
  for (const row of rows) byDevice.get(row.device_id)?.push({ id: row.id, status: row.status, startedAt: row.started_at, endedAt: row.ended_at });
  return byDevice;
}

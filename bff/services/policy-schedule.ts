/**
 * A policy's schedule as stored (JSON in `policies.schedule`) and as the API takes it:
 * `intervalHours` alone still means a Part I interval schedule.
 */
import { DEFAULT_OFFLINE_ALERT_DAYS, type DeviceSchedule, type MergeMode, type MergeRule, type OfflineRule, type Schedule } from '../../core/schedule-spec.ts';
import { scheduleProblems } from '../../core/schedule-compiled.ts';
import { unprocessable } from '../http/problem.ts';
import type { PolicyBody } from './inventory-schema.ts';

/** What `policies.schedule` holds: a DeviceSchedule without the client's timezone. */
export type StoredSchedule = Omit<DeviceSchedule, 'timezone'>;

/** Calendar policies keep a nominal interval column (read only by Part I readers). */
const CALENDAR_NOMINAL_INTERVAL_HOURS = 24;

/** The stored schedule of a policy row; NULL (never migrated) reads as its interval. */
export function storedScheduleOf(json: string | null, intervalHours: number): StoredSchedule {
  return json ? (JSON.parse(json) as StoredSchedule) : { schedule: { kind: 'interval', hours: intervalHours } };
}

/**
 * The schedule a PUT asks for, checked by core's rules; a 422 names the field at fault
 * (a calendar's timezone comes from each client, so it is not part of the policy).
 */
export function storedScheduleFromBody(body: PolicyBody): { stored: StoredSchedule; intervalHours: number } {
  const schedule: Schedule | undefined = body.schedule ?? (body.intervalHours !== undefined ? { kind: 'interval', hours: body.intervalHours } : undefined);
  if (!schedule) throw unprocessable('A policy needs a schedule or intervalHours.', [{ path: 'schedule', message: 'Required (or give intervalHours).' }]);
  const offline: OfflineRule | undefined = body.offline
    ? { skipWhenOffline: body.offline.skipWhenOffline, alertAfterDays: body.offline.alertAfterDays ?? DEFAULT_OFFLINE_ALERT_DAYS }
    : undefined;
  const stored: StoredSchedule = {
    schedule,
    ...(body.graceHours != null ? { graceHours: body.graceHours } : {}),
    ...(offline ? { offline } : {}),
    ...(body.merge ? { merge: body.merge as MergeMode } : {}),
    ...(body.mergeRule ? { mergeRule: body.mergeRule as MergeRule } : {}),
  };
  const problems = scheduleProblems({ ...stored, timezone: 'UTC' });
  if (problems.length > 0) {
    throw unprocessable(problems.map((p) => p.message).join('; '), problems.map((p) => ({ path: p.field, message: p.message })));
  }
  return { stored, intervalHours: schedule.kind === 'interval' ? schedule.hours : CALENDAR_NOMINAL_INTERVAL_HOURS };
}

/** True when devices on the policy must be re-evaluated after the change. */
export function scheduleChanged(before: StoredSchedule, after: StoredSchedule): boolean {
  return JSON.stringify(before) !== JSON.stringify(after);
}

/** True when the merge mode changed (device states must be rebuilt from history). */
export function mergeChanged(before: StoredSchedule, after: StoredSchedule): boolean {
  return (before.merge ?? 'each-job') !== (after.merge ?? 'each-job') || (before.mergeRule ?? 'last') !== (after.mergeRule ?? 'last');
}

/** True for a plain interval without options: such devices stay on the Part I path (no schedule in the profile). */
export function isPlainInterval(stored: StoredSchedule): boolean {
  return stored.schedule.kind === 'interval' && Object.keys(stored).length === 1;
}

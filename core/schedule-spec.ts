/**
 * What a policy's schedule says: its kind (a fixed interval or a calendar), grace,
 * offline skipping and per-run merge, with the defaults in one place.
 */
import { HOUR } from './types.ts';

/** ISO weekdays 1 (Monday) – 7 (Sunday). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/**
 * A backup schedule. `interval` is Part I's fixed interval; the calendar kinds are read
 * in the timezone of the device's client.
 * - `weekly`: ISO weekdays 1–7 and "HH:MM" times, e.g. Mon–Fri 22:00.
 * - `monthly`: days of the month 1–31, or -1 for the last day, and times. A day a month
 *   lacks (the 31st in April) has no run that month.
 * - `cron`: a five-field cron line (minute hour day-of-month month day-of-week).
 */
export type Schedule =
  | { kind: 'interval'; hours: number }
  | { kind: 'weekly'; days: number[]; times: string[] }
  | { kind: 'monthly'; days: number[]; times: string[] }
  | { kind: 'cron'; expression: string };

export type ScheduleKind = Schedule['kind'];
/** Every schedule kind, in the order the policy editor offers them. */
export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['interval', 'weekly', 'monthly', 'cron'];

/** `each-job` counts every result (Part I); `per-run` merges the results of one run first. */
export type MergeMode = 'each-job' | 'per-run';
/** Every merge mode (`each-job` is the default). */
export const MERGE_MODES: readonly MergeMode[] = ['each-job', 'per-run'];

/**
 * How the results of one run merge: the `last` one, the `worst`, the `best`, or
 * `mixed-is-warning` (a failure and a success in one run make a warning).
 */
export type MergeRule = 'last' | 'worst' | 'best' | 'mixed-is-warning';
/** Every merge rule (`last` is the default). */
export const MERGE_RULES: readonly MergeRule[] = ['last', 'worst', 'best', 'mixed-is-warning'];

/** Opt-in skipping of runs a workstation was off for (calendar schedules only). */
export interface OfflineRule {
  skipWhenOffline: boolean;
  /** Days without any sign of life before `device_offline` opens. */
  alertAfterDays: number;
}

/**
 * A policy's schedule as the rules see it for one device: the schedule, the timezone
 * of the device's client, and the policy's options (all optional, with the defaults
 * below).
 */
export interface DeviceSchedule {
  schedule: Schedule;
  /** IANA timezone of the device's client (unused by interval schedules). */
  timezone: string;
  /** Calendar default 4 h; interval schedules keep 0.5 × hours for the missed rule. */
  graceHours?: number | null;
  offline?: OfflineRule | null;
  merge?: MergeMode;
  mergeRule?: MergeRule;
}

/** Grace of calendar schedules when the policy sets none. */
export const DEFAULT_CALENDAR_GRACE_HOURS = 4;
/** Interval schedules: grace (and the merge window) is this share of the interval. */
export const INTERVAL_GRACE_SHARE = 0.5;
/** `alertAfterDays` when the policy turns skipping on without one. */
export const DEFAULT_OFFLINE_ALERT_DAYS = 7;

/** True for the kinds read from a calendar (all but `interval`). */
export function isCalendar(schedule: Schedule): schedule is Exclude<Schedule, { kind: 'interval' }> {
  return schedule.kind !== 'interval';
}

/**
 * The grace in ms: the policy's `graceHours`, else 4 h for calendar schedules; for an
 * interval schedule 0.5 × hours unless the policy sets one (it then only widens the
 * per-run merge window; the missed rule stays at 1.5 × the interval).
 */
export function graceMsOf(policy: DeviceSchedule): number {
  const { schedule, graceHours } = policy;
  if (typeof graceHours === 'number') return graceHours * HOUR;
  return (schedule.kind === 'interval' ? INTERVAL_GRACE_SHARE * schedule.hours : DEFAULT_CALENDAR_GRACE_HOURS) * HOUR;
}

/** The Part I schedule of a policy given only by `intervalHours`. */
export function intervalSchedule(hours: number): DeviceSchedule {
  return { schedule: { kind: 'interval', hours }, timezone: 'UTC' };
}

/**
 * The four score components (docs/health-score.md), each a value in 0..1. `health.ts` weighs
 * them and places the result inside the status band.
 */
import { scheduleReference, storageRatio } from './device-facts.ts';
import type { SchedulePosition } from './schedule-position.ts';
import { DAY, HOUR, type ComponentName, type DeviceProfile, type DeviceState, type Instant } from './types.ts';

/** Extra hours past the interval at which a device counts as critically overdue. */
export const CRITICAL_OVERDUE_HOURS = 48;
/** A passed DR test older than this earns partial credit only. */
export const DR_TEST_FRESH_DAYS = 90;
/** The success-rate window. */
export const SUCCESS_RATE_DAYS = 7;
/** Storage use (of quota) up to which the storage component is full. */
export const STORAGE_FULL_CREDIT_RATIO = 0.8;

/** Time since the last success, or since the first job / enrolment without one. */
export function backupAge(state: DeviceState, now: Instant): number {
  return now - scheduleReference(state);
}

/** The backup age at which the recency component of an interval schedule reaches 0: 2 × interval + 48 h. */
export function recencyZeroAge(intervalHours: number): number {
  return 2 * intervalHours * HOUR + CRITICAL_OVERDUE_HOURS * HOUR;
}

/**
 * 1 while on schedule, then linear down to 0. The schedule position says where:
 * interval schedules from the interval to 2 × interval + 48 h after the last success;
 * calendar schedules from `nextDue + grace` (late) to `nextDue + 48 h`.
 */
export function recencyValue(position: SchedulePosition): number {
  const { recencyElapsed: elapsed, recencyFull: full, recencyZero: zero } = position;
  if (elapsed <= full) return 1;
  if (elapsed >= zero) return 0;
  return (zero - elapsed) / (zero - full);
}

/** The completed-job counts of the daily buckets inside the last 7 days. */
export function recentJobCounts(state: DeviceState, now: Instant): { ok: number; failed: number } {
  const firstDay = Math.floor((now - SUCCESS_RATE_DAYS * DAY) / DAY);
  let ok = 0;
  let failed = 0;
  for (const bucket of state.daily) {
    if (bucket.day < firstDay) continue;
    ok += bucket.ok;
    failed += bucket.failed;
  }
  return { ok, failed };
}

/** ok / completed over the last 7 days; 0.5 when no job completed in the window. */
export function successRateValue(state: DeviceState, now: Instant): number {
  const { ok, failed } = recentJobCounts(state, now);
  return ok + failed === 0 ? 0.5 : ok / (ok + failed);
}

/** Passed within 90 days: 1; passed longer ago: 0.75; no test: 0.5; failed: 0. */
export function drTestValue(state: DeviceState, now: Instant): number {
  const test = state.lastDrTest;
  if (test === null) return 0.5;
  if (test.result === 'failed') return 0;
  return now - test.at <= DR_TEST_FRESH_DAYS * DAY ? 1 : 0.75;
}

/** 1 up to 80 % of quota, linear down to 0 at 100 %; 1 without a quota or a report. */
export function storageValue(device: DeviceProfile, state: DeviceState): number {
  const ratio = storageRatio(device, state);
  if (ratio === null || ratio <= STORAGE_FULL_CREDIT_RATIO) return 1;
  if (ratio >= 1) return 0;
  return (1 - ratio) / (1 - STORAGE_FULL_CREDIT_RATIO);
}

/** Every component's value, in the fixed order recency, successRate, drTest, storage. */
export function componentValues(device: DeviceProfile, state: DeviceState, now: Instant, position: SchedulePosition): Record<ComponentName, number> {
  return {
    recency: recencyValue(position),
    successRate: successRateValue(state, now),
    drTest: drTestValue(state, now),
    storage: storageValue(device, state),
  };
}

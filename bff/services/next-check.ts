/**
 * When a device must be evaluated again although nothing is reported: the earliest
 * future moment at which one of core's time-driven rules can change its status,
 * alerts or SLA state. The sweep only looks at devices whose moment has come, so a
 * sweep costs O(due devices), not O(fleet).
 *
 * The thresholds come from core (never restated here); this module only knows
 * which of them are time-driven.
 */
import { MISSED_SCHEDULE_INTERVALS, SAAS_GRACE_HOURS } from '../../core/alerts.ts';
import { CRITICAL_OVERDUE_HOURS, DR_TEST_FRESH_DAYS, SUCCESS_RATE_DAYS } from '../../core/score.ts';
import { DAY, HOUR, isKnown, maxHoursFor, scheduleReference } from '../../core/index.ts';
import type { DeviceProfile, DeviceState, Instant, SlaHours, SlaState } from '../../core/types.ts';

/** While a device is in SLA breach: On-Call's threshold and business-hours boundaries need a fresh look this often. */
export const BREACH_RECHECK_MS = 5 * 60_000;
/** While the recency component falls (overdue), the score drifts: refresh it this often. */
export const DRIFT_RECHECK_MS = HOUR;
/** Otherwise re-evaluate at least daily, so the reason sentences' elapsed times stay roughly current. */
export const IDLE_RECHECK_MS = DAY;
/** Never schedule sooner than this: a boundary a moment away is handled by the next sweep. */
const MIN_DELAY_MS = 1_000;

/** The earlier of `next` and `at`, counting only moments after `now` (a module-level helper: this runs per evaluation). */
function earliest(next: Instant, now: Instant, at: Instant): Instant {
  return at > now && at < next ? at : next;
}

/**
 * The next evaluation time (> now). Candidates: the warning (ref + I), missed
 * (ref + 1.5·I), overdue (ref + SLA hours), critical (ref + I + 48 h) and SaaS
 * (ref + I + 36 h) thresholds, the SLA breach moment, the end of the 7-day failure
 * window, the DR test turning stale, the oldest success-rate day leaving the window.
 */
export function nextCheckAt(device: DeviceProfile, state: DeviceState, sla: SlaState, slaHours: SlaHours, now: Instant): Instant {
  let next = now + IDLE_RECHECK_MS;
  // SLA: pending/meeting turns into breach strictly after the window.
  next = earliest(next, now, (state.lastSuccessAt ?? state.enrolledAt) + sla.maxHours * HOUR + 1);
  if (isKnown(state)) {
    const ref = scheduleReference(state);
    const interval = device.intervalHours * HOUR;
    next = earliest(next, now, ref + interval + 1);
    next = earliest(next, now, ref + MISSED_SCHEDULE_INTERVALS * interval + 1);
    next = earliest(next, now, ref + interval + CRITICAL_OVERDUE_HOURS * HOUR + 1);
    if (device.kind === 'saas') next = earliest(next, now, ref + interval + SAAS_GRACE_HOURS * HOUR + 1);
    else next = earliest(next, now, ref + maxHoursFor(slaHours, device.kind) * HOUR);
    if (state.lastFailureAt !== null) next = earliest(next, now, state.lastFailureAt + 7 * DAY + 1);
    if (state.lastDrTest?.result === 'passed') next = earliest(next, now, state.lastDrTest.at + DR_TEST_FRESH_DAYS * DAY + 1);
    const firstCountedDay = Math.floor(now / DAY) - SUCCESS_RATE_DAYS;
    const oldestCounted = state.daily.find((bucket) => bucket.day >= firstCountedDay);
    if (oldestCounted) next = earliest(next, now, (oldestCounted.day + SUCCESS_RATE_DAYS + 1) * DAY);
    const age = now - ref;
    if (age > interval && age < 2 * interval + CRITICAL_OVERDUE_HOURS * HOUR) next = earliest(next, now, now + DRIFT_RECHECK_MS);
  }
  if (sla.state === 'breach') next = earliest(next, now, now + BREACH_RECHECK_MS);
  return Math.max(next, now + MIN_DELAY_MS);
}

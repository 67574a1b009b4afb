/**
 * When to look at a device again although nothing is reported: the earliest moment
 * after `now` at which one of the time-driven rules can change what core computes
 * for it (status, score band, alerts, SLA state, ticket and page decisions). Kept
 * beside the rules it follows, with a property test that nothing changes before it;
 * the sweep then costs O(due devices), not O(fleet).
 */
import { MISSED_SCHEDULE_INTERVALS, SAAS_GRACE_HOURS } from './alerts.ts';
import { isKnown, scheduleReference } from './device-facts.ts';
import { RECENT_FAILURE_DAYS } from './health-status.ts';
import { nextBusinessHoursChange } from './oncall.ts';
import { OVERDUE_TICKET_HOURS } from './psa.ts';
import { CRITICAL_OVERDUE_HOURS, DR_TEST_FRESH_DAYS, recencyZeroAge, SUCCESS_RATE_DAYS } from './score.ts';
import { scheduleBoundariesAfter, schedulePosition, type SchedulePosition } from './schedule-position.ts';
import { maxHoursFor, slaWindowEnd } from './sla.ts';
import { DAY, HOUR, type AlertInput, type Instant, type OnCallRules } from './types.ts';

/** While a device is in SLA breach, look again this often (the alert reasons name the hours). */
export const BREACH_RECHECK_MS = 5 * 60_000;
/** While the recency component falls (overdue), the score drifts: refresh it this often. */
export const DRIFT_RECHECK_MS = HOUR;
/** Otherwise look again at least daily, so the reason sentences' elapsed times stay roughly current. */
export const IDLE_RECHECK_MS = DAY;

/** What the next evaluation time depends on: the alert rules' input (active alerts aside) and the On-Call rules in force. */
export interface NextEvaluationInput extends Pick<AlertInput, 'device' | 'state' | 'sla'> {
  /** The tenant's On-Call rules; without them, page decisions are looked at with the breach re-checks only. */
  oncall?: OnCallRules | null;
}

// Module-level rather than closures: this runs for every evaluation (the sweep's hot path).
/** The earlier of `next` and `at`, counting only moments after `now`. */
function earliest(next: Instant, now: Instant, at: Instant): Instant {
  return at > now && at < next ? at : next;
}
/** The first whole millisecond at which `elapsed > limit` holds, for a limit at `at`. */
const after = (at: number): Instant => Math.floor(at) + 1;
/** The first whole millisecond at which `elapsed >= limit` holds. */
const from = (at: number): Instant => Math.ceil(at);

/**
 * The next evaluation time (> now). Candidates: the SLA breach moment; the warning
 * (ref + I), missed (ref + 1.5·I), overdue alert (ref + SLA hours), overdue ticket
 * (ref + 24 h), critical (ref + I + 48 h) and SaaS (ref + I + 36 h) thresholds; the
 * end of the recent-failure window; the DR test turning stale; the oldest
 * success-rate day leaving the window; while in breach, the page threshold and the
 * next business-hours boundary; and the periodic re-checks (breach, drift, idle).
 * Calendar schedules replace the interval thresholds with their own boundaries (the
 * run's late moment, 48 h past it, the offline alert), and the hour rules (SLA breach,
 * overdue, SaaS) start no earlier than the device is late.
 *
 * @example nextEvaluationAt({ device, state, sla: DEFAULT_SLA }, now) > now // always
 */
export function nextEvaluationAt(input: NextEvaluationInput, now: Instant, position: SchedulePosition = schedulePosition(input.device, input.state, now)): Instant {
  const { device, state, sla } = input;
  let next = now + IDLE_RECHECK_MS;
  const slaEnd = Math.max(slaWindowEnd(state, maxHoursFor(sla, device.kind)), position.ageRulesFrom - 1);
  next = earliest(next, now, after(slaEnd));
  if (position.schedule.calendar !== null) return calendarNext(input, now, position, next, slaEnd);
  const ref = scheduleReference(state);
  // Asked about any alert type, the ticket rule turns at 24 h without success, device kind regardless.
  next = earliest(next, now, from(ref + OVERDUE_TICKET_HOURS * HOUR));
  if (isKnown(state)) {
    const interval = device.intervalHours * HOUR;
    next = earliest(next, now, after(ref + interval));
    next = earliest(next, now, after(ref + MISSED_SCHEDULE_INTERVALS * interval));
    next = earliest(next, now, after(ref + interval + CRITICAL_OVERDUE_HOURS * HOUR));
    if (device.kind === 'saas') next = earliest(next, now, after(ref + interval + SAAS_GRACE_HOURS * HOUR));
    else next = earliest(next, now, from(ref + maxHoursFor(sla, device.kind) * HOUR));
    next = historyBoundary(next, now, input.state);
    const age = now - ref;
    if (age > interval && age < recencyZeroAge(device.intervalHours)) next = earliest(next, now, now + DRIFT_RECHECK_MS);
  }
  if (now > slaEnd) {
    next = earliest(next, now, now + BREACH_RECHECK_MS);
    if (input.oncall) next = nextPageBoundary(next, now, input.oncall, device.kind, slaEnd);
  }
  return next;
}

/** The same candidates for a calendar schedule: its boundaries replace the interval thresholds. */
function calendarNext(input: NextEvaluationInput, now: Instant, position: SchedulePosition, next: Instant, slaEnd: Instant): Instant {
  const { device, state, sla } = input;
  const ref = scheduleReference(state);
  const gate = position.ageRulesFrom;
  next = earliest(next, now, from(ref + OVERDUE_TICKET_HOURS * HOUR));
  for (const at of scheduleBoundariesAfter(position, now)) next = earliest(next, now, at);
  if (isKnown(state)) {
    if (device.kind === 'saas') next = earliest(next, now, from(Math.max(position.nextDue + SAAS_GRACE_HOURS * HOUR, gate)));
    else next = earliest(next, now, from(Math.max(ref + maxHoursFor(sla, device.kind) * HOUR, gate)));
    next = historyBoundary(next, now, input.state);
    // Recency falls from the late moment to 48 h past the due run: the score drifts.
    if (position.late && position.recencyElapsed < position.recencyZero) next = earliest(next, now, now + DRIFT_RECHECK_MS);
  }
  if (now > slaEnd) {
    next = earliest(next, now, now + BREACH_RECHECK_MS);
    if (input.oncall) next = nextPageBoundary(next, now, input.oncall, device.kind, slaEnd);
  }
  return next;
}

/** Moments the history's windows move whatever the schedule: the recent failure ages out, the DR test turns stale, the oldest success-rate day leaves. */
function historyBoundary(next: Instant, now: Instant, state: NextEvaluationInput['state']): Instant {
  if (state.lastFailureAt !== null) next = earliest(next, now, after(state.lastFailureAt + RECENT_FAILURE_DAYS * DAY));
  if (state.lastDrTest?.result === 'passed') next = earliest(next, now, after(state.lastDrTest.at + DR_TEST_FRESH_DAYS * DAY));
  const firstCountedDay = Math.floor(now / DAY) - SUCCESS_RATE_DAYS;
  for (const bucket of state.daily) {
    if (bucket.day < firstCountedDay) continue;
    return earliest(next, now, (bucket.day + SUCCESS_RATE_DAYS + 1) * DAY);
  }
  return next;
}

/** While in breach: the moment the breach passes the page threshold, or after it the next business-hours boundary. */
function nextPageBoundary(next: Instant, now: Instant, rules: OnCallRules, kind: NextEvaluationInput['device']['kind'], breachSince: Instant): Instant {
  if (!rules.enabled || !rules.deviceKinds.includes(kind)) return next;
  const thresholdAt = after(breachSince + rules.breachHoursThreshold * HOUR);
  if (thresholdAt > now) return earliest(next, now, thresholdAt);
  const change = nextBusinessHoursChange(now, rules.businessHours, next);
  return change === null ? next : earliest(next, now, change);
}

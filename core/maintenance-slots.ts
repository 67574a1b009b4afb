/**
 * Scheduled runs during maintenance (§14): a slot whose time lies inside a window is
 * not missed; like a skipped run, the next slot outside the windows becomes the one
 * the device owes. Interval schedules (Part I) have no slots: their schedule alerts
 * simply wait for the window's end (`gateTransitions`) and are evaluated then.
 */
import type { SchedulePosition } from './schedule-position.ts';
import { CRITICAL_OVERDUE_HOURS } from './score.ts';
import { HOUR, type Instant } from './types.ts';

/** Slots followed past covered ones at most (a window of a week over an hourly schedule is 168). */
const MAX_SKIPPED_SLOTS = 1_000;

/**
 * The position with every slot covered by maintenance (`covered(slot)`) skipped:
 * `nextDue` moves to the first slot outside the windows, and what follows from it
 * (late, overdue, when the hour rules apply, recency) with it. Unchanged for
 * interval schedules and when the owed slot is not covered.
 */
export function skipMaintenanceSlots(position: SchedulePosition, covered: (slot: Instant) => boolean, now: Instant): SchedulePosition {
  const calendar = position.schedule.calendar;
  if (calendar === null) return position;
  let nextDue = position.nextDue;
  for (let step = 0; step < MAX_SKIPPED_SLOTS && Number.isFinite(nextDue) && covered(nextDue); step++) nextDue = calendar.slotAfter(nextDue) ?? Infinity;
  if (nextDue === position.nextDue) return position;
  const lateAt = nextDue + position.schedule.graceMs;
  const late = now >= lateAt;
  return {
    ...position,
    nextDue,
    lateAt,
    late,
    overdue: late,
    criticallyOverdue: late && now - nextDue > CRITICAL_OVERDUE_HOURS * HOUR,
    ageRulesFrom: lateAt,
    recencyElapsed: now - nextDue,
  };
}

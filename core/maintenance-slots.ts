/**
 * Scheduled runs during maintenance (docs/alert-workflow.md): a slot whose time lies inside a window is
 * not missed; like a skipped run, the next slot outside the windows becomes the one
 * the device owes. Interval schedules (Part I) have no slots: their schedule alerts
 * simply wait for the window's end (`gateTransitions`) and are evaluated then.
 */
import { calendarDue, type SchedulePosition } from './schedule-position.ts';
import type { Instant } from './types.ts';

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
  return { ...position, ...calendarDue(nextDue, position.schedule.graceMs, now) };
}

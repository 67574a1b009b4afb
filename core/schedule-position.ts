/**
 * Where a device stands against its schedule at `now`: computed once per evaluation
 * and read by every time-driven rule (status, recency, alerts, SLA), so the rules
 * never ask which kind of schedule they are looking at.
 *
 * Interval schedules keep Part I: the next run is due one interval after the last
 * success; Warning past it, missed past 1.5 intervals, Critical 48 h past it.
 * Calendar schedules: `nextDue` is the earliest slot `s` with `s − grace > lastSuccess`
 * (with no success yet: after the first job, else after enrolment). The device is
 * late when `now ≥ nextDue + grace`; only while late do the hour rules (overdue,
 * SaaS overdue, SLA breach) apply, Critical when `now − nextDue > 48 h`. With offline
 * skipping (workstations), a slot whose window `[s − grace, s + grace]` saw no sign of
 * life is skipped: the next slot becomes `nextDue`.
 */
import { scheduleReference } from './device-facts.ts';
import { formatHours, formatUtc, plural } from './format.ts';
import { compiledScheduleOf, type CompiledSchedule } from './schedule-compiled.ts';
import { INTERVAL_GRACE_SHARE } from './schedule-spec.ts';
import { CRITICAL_OVERDUE_HOURS } from './score.ts';
import { HOUR, type DeviceProfile, type DeviceState, type Instant } from './types.ts';

/** A device's place in its schedule at one evaluation time. */
export interface SchedulePosition {
  readonly schedule: CompiledSchedule;
  /** The last success, else the first job, else enrolment. */
  readonly reference: Instant;
  /** When the run the device owes is due; Infinity when a calendar never comes due. */
  readonly nextDue: Instant;
  /** When that run counts as missed: nextDue + grace (interval: reference + 1.5 × interval). */
  readonly lateAt: Instant;
  /** The run is missed (calendar: now ≥ lateAt; interval: now > lateAt). */
  readonly late: boolean;
  /** Behind schedule, for the Warning status (interval: past the interval; calendar: late). */
  readonly overdue: boolean;
  /** Behind schedule by more than 48 h past nextDue. */
  readonly criticallyOverdue: boolean;
  /** The hour rules (overdue, SaaS overdue, SLA breach) hold only from here on (interval: always). */
  readonly ageRulesFrom: Instant;
  /** Recency: full credit while `recencyElapsed ≤ recencyFull`, none from `recencyZero` (all ms). */
  readonly recencyElapsed: number;
  readonly recencyFull: number;
  readonly recencyZero: number;
  /** Newest sign of life (never earlier than enrolment). */
  readonly lastSeenAt: Instant;
  /** With offline skipping: since when the device has been silent through at least one run; else null. */
  readonly offlineSince: Instant | null;
  /** With offline skipping: when `device_offline` applies (lastSeenAt + alertAfterDays); else null. */
  readonly offlineAlertAt: Instant | null;
}

/**
 * What follows from the run a calendar schedule owes at `nextDue`: late after the grace,
 * critically overdue past CRITICAL_OVERDUE_HOURS, the hour rules counted from lateness and
 * recency from the due time. Shared by the position and by maintenance, which moves `nextDue`.
 */
export function calendarDue(nextDue: Instant, graceMs: number, now: Instant) {
  const lateAt = nextDue + graceMs;
  const late = now >= lateAt;
  return {
    nextDue,
    lateAt,
    late,
    overdue: late,
    criticallyOverdue: late && now - nextDue > CRITICAL_OVERDUE_HOURS * HOUR,
    ageRulesFrom: lateAt,
    recencyElapsed: now - nextDue,
  };
}

/** Whether runs the device sleeps through are skipped (docs/schedules.md: workstations on a calendar policy with offline skipping). */
export function skipsWhenOffline(device: DeviceProfile, schedule: CompiledSchedule = compiledScheduleOf(device)): boolean {
  return schedule.skipWhenOffline && device.kind === 'workstation';
}

/** The position of a device at `now`; pure and cheap (one or two binary searches over memoised slots). */
export function schedulePosition(device: DeviceProfile, state: DeviceState, now: Instant): SchedulePosition {
  const schedule = compiledScheduleOf(device);
  const reference = scheduleReference(state);
  const lastSeenAt = Math.max(state.enrolledAt, state.lastSeenAt ?? state.enrolledAt, state.lastCompletedAt ?? state.enrolledAt, state.lastCheckinAt ?? state.enrolledAt);
  if (schedule.calendar === null) return intervalPosition(schedule, reference, lastSeenAt, now);

  const calendar = schedule.calendar;
  const grace = schedule.graceMs;
  const skipping = skipsWhenOffline(device, schedule);
  const first = calendar.slotAfter(reference + grace) ?? Infinity;
  let nextDue = first;
  let offlineSince: Instant | null = null;
  if (skipping) {
    const attended = state.attendedSlot !== null && state.attendedSlot >= first ? state.attendedSlot : null;
    // Without an attended run, every slot whose window has closed was skipped: the first open one is due.
    nextDue = attended ?? calendar.slotAfter(Math.max(reference + grace, now - grace)) ?? Infinity;
    const firstUnseen = calendar.slotAfter(Math.max(reference, lastSeenAt) + grace);
    if (firstUnseen !== null && firstUnseen + grace <= now) offlineSince = lastSeenAt;
  }
  return {
    schedule,
    reference,
    ...calendarDue(nextDue, grace, now),
    recencyFull: grace,
    recencyZero: CRITICAL_OVERDUE_HOURS * HOUR,
    lastSeenAt,
    offlineSince,
    offlineAlertAt: skipping ? lastSeenAt + schedule.offlineAlertMs! : null,
  };
}

/** Part I, in Part I's own arithmetic (so results stay identical to the last bit). */
function intervalPosition(schedule: CompiledSchedule, reference: Instant, lastSeenAt: Instant, now: Instant): SchedulePosition {
  const hours = schedule.intervalHours!;
  const interval = hours * HOUR;
  const age = now - reference;
  const lateAt = reference + (1 + INTERVAL_GRACE_SHARE) * interval;
  return {
    schedule,
    reference,
    nextDue: reference + interval,
    lateAt,
    late: age > (1 + INTERVAL_GRACE_SHARE) * interval,
    overdue: age > interval,
    criticallyOverdue: age > (hours + CRITICAL_OVERDUE_HOURS) * HOUR,
    ageRulesFrom: -Infinity,
    recencyElapsed: age,
    recencyFull: interval,
    recencyZero: 2 * interval + CRITICAL_OVERDUE_HOURS * HOUR,
    lastSeenAt,
    offlineSince: null,
    offlineAlertAt: null,
  };
}

/** How many runs were skipped while the device has been offline (0 when it is not). */
export function skippedRuns(position: SchedulePosition, now: Instant): number {
  const { offlineSince, schedule } = position;
  if (offlineSince === null || schedule.calendar === null) return 0;
  const grace = schedule.graceMs;
  return schedule.calendar.countBetween(Math.max(position.reference, offlineSince) + grace, now - grace);
}

/** "Offline since 2026-11-20 17:00 UTC; 3 runs skipped". */
export function offlineReason(position: SchedulePosition, now: Instant): string {
  return `Offline since ${formatUtc(position.offlineSince ?? position.lastSeenAt)}; ${plural(skippedRuns(position, now), 'run')} skipped`;
}

/** Why a device is behind: "policy every 4 h", or "run due 2026-11-23 21:00 UTC missed; Mon–Fri at 22:00 …". */
export function behindScheduleNote(position: SchedulePosition): string {
  const { schedule } = position;
  if (schedule.calendar === null) return `policy every ${formatHours(schedule.intervalHours!)}`;
  return `run due ${dueText(position.nextDue)} missed; ${schedule.text}`;
}

// Devices on one schedule share their due slots, and every evaluation words its
// reasons: formatting each slot once keeps the sentences off the sweep's bill.
const dueTexts = new Map<Instant, string>();
const MAX_DUE_TEXTS = 4_096;

function dueText(at: Instant): string {
  let text = dueTexts.get(at);
  if (text === undefined) {
    text = formatUtc(at);
    if (dueTexts.size >= MAX_DUE_TEXTS) dueTexts.clear();
    dueTexts.set(at, text);
  }
  return text;
}

/** Why a device is on schedule: "within the 4 h schedule", or "next run due … (Mon–Fri at 22:00 …)". */
export function onScheduleNote(position: SchedulePosition): string {
  const { schedule } = position;
  if (schedule.calendar === null) return `within the ${formatHours(schedule.intervalHours!)} schedule`;
  const due = Number.isFinite(position.nextDue) ? `next run due ${dueText(position.nextDue)}` : 'no run due';
  return `${due} (${schedule.text})`;
}

/**
 * The moments after `now` at which a schedule-driven rule can change for a device at
 * this position, ascending: the run counting as missed, turning critical, the offline
 * alert, and (interval) turning overdue. A device needs no evaluation between them
 * for its schedule's sake: the next-check computation takes the earliest.
 */
export function scheduleBoundariesAfter(position: SchedulePosition, now: Instant): Instant[] {
  const critical = CRITICAL_OVERDUE_HOURS * HOUR;
  const candidates =
    position.schedule.calendar === null
      ? [position.nextDue + 1, position.lateAt + 1, position.nextDue + critical + 1]
      : [position.lateAt, position.nextDue + critical + 1];
  if (position.offlineAlertAt !== null) candidates.push(position.offlineAlertAt);
  return candidates.filter((at) => at > now && Number.isFinite(at)).sort((a, b) => a - b);
}

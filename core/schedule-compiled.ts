/**
 * A policy's schedule made ready for evaluation: its slot calendar, grace, options and
 * text, compiled once and shared by every device and evaluation that uses it.
 */
import { calendarRuleOf } from './schedule-calendar.ts';
import { ScheduleProblem } from './schedule-problem.ts';
import { SlotCalendar } from './schedule-slots.ts';
import {
  DEFAULT_OFFLINE_ALERT_DAYS,
  graceMsOf,
  intervalSchedule,
  isCalendar,
  MERGE_MODES,
  MERGE_RULES,
  type DeviceSchedule,
  type MergeMode,
  type MergeRule,
} from './schedule-spec.ts';
import { describeSchedule } from './schedule-text.ts';
import { DAY, HOUR, type DeviceProfile, type Instant } from './types.ts';
import { isTimeZone } from './clock-time.ts';

/** A schedule ready for evaluation. */
export interface CompiledSchedule {
  readonly policy: DeviceSchedule;
  /** The calendar's slots; null for an interval schedule. */
  readonly calendar: SlotCalendar | null;
  /** The interval in hours; null for calendar schedules. */
  readonly intervalHours: number | null;
  readonly graceMs: number;
  /** Calendar schedules that skip runs a workstation was off for. */
  readonly skipWhenOffline: boolean;
  /** Time without a sign of life before `device_offline` (with skipping only). */
  readonly offlineAlertMs: number | null;
  readonly merge: MergeMode;
  readonly mergeRule: MergeRule;
  /** In words: "Mon–Fri at 22:00 Europe/Berlin, 4 h grace". */
  readonly text: string;
}

/** A problem with a schedule, naming the field ("schedule.times[1]", "timezone"). */
export interface ScheduleFieldProblem {
  field: string;
  message: string;
}

const MAX_GRACE_HOURS = 168;
const MAX_INTERVAL_HOURS = 8_760;
const MAX_OFFLINE_ALERT_DAYS = 365;
/** Compiled schedules kept by content; cleared when it grows past this (policies × timezones). */
const MAX_MEMOISED = 2_000;

const byObject = new WeakMap<DeviceSchedule, CompiledSchedule>();
const byContent = new Map<string, CompiledSchedule>();
const byInterval = new Map<number, CompiledSchedule>();
const calendars = new Map<string, SlotCalendar>();

/**
 * The compiled schedule of a device: its profile's schedule, else an interval
 * schedule of `intervalHours` (Part I). Memoised per schedule object and per content.
 * Throws a `ScheduleProblem` for a schedule `scheduleProblems` would refuse.
 */
export function compiledScheduleOf(device: DeviceProfile): CompiledSchedule {
  if (device.schedule) return compileSchedule(device.schedule);
  let compiled = byInterval.get(device.intervalHours);
  if (!compiled) {
    compiled = compile(intervalSchedule(device.intervalHours));
    if (byInterval.size >= MAX_MEMOISED) byInterval.clear();
    byInterval.set(device.intervalHours, compiled);
  }
  return compiled;
}

/** The compiled form of a policy's schedule (memoised). Throws a `ScheduleProblem`. */
export function compileSchedule(policy: DeviceSchedule): CompiledSchedule {
  let compiled = byObject.get(policy);
  if (compiled) return compiled;
  const key = JSON.stringify([policy.schedule, policy.timezone, policy.graceHours ?? null, policy.offline ?? null, policy.merge ?? null, policy.mergeRule ?? null]);
  compiled = byContent.get(key);
  if (!compiled) {
    compiled = compile(policy);
    if (byContent.size >= MAX_MEMOISED) byContent.clear();
    byContent.set(key, compiled);
  }
  byObject.set(policy, compiled);
  return compiled;
}

/**
 * Everything wrong with a schedule, each naming its field; empty when it is usable.
 * Checks the kind, interval hours, days, times, cron line, timezone, that a calendar
 * schedule runs at all, grace (0 < h ≤ 168), offline (calendar only, 1–365 days) and
 * the merge options.
 */
export function scheduleProblems(policy: DeviceSchedule): ScheduleFieldProblem[] {
  const problems: ScheduleFieldProblem[] = [];
  const { schedule } = policy;
  if (policy.graceHours != null && !(Number.isFinite(policy.graceHours) && policy.graceHours > 0 && policy.graceHours <= MAX_GRACE_HOURS)) {
    problems.push({ field: 'graceHours', message: `Grace must be more than 0 and at most ${MAX_GRACE_HOURS} hours` });
  }
  if (policy.merge !== undefined && !MERGE_MODES.includes(policy.merge)) problems.push({ field: 'merge', message: `Merge must be one of ${MERGE_MODES.join(', ')}` });
  if (policy.mergeRule !== undefined && !MERGE_RULES.includes(policy.mergeRule)) {
    problems.push({ field: 'mergeRule', message: `Merge rule must be one of ${MERGE_RULES.join(', ')}` });
  }
  const offline = policy.offline;
  if (offline?.skipWhenOffline && schedule.kind === 'interval') {
    problems.push({ field: 'offline', message: 'Offline skipping applies to calendar schedules only (weekly, monthly, cron)' });
  }
  if (offline && !(Number.isInteger(offline.alertAfterDays) && offline.alertAfterDays >= 1 && offline.alertAfterDays <= MAX_OFFLINE_ALERT_DAYS)) {
    problems.push({ field: 'offline.alertAfterDays', message: `Days before the offline alert must be a whole number 1–${MAX_OFFLINE_ALERT_DAYS}` });
  }
  if (schedule.kind === 'interval') {
    if (!(Number.isFinite(schedule.hours) && schedule.hours > 0 && schedule.hours <= MAX_INTERVAL_HOURS)) {
      problems.push({ field: 'schedule.hours', message: `Interval hours must be more than 0 and at most ${MAX_INTERVAL_HOURS}` });
    }
    return problems;
  }
  if (!isCalendar(schedule)) return [...problems, { field: 'schedule.kind', message: 'Schedule kind must be one of interval, weekly, monthly, cron' }];
  if (!isTimeZone(policy.timezone)) problems.push({ field: 'timezone', message: `"${policy.timezone}" is not an IANA timezone (e.g. Europe/Berlin)` });
  try {
    const rule = calendarRuleOf(schedule);
    if (problems.length === 0 && new SlotCalendar(rule, policy.timezone).slotAfter(Date.UTC(2000, 0, 1)) === null) {
      problems.push({ field: 'schedule', message: 'The schedule never comes due (no run within eight years)' });
    }
  } catch (error) {
    if (!(error instanceof ScheduleProblem)) throw error;
    problems.push({ field: error.field, message: error.message });
  }
  return problems;
}

/** The first slot strictly after `at` (calendar schedules), or after `at` by one interval. */
export function nextSlotAfter(compiled: CompiledSchedule, at: Instant): Instant | null {
  if (compiled.calendar) return compiled.calendar.slotAfter(at);
  return at + compiled.intervalHours! * HOUR;
}

function compile(policy: DeviceSchedule): CompiledSchedule {
  const problem = scheduleProblems(policy)[0];
  if (problem) throw new ScheduleProblem(problem.field, problem.message);
  const { schedule } = policy;
  const graceMs = graceMsOf(policy);
  const calendar = isCalendar(schedule) ? calendarOf(policy) : null;
  const skipWhenOffline = calendar !== null && policy.offline?.skipWhenOffline === true;
  return {
    policy,
    calendar,
    intervalHours: schedule.kind === 'interval' ? schedule.hours : null,
    graceMs,
    skipWhenOffline,
    offlineAlertMs: skipWhenOffline ? (policy.offline?.alertAfterDays ?? DEFAULT_OFFLINE_ALERT_DAYS) * DAY : null,
    merge: policy.merge ?? 'each-job',
    mergeRule: policy.mergeRule ?? 'last',
    text: describeSchedule(schedule, policy.timezone, graceMs),
  };
}

/** One slot calendar per (calendar schedule, timezone), whatever the policy's other options. */
function calendarOf(policy: DeviceSchedule): SlotCalendar {
  const key = JSON.stringify([policy.schedule, policy.timezone]);
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = new SlotCalendar(calendarRuleOf(policy.schedule as Exclude<DeviceSchedule['schedule'], { kind: 'interval' }>), policy.timezone);
    if (calendars.size >= MAX_MEMOISED) calendars.clear();
    calendars.set(key, calendar);
  }
  return calendar;
}


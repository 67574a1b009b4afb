/**
 * Maintenance windows as time: a one-off `[start, end)` or a weekly/monthly recurrence
 * read in a timezone, and the concrete occurrences that follow from it. Scope (which
 * devices a window covers) lives in `maintenance.ts`.
 */
import { type Instant } from './types.ts';
import { addDays, isoWeekday, parseClock, zonedInstant, type LocalDate } from './zoned-time.ts';

const MINUTE = 60_000;

/** A half-open span of time `[start, end)`: `end` itself is outside. */
export interface TimeRange {
  start: Instant;
  end: Instant;
}

/**
 * A recurring start. Weekly `days` are ISO weekdays (1 Monday – 7 Sunday); monthly
 * `days` are 1–31 or -1 for the month's last day (a day a month lacks, such as the
 * 31st in April, does not occur that month). `start` is the local "HH:MM";
 * `durationMinutes` is elapsed time, so a window that spans a DST change lasts as
 * long as on any other day.
 */
export interface Recurrence {
  days: number[];
  start: string;
  durationMinutes: number;
}

/** When a window applies: once, or every week / month in an IANA timezone. */
export type MaintenanceTiming =
  | { start: Instant; end: Instant }
  | { weekly: Recurrence; timezone: string }
  | { monthly: Recurrence; timezone: string };

/** The longest recurring window: a week. Keeps every occurrence search bounded. */
export const MAX_MAINTENANCE_MINUTES = 7 * 24 * 60;
/** How far ahead a recurrence is searched for its next start (any valid monthly day occurs within two months). */
const SEARCH_DAYS = 400;
/** Local time is within 14 h of UTC (Kiribati, Line Islands); one more hour for a DST skip. */
const UTC_SPREAD = 15 * 60 * MINUTE;

/** The weekly or monthly rule of a recurring timing, null for a one-off window. */
export function recurrenceOf(timing: MaintenanceTiming): Recurrence | null {
  return recurring(timing)?.rule ?? null;
}

/** Every occurrence of the window that overlaps `[from, to)`, in start order. */
export function occurrencesBetween(timing: MaintenanceTiming, from: Instant, to: Instant): TimeRange[] {
  const zoned = recurring(timing);
  if (zoned === null) {
    const { start, end } = timing as OneOff;
    return start < to && end > from ? [{ start, end }] : [];
  }
  const duration = zoned.rule.durationMinutes * MINUTE;
  const minutes = parseClock(zoned.rule.start);
  // Local dates lie within UTC_SPREAD of the UTC ones, so UTC dates bound the search.
  const last = dayNumber(utcDate(to + UTC_SPREAD));
  const found: TimeRange[] = [];
  for (let date = utcDate(from - duration - UTC_SPREAD); dayNumber(date) <= last; date = addDays(date, 1)) {
    if (!occursOn(zoned, date)) continue;
    // Cheap test first: most days need no timezone arithmetic at all.
    const wall = dayNumber(date) + minutes * MINUTE;
    if (wall - UTC_SPREAD >= to || wall + UTC_SPREAD + duration <= from) continue;
    const start = startOn(date, minutes, zoned.timezone);
    if (start < to && start + duration > from) found.push({ start, end: start + duration });
  }
  return found;
}

/** The first start strictly after `after`, or null when there is none (a past one-off window). */
export function nextStartAfter(timing: MaintenanceTiming, after: Instant): Instant | null {
  const zoned = recurring(timing);
  if (zoned === null) {
    const { start } = timing as OneOff;
    return start > after ? start : null;
  }
  const minutes = parseClock(zoned.rule.start);
  let date = utcDate(after - UTC_SPREAD);
  for (let day = 0; day < SEARCH_DAYS; day++, date = addDays(date, 1)) {
    if (!occursOn(zoned, date)) continue;
    const start = startOn(date, minutes, zoned.timezone);
    if (start > after) return start;
  }
  return null;
}

/**
 * The next `count` occurrences that have not ended by `now` (the current one first,
 * when the window is on): what a settings list shows.
 */
export function upcomingOccurrences(timing: MaintenanceTiming, now: Instant, count: number): TimeRange[] {
  const result = occurrencesBetween(timing, now, now + 1);
  let after = now;
  while (result.length < count) {
    const start = nextStartAfter(timing, after);
    if (start === null) break;
    const [occurrence] = occurrencesBetween(timing, start, start + 1).filter((candidate) => candidate.start === start);
    if (occurrence && !result.some((known) => known.start === start)) result.push(occurrence);
    after = start;
  }
  return result.slice(0, count);
}

type OneOff = { start: Instant; end: Instant };
interface ZonedRule {
  weekly: boolean;
  rule: Recurrence;
  timezone: string;
}

/** The recurrence of a timing and its zone, null for a one-off window. */
function recurring(timing: MaintenanceTiming): ZonedRule | null {
  // Checked by value, not by key: an edge validator may leave absent options as undefined.
  if ('weekly' in timing && timing.weekly) return { weekly: true, rule: timing.weekly, timezone: timing.timezone };
  if ('monthly' in timing && timing.monthly) return { weekly: false, rule: timing.monthly, timezone: timing.timezone };
  return null;
}

function occursOn({ weekly, rule }: ZonedRule, date: LocalDate): boolean {
  if (weekly) return rule.days.includes(isoWeekday(date));
  return rule.days.includes(date.day) || (rule.days.includes(-1) && addDays(date, 1).day === 1);
}

/**
 * `zonedInstant`, remembered: windows are worked out again for every device they may
 * cover and every evaluation, always for the same few dates. Bounded; the answer
 * depends on nothing but its arguments.
 */
const starts = new Map<string, Instant>();
const STARTS_KEPT = 10_000;

function startOn(date: LocalDate, minutes: number, timeZone: string): Instant {
  const key = `${timeZone} ${dayNumber(date)} ${minutes}`;
  let start = starts.get(key);
  if (start === undefined) {
    if (starts.size >= STARTS_KEPT) starts.clear();
    start = zonedInstant(date, minutes, timeZone);
    starts.set(key, start);
  }
  return start;
}

function utcDate(at: Instant): LocalDate {
  const date = new Date(at);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function dayNumber(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day);
}

/**
 * Wall-clock time in an IANA timezone, through `Intl.DateTimeFormat` so DST follows
 * the platform's tz database (no hand-rolled offsets).
 */
import { CLOCK_TIME_PATTERN } from './clock-time.ts';
import { DAY, HOUR, type Instant } from './types.ts';

/** A calendar date; `month` is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A local date and time; `weekday` is ISO (1 Monday – 7 Sunday). */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock date and time at `at` in `timeZone`. Throws RangeError for an unknown zone. */
export function localDateTime(at: Instant, timeZone: string): LocalDateTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const date = { year: fields.year!, month: fields.month!, day: fields.day! };
  return { ...date, hour: fields.hour! % 24, minute: fields.minute!, second: fields.second!, weekday: isoWeekday(date) };
}

/** ISO weekday of a calendar date: 1 Monday – 7 Sunday. */
export function isoWeekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() || 7;
}

/** The calendar date `days` later (or earlier, when negative). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Minutes after midnight of "HH:MM" (00:00 – 24:00, `CLOCK_TIME_PATTERN`). Throws RangeError otherwise. */
export function parseClock(clock: string): number {
  const match = CLOCK_TIME_PATTERN.exec(clock);
  if (!match) throw new RangeError(`Invalid time "${clock}", expected HH:MM`);
  return match[1] === undefined ? 24 * 60 : Number(match[1]) * 60 + Number(match[2]);
}


/**
 * The instant at which the wall clock in `timeZone` shows `date` at `minutes` after
 * midnight. A time skipped by a spring-forward change maps to the first valid instant
 * after it (the change itself); a time repeated by an autumn change maps to its first
 * occurrence.
 */
export function zonedInstant(date: LocalDate, minutes: number, timeZone: string): Instant {
  const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const offsets = [offsetAt(wall - DAY, timeZone), offsetAt(wall + DAY, timeZone)];
  const matches = offsets.map((offset) => wall - offset).filter((at) => wallClock(at, timeZone) === wall);
  if (matches.length > 0) return Math.min(...matches);
  // Skipped wall time: binary-search the first instant whose wall clock reaches it.
  let low = wall - Math.max(...offsets) - 6 * HOUR;
  let high = wall - Math.min(...offsets) + 6 * HOUR;
  while (high - low > 1) {
    const middle = low + Math.floor((high - low) / 2);
    if (wallClock(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/** The wall clock at `at`, read as if it were UTC (epoch ms). */
function wallClock(at: Instant, timeZone: string): number {
  const local = localDateTime(at, timeZone);
  const millis = ((at % 1000) + 1000) % 1000;
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) + millis;
}

/** The UTC offset in ms in force at `at` in `timeZone` (wall clock minus UTC). */
export function offsetAt(at: Instant, timeZone: string): number {
  return wallClock(at, timeZone) - at;
}

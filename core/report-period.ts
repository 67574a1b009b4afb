/**
 * The periods a compliance report can name, as instants: the last 30 days, or the
 * previous calendar month or quarter in a timezone (a client's, for its report), so
 * that "October" means the client's October, DST included.
 */
import { addDays, localDateTime, zonedInstant } from './zoned-time.ts';
import { DAY, type Instant } from './types.ts';

export type ReportPeriodName = '30d' | 'month' | 'quarter';
export const REPORT_PERIODS: readonly ReportPeriodName[] = ['30d', 'month', 'quarter'];

/** `[from, to)` of a named period as seen at `now` in `timeZone`. */
export function reportPeriod(name: ReportPeriodName, now: Instant, timeZone: string): { from: Instant; to: Instant } {
  if (name === '30d') return { from: now - 30 * DAY, to: now };
  const today = localDateTime(now, timeZone);
  const months = name === 'month' ? 1 : 3;
  // The first month of the current month or quarter, then the one before it.
  const currentStart = name === 'month' ? today.month : today.month - ((today.month - 1) % 3);
  const start = addMonths({ year: today.year, month: currentStart }, -months);
  const end = addMonths(start, months);
  return { from: zonedInstant({ ...start, day: 1 }, 0, timeZone), to: zonedInstant({ ...end, day: 1 }, 0, timeZone) };
}

/** A calendar day as `YYYY-MM-DD` (what a date picker gives). */
export const LOCAL_DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * `[from, to)` of whole local days in `timeZone`: from 00:00 on `firstDay` to 24:00 on
 * `lastDay` (inclusive), so a custom period means the client's days, not UTC's; a day
 * with a DST change is 23 or 25 hours long. Throws RangeError for a malformed day.
 */
export function localDaysPeriod(firstDay: string, lastDay: string, timeZone: string): { from: Instant; to: Instant } {
  return { from: zonedInstant(parseLocalDay(firstDay), 0, timeZone), to: zonedInstant(addDays(parseLocalDay(lastDay), 1), 0, timeZone) };
}

function parseLocalDay(day: string): { year: number; month: number; day: number } {
  const match = LOCAL_DAY_PATTERN.exec(day);
  const date = match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : null;
  // Round-tripping through addDays rejects 2026-02-30 and the like.
  const same = date && addDays(date, 0);
  if (!date || !same || same.year !== date.year || same.month !== date.month || same.day !== date.day) throw new RangeError(`Invalid day "${day}", expected YYYY-MM-DD`);
  return date;
}

function addMonths(at: { year: number; month: number }, months: number): { year: number; month: number } {
  const index = at.year * 12 + (at.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * `[from, to)` cut into weeks of 7 local days in `timeZone`, the first starting at
 * `from` (the last one shorter when the period is not whole weeks): the buckets of a
 * period report's weekly chart. A week across a DST change is 167 or 169 hours.
 */
export function periodWeeks(from: Instant, to: Instant, timeZone: string): { from: Instant; to: Instant }[] {
  const start = localDateTime(from, timeZone);
  const minutes = start.hour * 60 + start.minute;
  const weeks: { from: Instant; to: Instant }[] = [];
  let at = from;
  for (let week = 1; at < to; week++) {
    const next = Math.min(to, zonedInstant(addDays(start, 7 * week), minutes, timeZone));
    // A local time that does not exist (inside a DST gap) must still move forward.
    const end = next > at ? next : Math.min(to, at + 7 * DAY);
    weeks.push({ from: at, to: end });
    at = end;
  }
  return weeks;
}

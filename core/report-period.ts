/**
 * The periods a compliance report can name, as instants: the last 30 days, or the
 * previous calendar month or quarter in a timezone (a client's, for its report), so
 * that "October" means the client's October, DST included.
 */
import { localDateTime, zonedInstant } from './zoned-time.ts';
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

function addMonths(at: { year: number; month: number }, months: number): { year: number; month: number } {
  const index = at.year * 12 + (at.month - 1) + months;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/**
 * When a client's monthly report is due (docs/reports.md): on day `day` at `hour`:00 of each
 * month in the client's timezone, reporting the calendar month before. Pure: the BFF
 * claims each (client, month) once.
 */
import { reportPeriod } from './report-period.ts';
import type { Instant } from './types.ts';
import { localDateTime, zonedInstant } from './zoned-time.ts';

export interface MonthlySchedule {
  /** 1–28, so that every month has it. */
  day: number;
  /** 0–23. */
  hour: number;
}

export interface MonthlySlot {
  /** When the report is due. */
  slotAt: Instant;
  /** The month reported, `YYYY-MM` in the client's calendar: the one before the slot's. */
  monthKey: string;
  /** That month as instants, `[from, to)`. */
  from: Instant;
  to: Instant;
}

/**
 * The newest slot at or before `now`: this month's when it has passed, else last
 * month's. After downtime only this newest slot is owed (older months stay
 * downloadable as PDFs; see docs/reports.md).
 */
export function latestMonthlySlot(now: Instant, schedule: MonthlySchedule, timeZone: string): MonthlySlot {
  const today = localDateTime(now, timeZone);
  let slotAt = zonedInstant({ year: today.year, month: today.month, day: schedule.day }, schedule.hour * 60, timeZone);
  if (slotAt > now) {
    const index = today.year * 12 + today.month - 2;
    slotAt = zonedInstant({ year: Math.floor(index / 12), month: (index % 12) + 1, day: schedule.day }, schedule.hour * 60, timeZone);
  }
  const { from, to } = reportPeriod('month', slotAt, timeZone);
  const start = localDateTime(from, timeZone);
  return { slotAt, monthKey: `${start.year}-${String(start.month).padStart(2, '0')}`, from, to };
}

import { round1 } from './format.ts';
import { DAY, WEEKDAYS, type HealthStatus, type Instant, type Weekday, type WeeklySchedule } from './types.ts';
import { addDays, isoWeekday, localDateTime, parseClock, zonedInstant, type LocalDate } from './zoned-time.ts';

/** ISO weekday (1 Monday – 7 Sunday) of a delivery day: its place in the one list of weekdays. */
const isoWeekdayOf = (day: Weekday): number => WEEKDAYS.indexOf(day) + 1;

/** How many devices the report lists as the lowest scores. */
export const LOWEST_SCORES_COUNT = 5;

/**
 * The newest scheduled delivery time at or before `now` (DST-correct in the schedule's
 * timezone). A delivery time skipped by a spring-forward change falls on the first valid
 * instant after it; one repeated in autumn falls on its first occurrence.
 */
export function latestDeliverySlot(now: Instant, schedule: WeeklySchedule): Instant {
  return latestSlot(now, schedule).slot;
}

/** The next scheduled delivery time strictly after `now`. */
export function nextDeliverySlot(now: Instant, schedule: WeeklySchedule): Instant {
  let { date } = latestSlot(now, schedule);
  let slot: Instant;
  do {
    date = addDays(date, 7);
    slot = slotOn(date, schedule);
  } while (slot <= now);
  return slot;
}

/** ISO week of a slot in the schedule's timezone, e.g. "2026-W48": the once-per-week key. */
export function deliveryWeekKey(slot: Instant, timezone: string): string {
  const local = localDateTime(slot, timezone);
  // The ISO week belongs to the year of its Thursday.
  const thursday = addDays(local, 4 - isoWeekday(local));
  const dayOfYear = (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / DAY;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${thursday.year}-W${String(week).padStart(2, '0')}`;
}

function latestSlot(now: Instant, schedule: WeeklySchedule): { date: LocalDate; slot: Instant } {
  const today = localDateTime(now, schedule.timezone);
  let date = addDays(today, -((today.weekday - isoWeekdayOf(schedule.deliveryDay) + 7) % 7));
  let slot = slotOn(date, schedule);
  while (slot > now) {
    date = addDays(date, -7);
    slot = slotOn(date, schedule);
  }
  return { date, slot };
}

function slotOn(date: LocalDate, schedule: WeeklySchedule): Instant {
  return zonedInstant(date, parseClock(schedule.deliveryTime), schedule.timezone);
}

export interface WeeklyReportDevice {
  device: { id: string; name: string };
  client: { id: string; name: string };
  status: HealthStatus;
  score: number;
}

export interface WeeklyReportInput<A> {
  periodStart: Instant;
  periodEnd: Instant;
  devices: readonly WeeklyReportDevice[];
  /** Completed jobs that ended inside the period. */
  jobs: { completed: number; successful: number };
  /** Critical alerts first triggered (or escalated to critical) inside the period. */
  newCriticalAlerts: readonly A[];
  /** Total used bytes per day (YYYY-MM-DD, ascending). */
  storageByDay: readonly { date: string; usedBytes: number }[];
}

export interface WeeklyReport<A> {
  periodStart: Instant;
  periodEnd: Instant;
  totals: { devices: number; healthy: number; warning: number; critical: number; unknown: number };
  /** successful / completed × 100, one decimal; null without jobs. */
  jobSuccessRate: number | null;
  newCriticalAlerts: A[];
  /** The 5 lowest scores, Unknown excluded, ties by name. */
  lowestScores: WeeklyReportDevice[];
  storageTrend: { date: string; usedBytes: number }[];
}

/**
 * The weekly summary (docs/decisions.md, "Integrations") from figures the caller gathered for the period.
 * Lowest scores: Unknown excluded, ties broken by device name, then id (code-unit
 * order, independent of locale). The storage trend is sorted by date.
 */
export function buildWeeklyReport<A>(input: WeeklyReportInput<A>): WeeklyReport<A> {
  const totals = { devices: input.devices.length, healthy: 0, warning: 0, critical: 0, unknown: 0 };
  for (const device of input.devices) totals[device.status] += 1;
  const { completed, successful } = input.jobs;
  const lowestScores = input.devices
    .filter((device) => device.status !== 'unknown')
    .sort((a, b) => a.score - b.score || compare(a.device.name, b.device.name) || compare(a.device.id, b.device.id))
    .slice(0, LOWEST_SCORES_COUNT);
  return {
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    totals,
    jobSuccessRate: completed > 0 ? round1((successful / completed) * 100) : null,
    newCriticalAlerts: [...input.newCriticalAlerts],
    lowestScores,
    storageTrend: input.storageByDay.map((day) => ({ date: day.date, usedBytes: day.usedBytes })).sort((a, b) => compare(a.date, b.date)),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

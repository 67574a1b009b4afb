import type { HealthStatus, Instant, WeeklySchedule } from './types.ts';

/** The newest scheduled delivery time at or before `now` (DST-correct in the schedule's timezone). */
export function latestDeliverySlot(now: Instant, schedule: WeeklySchedule): Instant {
  throw new Error('not implemented');
}

/** The next scheduled delivery time strictly after `now`. */
export function nextDeliverySlot(now: Instant, schedule: WeeklySchedule): Instant {
  throw new Error('not implemented');
}

/** ISO week of a slot in the schedule's timezone, e.g. "2026-W48": the once-per-week key. */
export function deliveryWeekKey(slot: Instant, timezone: string): string {
  throw new Error('not implemented');
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

export function buildWeeklyReport<A>(input: WeeklyReportInput<A>): WeeklyReport<A> {
  throw new Error('not implemented');
}

/**
 * Fleet trends (`GET /trends`): calendar buckets (local days, or ISO weeks from Monday)
 * in a timezone, and the figures per bucket. The buckets tile their range with no gap
 * or overlap, DST included (a day is 23, 24 or 25 hours); compliance per bucket is the
 * period computation (`periodCompliance`) over that bucket, so a week's figure is the
 * week's period report.
 */
import { combinePeriods, periodCompliance, type PeriodComplianceInput } from './compliance-period.ts';
import { addDays, localDateTime, type LocalDate, zonedInstant } from './zoned-time.ts';
import type { Instant } from './types.ts';

export type TrendUnit = 'day' | 'week';
export const TREND_UNITS: readonly TrendUnit[] = ['day', 'week'];

/** A half-open bucket `[start, end)`. */
export interface TrendBucket {
  start: Instant;
  end: Instant;
}

/**
 * The last `count` buckets of `unit` in `timeZone`, oldest first; the last one holds
 * `now` (it is the current day or week, partly in the future).
 */
export function trendBuckets(unit: TrendUnit, count: number, now: Instant, timeZone: string): TrendBucket[] {
  const today = localDateTime(now, timeZone);
  const step = unit === 'day' ? 1 : 7;
  // A week starts on Monday (ISO), the day starts at local midnight.
  const current: LocalDate = unit === 'day' ? today : addDays(today, 1 - today.weekday);
  const buckets: TrendBucket[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const first = addDays(current, -i * step);
    buckets.push({ start: zonedInstant(first, 0, timeZone), end: zonedInstant(addDays(first, step), 0, timeZone) });
  }
  return buckets;
}

/** Share of completed runs that succeeded (success or warning count), 0–1; null without runs. */
export function successRate(jobs: number, failed: number): number | null {
  if (jobs <= 0) return null;
  return Math.min(1, Math.max(0, (jobs - failed) / jobs));
}

/** One device as the period computation takes it, and the moment it stops counting (retired, or now). */
export interface TrendDevice {
  input: PeriodComplianceInput;
  end: Instant;
}

/**
 * Compliance per bucket over all devices: time-weighted meeting % (0–100, one decimal),
 * null when no device time in the bucket is evaluable. Time after a device's `end` (now,
 * retirement) is not counted.
 */
export function bucketCompliance(devices: readonly TrendDevice[], buckets: readonly TrendBucket[]): (number | null)[] {
  return buckets.map((bucket) =>
    combinePeriods(devices.map((device) => periodCompliance(device.input, bucket.start, Math.min(bucket.end, device.end)))).meetingPct,
  );
}

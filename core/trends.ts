/**
 * Fleet trends (`GET /trends`): calendar buckets (local days, or ISO weeks from Monday)
 * in a timezone, and the figures per bucket. The buckets tile their range with no gap
 * or overlap, DST included (a day is 23, 24 or 25 hours); compliance per bucket is the
 * period computation (`periodCompliance`) over that bucket, so a week's figure is the
 * week's period report.
 */
import { meetingPercent, periodCompliance, type PeriodComplianceInput } from './compliance-period.ts';
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

/** Meeting and breach time per bucket, summed over devices as they are read. */
export type BucketTotals = { meetingMs: number; breachMs: number }[];

export const emptyTotals = (buckets: readonly TrendBucket[]): BucketTotals => buckets.map(() => ({ meetingMs: 0, breachMs: 0 }));

/** Adds one device's period figures over each bucket (time after its `end` is not counted). */
export function addDevice(totals: BucketTotals, device: TrendDevice, buckets: readonly TrendBucket[]): void {
  buckets.forEach((bucket, i) => {
    const period = periodCompliance(device.input, bucket.start, Math.min(bucket.end, device.end));
    totals[i]!.meetingMs += period.meetingMs;
    totals[i]!.breachMs += period.breachMs;
  });
}

/** Time-weighted meeting % per bucket (0–100, one decimal); null when nothing in the bucket is evaluable. */
export const totalsPercent = (totals: BucketTotals): (number | null)[] => totals.map((t) => meetingPercent(t.meetingMs, t.breachMs));

/** Compliance per bucket over all devices, as the period computation counts it (see `addDevice`). */
export function bucketCompliance(devices: readonly TrendDevice[], buckets: readonly TrendBucket[]): (number | null)[] {
  const totals = emptyTotals(buckets);
  for (const device of devices) addDevice(totals, device, buckets);
  return totalsPercent(totals);
}

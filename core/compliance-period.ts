/**
 * SLA compliance over a period, computed from what happened: a device is meeting at
 * an instant when the SLA rule of the snapshot (`evaluateSla`) holds given its
 * successes up to that instant. So imported or late-arriving history gives a correct
 * period report at once, and the period figure agrees with the snapshot at every
 * instant (tested).
 *
 * Time is counted in whole milliseconds over `[from, to)`: a millisecond is meeting,
 * breach or pending as the snapshot at that instant says, unless it lies in an
 * excluded interval (maintenance: not counted at all) or a pending interval (the
 * device was offline: pending). `meetingPct` = meeting / (meeting + breach).
 */
import { round1 } from './format.ts';
import { breachHours } from './sla.ts';
import { HOUR, type Instant } from './types.ts';

/** A half-open interval `[from, to)` of epoch milliseconds. */
export interface Interval {
  from: Instant;
  to: Instant;
}

/**
 * Successes `first … last` none of whose gaps exceeds the SLA window: the device met
 * its SLA throughout. A span stands for all its successes, so the database hands over
 * one row per unbroken run instead of every job (`successSpans` makes them in JS; the
 * BFF makes them in SQL, with window functions).
 */
export interface SuccessSpan {
  first: Instant;
  last: Instant;
}

export interface PeriodComplianceInput {
  enrolledAt: Instant;
  /** End times of the device's successful jobs (success or warning), in any order… */
  successes?: readonly Instant[];
  /** …or the same history as spans (see `SuccessSpan`), in order. */
  spans?: readonly SuccessSpan[];
  /** The SLA window (hours since the last success) for the device's kind. */
  maxHours: number;
  /**
   * When a breach begins after `reference` (the last success, or enrolment without
   * one): the snapshot's `breachSince`. Default `reference + maxHours`. Calendar
   * schedules move it to the moment the device is late, never earlier.
   */
  breachSince?: (reference: Instant, lastSuccessAt: Instant | null) => Instant;
  /** Maintenance windows: their time counts neither as meeting nor as breach. */
  excluded?: readonly Interval[];
  /** Time the device counts as pending whatever its history says (offline laptops). */
  pending?: readonly Interval[];
}

/**
 * One breach as an auditor reads it: when it began, when a success ended it (null: not
 * yet), hours inside the period, and the maintenance hours inside its span that were
 * excluded — so a span much longer than its hours is explained on the row itself.
 */
export interface PeriodBreach {
  from: Instant;
  to: Instant | null;
  hours: number;
  maintenanceHours: number;
}

export interface PeriodCompliance {
  meetingMs: number;
  breachMs: number;
  pendingMs: number;
  excludedMs: number;
  /** meeting / (meeting + breach) × 100, one decimal; null when no time counts. */
  meetingPct: number | null;
  /** Breaches that overlap the period (with breach time inside it), oldest first. */
  breaches: PeriodBreach[];
}

/** meeting / (meeting + breach) as a percentage to one decimal, null when nothing counts. */
export function meetingPercent(meetingMs: number, breachMs: number): number | null {
  const counted = meetingMs + breachMs;
  return counted <= 0 ? null : round1((meetingMs / counted) * 100);
}

/** A breach's length in hours, rounded as `breachHours` (sla.ts) rounds it everywhere. */
export const hoursOf = (ms: number): number => breachHours(0, ms);

/** The hours in breach of a period's breaches together, rounded once (the PDF's summary and the report mail say the same figure). */
export const totalBreachHours = (breaches: readonly { hours: number }[]): number => round1(breaches.reduce((sum, breach) => sum + breach.hours, 0));

/**
 * The device's compliance over `[from, to)`. Pass `to = min(end of period, now)`:
 * the future is not counted.
 */
export function periodCompliance(input: PeriodComplianceInput, from: Instant, to: Instant): PeriodCompliance {
  const result: PeriodCompliance = { meetingMs: 0, breachMs: 0, pendingMs: 0, excludedMs: 0, meetingPct: null, breaches: [] };
  if (to <= from) return result;
  const window = input.maxHours * HOUR;
  const since = input.breachSince ?? ((reference: Instant) => reference + window);
  const excluded = mergeIntervals(input.excluded ?? []);
  const pending = subtractIntervals(mergeIntervals(input.pending ?? []), excluded);
  const spans = input.spans ?? successSpans(input.successes ?? [], window);

  // Each segment runs from a reference (enrolment, then each success) to the next success.
  const count = (kind: 'meeting' | 'breach' | 'pending', a: Instant, b: Instant): { counted: number; excluded: number } => {
    const start = Math.max(a, from);
    const end = Math.min(b, to);
    if (end <= start) return { counted: 0, excluded: 0 };
    const out = measureInside(start, end, excluded);
    const held = kind === 'pending' ? 0 : measureInside(start, end, pending);
    result.excludedMs += out;
    result.pendingMs += held + (kind === 'pending' ? end - start - out : 0);
    const counted = end - start - out - held;
    if (kind === 'meeting') result.meetingMs += counted;
    if (kind === 'breach') result.breachMs += counted;
    return { counted, excluded: out };
  };
  for (let i = -1; i < spans.length; i++) {
    // Inside a span the device meets (no gap exceeds the window); after its last success it counts from there.
    const lastSuccessAt = i < 0 ? null : spans[i]!.last;
    const reference = lastSuccessAt ?? input.enrolledAt;
    const start = i < 0 ? -Infinity : spans[i]!.first;
    const end = i + 1 < spans.length ? spans[i + 1]!.first : Infinity;
    if (start >= to) break;
    if (end <= from) continue;
    const breachSince = since(reference, lastSuccessAt);
    // The snapshot is inclusive: exactly at breachSince the device still meets.
    const firstBreach = Math.max(start, breachSince + 1);
    count(lastSuccessAt === null ? 'pending' : 'meeting', start, Math.min(end, firstBreach));
    if (firstBreach < end) {
      const breach = count('breach', firstBreach, end);
      if (breach.counted > 0) {
        result.breaches.push({ from: breachSince, to: Number.isFinite(end) ? end : null, hours: hoursOf(breach.counted), maintenanceHours: hoursOf(breach.excluded) });
      }
    }
  }
  result.meetingPct = meetingPercent(result.meetingMs, result.breachMs);
  return result;
}

/** Successes grouped into spans: a gap longer than `windowMs` starts a new span. */
export function successSpans(successes: readonly Instant[], windowMs: number): SuccessSpan[] {
  const sorted = [...successes].sort((a, b) => a - b);
  const spans: SuccessSpan[] = [];
  for (const at of sorted) {
    const last = spans[spans.length - 1];
    if (last && at - last.last <= windowMs) last.last = at;
    else spans.push({ first: at, last: at });
  }
  return spans;
}

/** A client's figure over its devices' periods: time-weighted, so a device counts by how long it was counted. */
export function combinePeriods(periods: readonly PeriodCompliance[]): { meetingPct: number | null; devices: number; devicesWithBreach: number } {
  let meeting = 0;
  let breach = 0;
  let withBreach = 0;
  for (const period of periods) {
    meeting += period.meetingMs;
    breach += period.breachMs;
    if (period.breachMs > 0) withBreach += 1;
  }
  return { meetingPct: meetingPercent(meeting, breach), devices: periods.length, devicesWithBreach: withBreach };
}

/** Sorted, non-overlapping intervals covering the same time. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last && interval.from <= last.to) last.to = Math.max(last.to, interval.to);
    else merged.push({ from: interval.from, to: interval.to });
  }
  return merged;
}

/** Milliseconds of `[a, b)` covered by merged `intervals`. */
function measureInside(a: Instant, b: Instant, intervals: readonly Interval[]): number {
  let inside = 0;
  for (const interval of intervals) {
    if (interval.from >= b) break;
    const start = Math.max(a, interval.from);
    const end = Math.min(b, interval.to);
    if (end > start) inside += end - start;
  }
  return inside;
}

/** `intervals` minus `cut` (both merged). */
function subtractIntervals(intervals: readonly Interval[], cut: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const interval of intervals) {
    let start = interval.from;
    for (const c of cut) {
      if (c.to <= start || c.from >= interval.to) continue;
      if (c.from > start) out.push({ from: start, to: c.from });
      start = Math.max(start, c.to);
    }
    if (start < interval.to) out.push({ from: start, to: interval.to });
  }
  return out;
}

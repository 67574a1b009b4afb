import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { localDateTime } from '../../core/zoned-time.ts';
import { bucketCompliance, DAY, HOUR, periodCompliance, successRate, trendBuckets, type PeriodComplianceInput } from '../../core/index.ts';
import { combinePeriods } from '../../core/compliance-period.ts';

const RUNS = { numRuns: 300 };
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
// 2025–2027: several DST changes in every zone that has them.
const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) });

describe('trend buckets', () => {
  test('buckets tile their range: each ends where the next starts, the last holds now, each starts at local midnight', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), fc.constantFrom('day' as const, 'week' as const), fc.integer({ min: 1, max: 60 }), (now, zone, unit, count) => {
        const buckets = trendBuckets(unit, count, now, zone);
        assert.equal(buckets.length, count);
        for (let i = 0; i < buckets.length; i++) {
          const bucket = buckets[i]!;
          assert.ok(bucket.end > bucket.start);
          if (i > 0) assert.equal(bucket.start, buckets[i - 1]!.end);
          const local = localDateTime(bucket.start, zone);
          // Lord Howe's half-hour shift and midnight DST changes move the start off 00:00 by at most an hour.
          assert.ok(local.hour === 0 || local.hour === 1, `${zone} ${new Date(bucket.start).toISOString()} starts at ${local.hour}h`);
          if (unit === 'week') assert.equal(local.weekday, 1);
        }
        const last = buckets[buckets.length - 1]!;
        assert.ok(last.start <= now && now < last.end);
      }),
      RUNS,
    );
  });

  test('a day across a DST change is 23 or 25 hours long (Berlin, spring and autumn 2026)', () => {
    const spring = trendBuckets('day', 1, Date.UTC(2026, 2, 29, 12), 'Europe/Berlin')[0]!;
    const autumn = trendBuckets('day', 1, Date.UTC(2026, 9, 25, 12), 'Europe/Berlin')[0]!;
    assert.equal(spring.end - spring.start, 23 * HOUR);
    assert.equal(autumn.end - autumn.start, 25 * HOUR);
    assert.equal(spring.start, Date.UTC(2026, 2, 28, 23));
  });
});

describe('success rate', () => {
  test('is between 0 and 1, and null without runs', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), (jobs, failed) => {
        const rate = successRate(jobs, Math.min(jobs, failed));
        if (jobs === 0) assert.equal(rate, null);
        else assert.ok(rate! >= 0 && rate! <= 1);
      }),
    );
    assert.equal(successRate(4, 1), 0.75);
  });
});

describe('compliance per bucket', () => {
  const device = (successes: number[], maxHours: number, enrolledAt: number): PeriodComplianceInput => ({ enrolledAt, successes, maxHours });

  test('a week bucket agrees with the period computation over that week, and lies within 0–100', () => {
    fc.assert(
      fc.property(
        instant,
        fc.constantFrom(...ZONES),
        fc.array(fc.record({ offsets: fc.array(fc.integer({ min: 0, max: 40 * DAY }), { maxLength: 30 }), maxHours: fc.constantFrom(12, 24, 36) }), { maxLength: 5 }),
        (now, zone, specs) => {
          const buckets = trendBuckets('week', 4, now, zone);
          const begin = buckets[0]!.start - 7 * DAY;
          const devices = specs.map((spec) => ({ input: device(spec.offsets.map((o) => begin + o).filter((at) => at <= now), spec.maxHours, begin), end: now }));
          const figures = bucketCompliance(devices, buckets);
          figures.forEach((figure, i) => {
            const bucket = buckets[i]!;
            const expected = combinePeriods(devices.map((d) => periodCompliance(d.input, bucket.start, Math.min(bucket.end, now)))).meetingPct;
            assert.equal(figure, expected);
            if (figure !== null) assert.ok(figure >= 0 && figure <= 100);
          });
        },
      ),
      RUNS,
    );
  });

  test('nothing evaluable (no devices, or only the future) is null', () => {
    const now = Date.UTC(2026, 10, 24, 12);
    const [bucket] = trendBuckets('day', 1, now, 'UTC');
    assert.deepEqual(bucketCompliance([], [bucket!]), [null]);
    assert.deepEqual(bucketCompliance([{ input: device([], 24, now), end: now }], [{ start: now + HOUR, end: now + DAY }]), [null]);
  });

  test('a 12 h server SLA: a success an hour before the day and one at noon meet 23 of its 24 hours, then breach (hand-computed)', () => {
    const start = Date.UTC(2026, 10, 20);
    const now = start + 2 * DAY + HOUR;
    const buckets = trendBuckets('day', 3, now, 'UTC');
    assert.equal(buckets[0]!.start, start);
    const figures = bucketCompliance([{ input: device([start - HOUR, start + 12 * HOUR], 12, start - DAY), end: now }], buckets);
    // Day 1: 00–11 meeting (success at -1h), 11–12 breach, 12–24 meeting → 23/24. Day 2: 00–24 breach after 24:00 → 0. Day 3: breach.
    assert.deepEqual(figures, [95.8, 0, 0]);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DAY, HOUR, localDaysPeriod, periodWeeks, reportPeriod } from '../../core/index.ts';
import { elapsedParts, formatElapsed } from '../../core/format.ts';

const at = (iso: string) => Date.parse(iso);

describe('report periods', () => {
  test('the last 30 days end now', () => {
    const now = at('2026-12-02T15:40:00Z');
    assert.deepEqual(reportPeriod('30d', now, 'UTC'), { from: now - 30 * DAY, to: now });
  });

  test("the previous month is the client's calendar month, in its timezone", () => {
    const period = reportPeriod('month', at('2026-12-02T15:40:00Z'), 'Europe/Berlin');
    assert.equal(new Date(period.from).toISOString(), '2026-10-31T23:00:00.000Z');
    assert.equal(new Date(period.to).toISOString(), '2026-11-30T23:00:00.000Z');
  });

  test('a month that contains the autumn DST change is 745 hours long in Berlin', () => {
    const period = reportPeriod('month', at('2026-11-15T12:00:00Z'), 'Europe/Berlin');
    assert.equal(new Date(period.from).toISOString(), '2026-09-30T22:00:00.000Z');
    assert.equal((period.to - period.from) / 3_600_000, 31 * 24 + 1);
  });

  test('the previous quarter of January is October to December of the year before', () => {
    const period = reportPeriod('quarter', at('2027-01-10T09:00:00Z'), 'America/New_York');
    assert.equal(new Date(period.from).toISOString(), '2026-10-01T04:00:00.000Z');
    assert.equal(new Date(period.to).toISOString(), '2027-01-01T05:00:00.000Z');
  });

  test('on the first day of a quarter the previous quarter has just ended', () => {
    const period = reportPeriod('quarter', at('2026-07-01T00:30:00Z'), 'UTC');
    assert.equal(new Date(period.from).toISOString(), '2026-04-01T00:00:00.000Z');
    assert.equal(new Date(period.to).toISOString(), '2026-07-01T00:00:00.000Z');
  });

  test("a period's weekly chart buckets are 7 local days from its start, the DST week 169 hours, the last one clipped", () => {
    const october = reportPeriod('month', at('2026-11-15T12:00:00Z'), 'Europe/Berlin');
    const weeks = periodWeeks(october.from, october.to, 'Europe/Berlin');
    assert.equal(weeks.length, 5);
    assert.equal(weeks[0]!.from, october.from);
    assert.equal(weeks.at(-1)!.to, october.to);
    for (let i = 1; i < weeks.length; i++) assert.equal(weeks[i]!.from, weeks[i - 1]!.to);
    // 1–7, 8–14, 15–21, 22–28 (the clocks go back on the 25th), 29–31 October.
    assert.deepEqual(weeks.map((week) => (week.to - week.from) / HOUR), [168, 168, 168, 169, 72]);
  });

  test("custom days run from 00:00 local on the first to 24:00 local on the last, in the client's timezone", () => {
    const period = localDaysPeriod('2026-11-01', '2026-11-30', 'America/New_York');
    assert.equal(new Date(period.from).toISOString(), '2026-11-01T04:00:00.000Z');
    assert.equal(new Date(period.to).toISOString(), '2026-12-01T05:00:00.000Z');
  });

  test('a custom day with the autumn DST change is 25 hours, the spring one 23', () => {
    const autumn = localDaysPeriod('2026-10-25', '2026-10-25', 'Europe/Berlin');
    assert.equal((autumn.to - autumn.from) / HOUR, 25);
    const spring = localDaysPeriod('2027-03-28', '2027-03-28', 'Europe/Berlin');
    assert.equal((spring.to - spring.from) / HOUR, 23);
  });

  test('custom days agree with the named month they span', () => {
    const named = reportPeriod('month', at('2026-11-15T12:00:00Z'), 'Europe/Berlin');
    assert.deepEqual(localDaysPeriod('2026-10-01', '2026-10-31', 'Europe/Berlin'), named);
  });

  test('a day that does not exist is refused', () => {
    assert.throws(() => localDaysPeriod('2026-02-30', '2026-03-01', 'UTC'), RangeError);
    assert.throws(() => localDaysPeriod('2026-1-5', '2026-03-01', 'UTC'), RangeError);
  });
});

describe('the one rounding rule for elapsed time', () => {
  test('elapsed time is rounded down: 5 d 23 h is 5 days, never 6', () => {
    assert.deepEqual(elapsedParts(5 * DAY + 23 * HOUR), { value: 5, unit: 'day' });
    assert.equal(formatElapsed(5 * DAY + 23 * HOUR), '5 d');
  });

  test('hours until 72 h, then days; minutes under an hour', () => {
    assert.deepEqual(elapsedParts(71 * HOUR + 59 * 60_000), { value: 71, unit: 'hour' });
    assert.deepEqual(elapsedParts(72 * HOUR), { value: 3, unit: 'day' });
    assert.deepEqual(elapsedParts(59 * 60_000 + 59_000), { value: 59, unit: 'minute' });
  });
});

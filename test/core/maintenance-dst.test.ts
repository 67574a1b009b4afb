import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { occurrencesBetween, upcomingOccurrences, type MaintenanceTiming, type Recurrence } from '../../core/index.ts';

const utc = (year: number, month: number, day: number, hour: number, minute = 0) => Date.UTC(year, month - 1, day, hour, minute);
const weekly = (timezone: string, days: number[], start: string, durationMinutes: number): MaintenanceTiming => ({ weekly: { days, start, durationMinutes }, timezone });
const monthly = (days: number[], start = '22:00', durationMinutes = 120, timezone = 'UTC'): MaintenanceTiming => ({ monthly: { days, start, durationMinutes } satisfies Recurrence, timezone });
/** The occurrences starting in the given UTC span. */
const startsIn = (timing: MaintenanceTiming, from: number, to: number) => occurrencesBetween(timing, from, to).filter((o) => o.start >= from);

describe('recurring windows in Europe/Berlin across DST', () => {
  test('a Tuesday 22:00 window is 21:00 UTC in winter and 20:00 UTC in summer', () => {
    const timing = weekly('Europe/Berlin', [2], '22:00', 60);
    assert.deepEqual(startsIn(timing, utc(2026, 3, 23, 0), utc(2026, 4, 1, 0)).map((o) => o.start), [utc(2026, 3, 24, 21), utc(2026, 3, 31, 20)]);
  });

  test('a 02:30 start skipped by the spring change falls on the change (03:00 CEST, 01:00 UTC)', () => {
    const [occurrence] = startsIn(weekly('Europe/Berlin', [7], '02:30', 60), utc(2026, 3, 29, 0), utc(2026, 3, 30, 0));
    assert.deepEqual(occurrence, { start: utc(2026, 3, 29, 1), end: utc(2026, 3, 29, 2) });
  });

  test('a 02:30 start repeated by the autumn change uses its first occurrence (CEST, 00:30 UTC)', () => {
    const [occurrence] = startsIn(weekly('Europe/Berlin', [7], '02:30', 60), utc(2026, 10, 25, 0), utc(2026, 10, 26, 0));
    assert.deepEqual(occurrence, { start: utc(2026, 10, 25, 0, 30), end: utc(2026, 10, 25, 1, 30) });
  });

  test('a window spanning the spring change lasts its duration in elapsed time', () => {
    // Saturday 23:00 CET (22:00 UTC) plus four hours ends at 02:00 UTC, 04:00 CEST.
    const [occurrence] = startsIn(weekly('Europe/Berlin', [6], '23:00', 240), utc(2026, 3, 28, 0), utc(2026, 3, 29, 0));
    assert.deepEqual(occurrence, { start: utc(2026, 3, 28, 22), end: utc(2026, 3, 29, 2) });
  });
});

describe('recurring windows in America/New_York across DST', () => {
  test('a 02:30 start skipped by the spring change falls on the change (03:00 EDT, 07:00 UTC)', () => {
    const [occurrence] = startsIn(weekly('America/New_York', [7], '02:30', 30), utc(2026, 3, 8, 0), utc(2026, 3, 9, 0));
    assert.deepEqual(occurrence, { start: utc(2026, 3, 8, 7), end: utc(2026, 3, 8, 7, 30) });
  });

  test('a 01:30 start repeated by the autumn change uses its first occurrence (EDT, 05:30 UTC)', () => {
    const [occurrence] = startsIn(weekly('America/New_York', [7], '01:30', 30), utc(2026, 11, 1, 0), utc(2026, 11, 2, 0));
    assert.deepEqual(occurrence, { start: utc(2026, 11, 1, 5, 30), end: utc(2026, 11, 1, 6) });
  });

  test('a Saturday 22:00 window starts at 03:00 UTC before the spring change and 02:00 UTC after it', () => {
    const timing = weekly('America/New_York', [6], '22:00', 120);
    assert.deepEqual(startsIn(timing, utc(2026, 3, 2, 0), utc(2026, 3, 16, 0)).map((o) => o.start), [utc(2026, 3, 8, 3), utc(2026, 3, 15, 2)]);
  });

  test('the next occurrences of a New York window across the autumn change keep local time', () => {
    const timing = weekly('America/New_York', [7], '09:00', 60);
    assert.deepEqual(upcomingOccurrences(timing, utc(2026, 10, 20, 0), 3).map((o) => o.start), [utc(2026, 10, 25, 13), utc(2026, 11, 1, 14), utc(2026, 11, 8, 14)]);
  });
});

describe('monthly windows on month ends', () => {
  test('-1 is the last day of every month: 28 February, 30 April, 31 December', () => {
    const starts = startsIn(monthly([-1]), utc(2026, 1, 1, 0), utc(2027, 1, 1, 0)).map((o) => new Date(o.start).toISOString().slice(0, 10));
    assert.deepEqual(starts, ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30', '2026-07-31', '2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31']);
  });

  test('the 31st does not occur in months without one', () => {
    const months = startsIn(monthly([31]), utc(2026, 1, 1, 0), utc(2027, 1, 1, 0)).map((o) => new Date(o.start).getUTCMonth() + 1);
    assert.deepEqual(months, [1, 3, 5, 7, 8, 10, 12]);
  });

  test('the 29th occurs in February of a leap year only', () => {
    const february = (year: number) => startsIn(monthly([29]), utc(year, 2, 1, 0), utc(year, 3, 1, 0)).length;
    assert.deepEqual([february(2026), february(2028)], [0, 1]);
  });

  test('the 31st and the last day together give one window, not two', () => {
    assert.equal(startsIn(monthly([31, -1]), utc(2026, 1, 1, 0), utc(2026, 2, 1, 0)).length, 1);
  });

  test('a month-end window at 22:00 runs into the first of the next month and across the year end', () => {
    const timing = monthly([-1], '22:00', 240);
    assert.deepEqual(occurrencesBetween(timing, utc(2027, 1, 1, 1), utc(2027, 1, 1, 2)), [{ start: utc(2026, 12, 31, 22), end: utc(2027, 1, 1, 2) }]);
  });

  test('a monthly last-day window in Berlin follows the local date, not the UTC one', () => {
    // 30 April 00:30 CEST is 29 April 22:30 UTC.
    const [occurrence] = startsIn(monthly([-1], '00:30', 60, 'Europe/Berlin'), utc(2026, 4, 1, 0), utc(2026, 5, 1, 0));
    assert.equal(occurrence!.start, utc(2026, 4, 29, 22, 30));
  });

  test('the next occurrences of the 31st skip the short months', () => {
    const starts = upcomingOccurrences(monthly([31]), utc(2026, 4, 1, 0), 3).map((o) => new Date(o.start).toISOString().slice(0, 10));
    assert.deepEqual(starts, ['2026-05-31', '2026-07-31', '2026-08-31']);
  });
});

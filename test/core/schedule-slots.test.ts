import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Cron } from 'croner';
import { compileSchedule, DAY, HOUR, type Instant, type Schedule } from '../../core/index.ts';
import { iso, policy } from './schedule-builders.ts';

/** The first `count` slots strictly after `from`. */
function slotsAfter(schedule: Schedule, timeZone: string, from: string, count: number): (string | null)[] {
  const calendar = compileSchedule(policy(schedule, { timezone: timeZone })).calendar!;
  const slots: (string | null)[] = [];
  let at: Instant | null = Date.parse(from);
  for (let i = 0; i < count && at !== null; i++) {
    at = calendar.slotAfter(at);
    slots.push(iso(at));
  }
  return slots;
}
const daily = (time: string): Schedule => ({ kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: [time] });

describe('slots across DST changes', () => {
  test('Europe/Berlin: a daily 02:30 skipped by the spring change falls on the change (03:00 CEST)', () => {
    assert.deepEqual(slotsAfter(daily('02:30'), 'Europe/Berlin', '2026-03-28T00:00:00Z', 3), ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  test('Europe/Berlin: a daily 02:30 repeated by the autumn change runs at its first occurrence only', () => {
    assert.deepEqual(slotsAfter(daily('02:30'), 'Europe/Berlin', '2026-10-24T00:00:00Z', 3), ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  test('Europe/Berlin: an hourly cron line skips the repeated autumn hour', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '0 * * * *' }, 'Europe/Berlin', '2026-10-24T23:30:00Z', 3), ['2026-10-25T00:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z']);
  });

  test('Europe/Berlin: several times skipped by the spring change become one slot at the change', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '*/30 2 * * *' }, 'Europe/Berlin', '2026-03-28T23:30:00Z', 2), ['2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z']);
  });

  test('America/New_York: 02:30 on the spring change day falls on 03:00 EDT', () => {
    assert.deepEqual(slotsAfter(daily('02:30'), 'America/New_York', '2026-03-07T00:00:00Z', 3), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
  });

  test('America/New_York: 01:30 on the autumn change day runs at 01:30 EDT, not again at 01:30 EST', () => {
    assert.deepEqual(slotsAfter(daily('01:30'), 'America/New_York', '2026-10-31T00:00:00Z', 3), ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  test('Australia/Sydney: 02:30 on the October spring change falls on 03:00 AEDT', () => {
    assert.deepEqual(slotsAfter(daily('02:30'), 'Australia/Sydney', '2026-10-03T00:00:00Z', 3), ['2026-10-03T16:00:00.000Z', '2026-10-04T15:30:00.000Z', '2026-10-05T15:30:00.000Z']);
  });

  test('Australia/Sydney: 02:30 on the April autumn change runs at its first occurrence (AEDT)', () => {
    assert.deepEqual(slotsAfter(daily('02:30'), 'Australia/Sydney', '2026-04-03T00:00:00Z', 3), ['2026-04-03T15:30:00.000Z', '2026-04-04T15:30:00.000Z', '2026-04-05T16:30:00.000Z']);
  });

  test('a slot never repeats and slots always ascend, across a year of DST changes', () => {
    for (const timeZone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney']) {
      const calendar = compileSchedule(policy({ kind: 'cron', expression: '*/20 0-4 * * *' }, { timezone: timeZone })).calendar!;
      const slots = calendar.slotsBetween(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
      for (let i = 1; i < slots.length; i++) assert.ok(slots[i]! > slots[i - 1]!, `${timeZone} ${iso(slots[i]!)}`);
    }
  });
});

describe('slots at month ends', () => {
  test('-1 is the last day of every month, February included', () => {
    assert.deepEqual(slotsAfter({ kind: 'monthly', days: [-1], times: ['23:00'] }, 'UTC', '2026-01-01T00:00:00Z', 4), [
      '2026-01-31T23:00:00.000Z', '2026-02-28T23:00:00.000Z', '2026-03-31T23:00:00.000Z', '2026-04-30T23:00:00.000Z',
    ]);
  });

  test('-1 in a leap year is February 29', () => {
    assert.deepEqual(slotsAfter({ kind: 'monthly', days: [-1], times: ['12:00'] }, 'UTC', '2028-02-01T00:00:00Z', 1), ['2028-02-29T12:00:00.000Z']);
  });

  test('the 31st runs only in months that have one', () => {
    assert.deepEqual(slotsAfter({ kind: 'monthly', days: [31], times: ['01:00'] }, 'UTC', '2026-03-01T00:00:00Z', 3), ['2026-03-31T01:00:00.000Z', '2026-05-31T01:00:00.000Z', '2026-07-31T01:00:00.000Z']);
  });

  test('the 29th skips February outside leap years', () => {
    assert.deepEqual(slotsAfter({ kind: 'monthly', days: [29], times: ['12:00'] }, 'UTC', '2027-01-01T00:00:00Z', 2), ['2027-01-29T12:00:00.000Z', '2027-03-29T12:00:00.000Z']);
  });

  test('Feb 29 as a cron line comes every four years', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '0 12 29 2 *' }, 'UTC', '2026-01-01T00:00:00Z', 2), ['2028-02-29T12:00:00.000Z', '2032-02-29T12:00:00.000Z']);
  });

  test('the last day is local: midnight of the last day in Berlin is the evening before in UTC', () => {
    assert.deepEqual(slotsAfter({ kind: 'monthly', days: [-1], times: ['00:00'] }, 'Europe/Berlin', '2026-02-01T00:00:00Z', 2), ['2026-02-27T23:00:00.000Z', '2026-03-30T22:00:00.000Z']);
  });

  test('cron L in day-of-month is the last day', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '0 0 1,L * *' }, 'UTC', '2026-01-25T00:30:00Z', 3), ['2026-01-31T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-02-28T00:00:00.000Z']);
  });
});

describe('cron lines', () => {
  test('weekday names, month names and Sunday as 7 read as croner reads them', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '30 6 * JAN SUN' }, 'UTC', '2026-01-01T00:00:00Z', 2), slotsAfter({ kind: 'cron', expression: '30 6 * 1 7' }, 'UTC', '2026-01-01T00:00:00Z', 2));
  });

  test('both day fields restricted: a day matching either runs (as croner and Vixie cron)', () => {
    assert.deepEqual(slotsAfter({ kind: 'cron', expression: '0 0 13 * 5' }, 'UTC', '2026-02-01T00:00:00Z', 3), ['2026-02-06T00:00:00.000Z', '2026-02-13T00:00:00.000Z', '2026-02-20T00:00:00.000Z']);
  });

  const field = (values: readonly string[]) => fc.constantFrom(...values);
  const cronArb = fc
    .tuple(
      field(['0', '15', '*/15', '5,35', '0-10/5', '59']),
      field(['*', '2', '22', '*/6', '8-18/2', '0,12']),
      field(['*', '1', '15', '1-7', '*/10', '28']),
      field(['*', '1', '*/3', '2-11', 'JAN,JUL']),
      field(['*', '1-5', '0', '6,0', 'MON-FRI', '7']),
    )
    .map((fields) => fields.join(' '));

  test('agree with croner on any cron line in UTC (croner is the reference for the syntax)', () => {
    fc.assert(
      fc.property(cronArb, fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2030, 0, 1) }), (expression, from) => {
        const calendar = compileSchedule(policy({ kind: 'cron', expression }, { timezone: 'UTC' })).calendar!;
        const ours: number[] = [];
        for (let at: number | null = from, i = 0; i < 5 && at !== null; i++) ours.push((at = calendar.slotAfter(at))!);
        const theirs = new Cron(expression, { timezone: 'UTC' }).nextRuns(5, new Date(from)).map((date) => date.getTime());
        assert.deepEqual(ours, theirs, expression);
      }),
      { numRuns: 1000 },
    );
  });

  test('agree with croner in Europe/Berlin away from DST changes (croner repeats the autumn hour; the spec takes its first occurrence)', () => {
    const calendar = compileSchedule(policy({ kind: 'cron', expression: '0 22 * * 1-5' })).calendar!;
    const from = Date.UTC(2026, 5, 1);
    const ours = calendar.slotsBetween(from, from + 14 * DAY);
    const theirs = new Cron('0 22 * * 1-5', { timezone: 'Europe/Berlin' }).nextRuns(ours.length, new Date(from)).map((date) => date.getTime());
    assert.deepEqual(ours, theirs);
    assert.equal(ours.length, 10);
  });
});

describe('slot lookups', () => {
  test('the slot at or before an instant is the latest one not after it', () => {
    const calendar = compileSchedule(policy({ kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] })).calendar!;
    assert.equal(iso(calendar.slotAtOrBefore(Date.parse('2026-11-22T12:00:00Z'))), '2026-11-20T21:00:00.000Z');
    assert.equal(iso(calendar.slotAtOrBefore(Date.parse('2026-11-20T21:00:00Z'))), '2026-11-20T21:00:00.000Z');
  });

  test('lookups far apart give the same answers as lookups close together', () => {
    const calendar = compileSchedule(policy({ kind: 'cron', expression: '15 3 * * 2,4' }, { timezone: 'America/New_York' })).calendar!;
    const near = Date.UTC(2026, 10, 24);
    const far = near + 900 * DAY;
    const expectedFar = calendar.slotAfter(far);
    const expectedNear = calendar.slotAfter(near);
    assert.equal(calendar.slotAfter(near), expectedNear);
    assert.equal(calendar.slotAfter(far), expectedFar);
    assert.equal(calendar.countBetween(near, far), calendar.slotsBetween(near, near + 100 * DAY).length + calendar.countBetween(near + 100 * DAY, far));
    assert.ok(expectedFar! - far < 4 * DAY && expectedNear! - near < 4 * DAY + HOUR);
  });
});

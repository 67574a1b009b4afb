import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DAY, reportPeriod } from '../../core/index.ts';

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
});

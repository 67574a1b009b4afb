import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { latestMonthlySlot } from '../../core/index.ts';

const at = (iso: string) => Date.parse(iso);
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata'];

describe('monthly client report slots', () => {
  test("on day 1 at 08:00 in Berlin, November's slot reports October", () => {
    assert.deepEqual(latestMonthlySlot(at('2026-11-01T07:00:00Z'), { day: 1, hour: 8 }, 'Europe/Berlin'), {
      slotAt: at('2026-11-01T07:00:00Z'),
      monthKey: '2026-10',
      from: at('2026-09-30T22:00:00Z'),
      to: at('2026-10-31T23:00:00Z'),
    });
  });

  test("a minute before the slot, the newest slot is the previous month's, reporting the month before that", () => {
    const slot = latestMonthlySlot(at('2026-11-01T06:59:00Z'), { day: 1, hour: 8 }, 'Europe/Berlin');
    assert.equal(slot.slotAt, at('2026-10-01T06:00:00Z'));
    assert.equal(slot.monthKey, '2026-09');
  });

  test('January reports December of the year before', () => {
    assert.equal(latestMonthlySlot(at('2027-01-03T12:00:00Z'), { day: 1, hour: 8 }, 'UTC').monthKey, '2026-12');
  });

  test('property: the slot is at most now, less than a month and a bit ago, and its month ended before it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: at('2020-01-01T00:00:00Z'), max: at('2035-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(...ZONES),
        (now, day, hour, zone) => {
          const slot = latestMonthlySlot(now, { day, hour }, zone);
          assert.ok(slot.slotAt <= now);
          assert.ok(now - slot.slotAt < 32 * 24 * 3_600_000);
          assert.ok(slot.from < slot.to && slot.to <= slot.slotAt);
          // At its own instant a slot is the newest: the same month is claimed whenever it is looked at.
          assert.deepEqual(latestMonthlySlot(slot.slotAt, { day, hour }, zone), slot);
        },
      ),
    );
  });
});

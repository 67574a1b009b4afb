import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { formatScheduleNotation, parseScheduleNotation } from '../../core/schedule-notation.ts';
import type { Schedule } from '../../core/schedule-spec.ts';

describe('the schedule notation of a CSV cell', () => {
  test('reads the four kinds as the issue writes them', () => {
    assert.deepEqual(parseScheduleNotation('cron:0 22 * * 1-5'), { schedule: { kind: 'cron', expression: '0 22 * * 1-5' } });
    assert.deepEqual(parseScheduleNotation('weekly:1-5@22:00'), { schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] } });
    assert.deepEqual(parseScheduleNotation('interval:4'), { schedule: { kind: 'interval', hours: 4 } });
    assert.deepEqual(parseScheduleNotation(' Monthly: -1 @ 23:30 '), { schedule: { kind: 'monthly', days: [-1], times: ['23:30'] } });
    assert.deepEqual(parseScheduleNotation('weekly:1,3,5-6@12:00+22:00'), { schedule: { kind: 'weekly', days: [1, 3, 5, 6], times: ['12:00', '22:00'] } });
  });

  test('says what is wrong, with an example, for what it cannot read', () => {
    for (const cell of ['daily', 'interval:', 'interval:-2', 'weekly:1-5', 'weekly:@22:00', 'weekly:5-1@22:00', 'monthly:x@1:00', 'cron:', 'weekly:1@22:00@x', '']) {
      const result = parseScheduleNotation(cell);
      assert.ok('error' in result, cell);
      assert.match(result.error, /e\.g\./, cell);
    }
  });

  test('format and parse are inverse over every schedule the notation can hold', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const days = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 7 });
    const schedule: fc.Arbitrary<Schedule> = fc.oneof(
      fc.integer({ min: 1, max: 720 }).map((hours) => ({ kind: 'interval' as const, hours })),
      fc.record({ kind: fc.constant('weekly' as const), days: days(1, 7), times: fc.uniqueArray(time, { minLength: 1, maxLength: 3 }) }).map((r) => ({ ...r })),
      fc.record({ kind: fc.constant('monthly' as const), days: days(-1, 31).filter((list) => !list.includes(0)), times: fc.uniqueArray(time, { minLength: 1, maxLength: 3 }) }).map((r) => ({ ...r })),
      fc.constantFrom('0 22 * * 1-5', '*/15 * * * *', '30 2 1 * *').map((expression) => ({ kind: 'cron' as const, expression })),
    );
    fc.assert(
      fc.property(schedule, (original) => {
        assert.deepEqual(parseScheduleNotation(formatScheduleNotation(original)), { schedule: original });
      }),
      { numRuns: 1000 },
    );
  });
});

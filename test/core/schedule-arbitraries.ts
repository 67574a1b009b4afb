/**
 * fast-check arbitraries for calendar schedules: weekly, monthly and cron lines in
 * timezones with DST (and UTC), with or without grace and per-run merge.
 */
import fc from 'fast-check';
import type { DeviceSchedule, Schedule } from '../../core/index.ts';

const noNull = { noNullPrototype: true } as const;

export const timezoneArb = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'UTC');
export const clockArb = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
export const scheduleArb: fc.Arbitrary<Schedule> = fc.oneof(
  fc.record({ kind: fc.constant('weekly' as const), days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }), times: fc.uniqueArray(clockArb, { minLength: 1, maxLength: 2 }) }, noNull),
  fc.record({ kind: fc.constant('monthly' as const), days: fc.uniqueArray(fc.constantFrom(1, 5, 15, 28, 29, 30, 31, -1), { minLength: 1, maxLength: 3 }), times: fc.uniqueArray(clockArb, { minLength: 1, maxLength: 1 }) }, noNull),
  fc.record({ kind: fc.constant('cron' as const), expression: fc.constantFrom('0 22 * * 1-5', '30 1 * * *', '0 */6 * * *', '15 3 * * 0', '0 2 1 * *', '0 20 * * 1,3,5', '45 23 L * *') }, noNull),
);
export const policyArb: fc.Arbitrary<DeviceSchedule> = fc.record(
  { schedule: scheduleArb, timezone: timezoneArb, graceHours: fc.constantFrom(undefined, 1, 2, 4, 8), merge: fc.constantFrom('each-job' as const, 'per-run' as const) },
  { ...noNull, requiredKeys: ['schedule', 'timezone'] },
);

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchedule, scheduleProblems, ScheduleProblem, type DeviceSchedule } from '../../core/index.ts';
import { policy, WEEKDAYS_22 } from './schedule-builders.ts';

const fields = (schedule: DeviceSchedule) => scheduleProblems(schedule).map((problem) => problem.field);

describe('schedule validation names the field at fault', () => {
  test('a valid weekly schedule has no problems', () => {
    assert.deepEqual(scheduleProblems(policy(WEEKDAYS_22, { graceHours: 2, offline: { skipWhenOffline: true, alertAfterDays: 7 }, merge: 'per-run', mergeRule: 'worst' })), []);
  });

  test('a bad cron line names schedule.expression and the cron field', () => {
    const [problem] = scheduleProblems(policy({ kind: 'cron', expression: '0 25 * * *' }));
    assert.equal(problem!.field, 'schedule.expression');
    assert.match(problem!.message, /hour field "25" is out of range 0–23/);
  });

  test('a cron line with four fields is refused', () => {
    assert.match(scheduleProblems(policy({ kind: 'cron', expression: '0 22 * *' }))[0]!.message, /five cron fields/);
  });

  test('cron syntax croner does not take here is refused, not guessed', () => {
    assert.deepEqual(fields(policy({ kind: 'cron', expression: '0 22 * * 5#3' })), ['schedule.expression']);
  });

  test('a cron line that never comes due is refused', () => {
    assert.deepEqual(fields(policy({ kind: 'cron', expression: '0 0 30 2 *' })), ['schedule']);
  });

  test('a weekday outside 1–7 names its index', () => {
    assert.deepEqual(fields(policy({ kind: 'weekly', days: [1, 8], times: ['22:00'] })), ['schedule.days[1]']);
  });

  test('a weekly schedule without days is refused', () => {
    assert.deepEqual(fields(policy({ kind: 'weekly', days: [], times: ['22:00'] })), ['schedule.days']);
  });

  test('a time that is not HH:MM names its index', () => {
    assert.deepEqual(fields(policy({ kind: 'weekly', days: [1], times: ['22:00', '24:00'] })), ['schedule.times[1]']);
    assert.deepEqual(fields(policy({ kind: 'weekly', days: [1], times: ['7pm'] })), ['schedule.times[0]']);
  });

  test('monthly days take 1–31 and -1, nothing else', () => {
    assert.deepEqual(fields(policy({ kind: 'monthly', days: [1, -1, 31], times: ['02:00'] })), []);
    assert.deepEqual(fields(policy({ kind: 'monthly', days: [0], times: ['02:00'] })), ['schedule.days[0]']);
    assert.deepEqual(fields(policy({ kind: 'monthly', days: [-2], times: ['02:00'] })), ['schedule.days[0]']);
  });

  test('an unknown timezone names timezone', () => {
    assert.deepEqual(fields(policy(WEEKDAYS_22, { timezone: 'Europe/Atlantis' })), ['timezone']);
  });

  test('grace must be positive and at most a week', () => {
    assert.deepEqual(fields(policy(WEEKDAYS_22, { graceHours: 0 })), ['graceHours']);
    assert.deepEqual(fields(policy(WEEKDAYS_22, { graceHours: 169 })), ['graceHours']);
  });

  test('offline skipping on an interval schedule is refused: interval schedules never skip', () => {
    assert.deepEqual(fields({ schedule: { kind: 'interval', hours: 4 }, timezone: 'UTC', offline: { skipWhenOffline: true, alertAfterDays: 7 } }), ['offline']);
  });

  test('offline alert days must be a whole number 1–365', () => {
    assert.deepEqual(fields(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 0 } })), ['offline.alertAfterDays']);
  });

  test('interval hours must be positive', () => {
    assert.deepEqual(fields({ schedule: { kind: 'interval', hours: 0 }, timezone: 'UTC' }), ['schedule.hours']);
  });

  test('unknown merge options are refused', () => {
    assert.deepEqual(fields(policy(WEEKDAYS_22, { merge: 'daily' as never, mergeRule: 'average' as never })), ['merge', 'mergeRule']);
  });

  test('compiling a bad schedule throws a ScheduleProblem with the field', () => {
    assert.throws(() => compileSchedule(policy({ kind: 'weekly', days: [1], times: ['25:00'] })), (error: unknown) => error instanceof ScheduleProblem && error.field === 'schedule.times[0]');
  });
});

describe('a schedule in words', () => {
  const text = (schedule: DeviceSchedule) => compileSchedule(schedule).text;

  test('Mon–Fri at 22:00 in Berlin with the default grace', () => {
    assert.equal(text(policy(WEEKDAYS_22)), 'Mon–Fri at 22:00 Europe/Berlin, 4 h grace');
  });

  test('separate days and several times', () => {
    assert.equal(text(policy({ kind: 'weekly', days: [5, 1, 3], times: ['20:00', '08:00'] }, { graceHours: 2 })), 'Mon, Wed and Fri at 08:00 and 20:00 Europe/Berlin, 2 h grace');
  });

  test('every day is daily', () => {
    assert.equal(text(policy({ kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['01:00'] }, { timezone: 'UTC' })), 'Daily at 01:00 UTC, 4 h grace');
  });

  test('monthly days with the last day', () => {
    assert.equal(text(policy({ kind: 'monthly', days: [-1, 1, 15], times: ['02:00'] }, { timezone: 'UTC' })), 'Monthly on the 1st, 15th and last day at 02:00 UTC, 4 h grace');
  });

  test('a cron line is quoted', () => {
    assert.equal(text(policy({ kind: 'cron', expression: '0  22 * * 1-5' }, { timezone: 'America/New_York', graceHours: 6 })), 'Cron "0 22 * * 1-5" America/New_York, 6 h grace');
  });

  test('an interval is every N hours', () => {
    assert.equal(text({ schedule: { kind: 'interval', hours: 4 }, timezone: 'UTC' }), 'Every 4 h');
  });
});

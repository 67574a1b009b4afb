import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HOUR, recentRuns, type DeviceProfile, type RunJob } from '../../core/index.ts';
import { iso, local, policy, scheduled, WEEKDAYS_22 } from './schedule-builders.ts';

const ENROLLED = local('2026-11-02 09:00');
const done = (id: string, status: RunJob['status'], endedAt: number): RunJob => ({ id, status, startedAt: endedAt - 30 * 60_000, endedAt: status === 'running' ? null : endedAt });

describe('the last 14 runs', () => {
  const workstation = scheduled(policy(WEEKDAYS_22));

  test('a calendar schedule gives one cell per slot, oldest first, with the jobs of each run', () => {
    const jobs = [done('fri', 'success', local('2026-11-20 22:30'))];
    const runs = recentRuns(workstation, { jobs, enrolledAt: ENROLLED }, local('2026-11-24 03:00'));
    assert.equal(runs.length, 14);
    assert.deepEqual(runs.slice(-2).map((run) => [iso(run.slot), run.result, run.jobs]), [
      ['2026-11-20T21:00:00.000Z', 'success', ['fri']],
      ['2026-11-23T21:00:00.000Z', 'missed', []],
    ]);
  });

  test('a run whose window is still open is pending', () => {
    const runs = recentRuns(workstation, { jobs: [], enrolledAt: ENROLLED }, local('2026-11-23 22:30'));
    assert.equal(runs.at(-1)!.result, 'pending');
    assert.equal(iso(runs.at(-1)!.slot), iso(local('2026-11-23 22:00')));
  });

  test('a running job keeps its run pending', () => {
    const runs = recentRuns(workstation, { jobs: [done('now', 'running', local('2026-11-24 03:00'))], enrolledAt: ENROLLED }, local('2026-11-24 05:00'));
    assert.deepEqual([runs.at(-1)!.result, runs.at(-1)!.jobs], ['pending', ['now']]);
  });

  test('a retried failure shows as a warning under each-job, and by the merge rule under per-run', () => {
    const jobs = [done('a', 'failed', local('2026-11-23 22:10')), done('b', 'success', local('2026-11-23 22:50'))];
    const now = local('2026-11-24 09:00');
    assert.equal(recentRuns(workstation, { jobs, enrolledAt: ENROLLED }, now).at(-1)!.result, 'warning');
    const lastWins = scheduled(policy(WEEKDAYS_22, { merge: 'per-run', mergeRule: 'last' }));
    assert.deepEqual(recentRuns(lastWins, { jobs, enrolledAt: ENROLLED }, now).at(-1), { slot: local('2026-11-23 22:00'), result: 'success', jobs: ['a', 'b'] });
  });

  test('a run an offline laptop was off for is skipped; one it was on for is missed', () => {
    const laptop = scheduled(policy(WEEKDAYS_22, { offline: { skipWhenOffline: true, alertAfterDays: 7 } }));
    const runs = recentRuns(laptop, { jobs: [], signsOfLife: [local('2026-11-24 20:00')], enrolledAt: ENROLLED }, local('2026-11-25 09:00'));
    assert.deepEqual(runs.slice(-2).map((run) => run.result), ['skipped', 'missed']);
  });

  test('runs before enrolment are left out', () => {
    const runs = recentRuns(workstation, { jobs: [], enrolledAt: local('2026-11-20 12:00') }, local('2026-11-24 03:00'));
    assert.deepEqual(runs.map((run) => iso(run.slot)), [iso(local('2026-11-20 22:00')), iso(local('2026-11-23 22:00'))]);
  });
});

describe('the last 14 days of an interval schedule', () => {
  const every4h: DeviceProfile = { kind: 'server', intervalHours: 4, quotaBytes: null, schedule: { schedule: { kind: 'interval', hours: 4 }, timezone: 'Europe/Berlin' } };

  test('one cell per local day, starting at local midnight', () => {
    const runs = recentRuns(every4h, { jobs: [], enrolledAt: ENROLLED }, local('2026-11-24 12:00'));
    assert.equal(runs.length, 14);
    assert.equal(iso(runs.at(-1)!.slot), iso(local('2026-11-24 00:00')));
    assert.equal(iso(runs[0]!.slot), iso(local('2026-11-11 00:00')));
  });

  test('a day of successes is a success, a day without any run is missed, today is pending until missed', () => {
    const jobs = [0, 4, 8, 12, 16, 20].map((hour) => done(`d${hour}`, 'success', local('2026-11-22 00:30') + hour * HOUR));
    const runs = recentRuns(every4h, { jobs, enrolledAt: ENROLLED }, local('2026-11-23 01:00'));
    assert.deepEqual(runs.slice(-3).map((run) => run.result), ['missed', 'success', 'pending']);
    assert.equal(runs.at(-2)!.jobs.length, 6);
  });

  test('a day on which no run was due (weekly interval) is skipped, not missed', () => {
    const weekly: DeviceProfile = { kind: 'server', intervalHours: 168, quotaBytes: null };
    const runs = recentRuns(weekly, { jobs: [done('w', 'success', Date.UTC(2026, 10, 20, 3))], enrolledAt: ENROLLED }, Date.UTC(2026, 10, 24, 12));
    assert.deepEqual(runs.slice(-5).map((run) => run.result), ['success', 'skipped', 'skipped', 'skipped', 'pending']);
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateHealth, HOUR, mergedStatus, summarizeHistory, type DeviceSchedule, type HistoryEvent, type MergeRule } from '../../core/index.ts';
import { failure, job, success } from './builders.ts';
import { local, policy, scheduled } from './schedule-builders.ts';

const ENROLLED = local('2026-11-02 09:00');
const NIGHTLY = { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['22:00'] } as const;
const perRun = (mergeRule: MergeRule): DeviceSchedule => policy({ ...NIGHTLY, days: [...NIGHTLY.days], times: [...NIGHTLY.times] }, { merge: 'per-run', mergeRule });
const night = (day: number, time: string) => local(`2026-11-${String(day).padStart(2, '0')} ${time}`);

/** A failed run at 22:10 and its retry at 22:50 the same night. */
const retried = (day: number, retry: 'success' | 'failed'): HistoryEvent[] => [failure(night(day, '22:10')), job(retry, night(day, '22:50'))];

describe('per-run merge', () => {
  test('a failure retried successfully in the same run is no failure under "last"', () => {
    const state = summarizeHistory(ENROLLED, retried(20, 'success'), perRun('last'));
    assert.equal(state.consecutiveFailures, 0);
    assert.equal(state.lastFailureAt, null);
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[1, 0]]);
    assert.equal(evaluateHealth(scheduled(perRun('last')), state, night(21, '12:00')).status, 'healthy');
  });

  test('each-job (the default) counts the same retry as a failure and a success, as in Part I', () => {
    const state = summarizeHistory(ENROLLED, retried(20, 'success'), policy({ ...NIGHTLY, days: [...NIGHTLY.days], times: [...NIGHTLY.times] }));
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[1, 1]]);
    assert.equal(state.lastFailureAt, night(20, '22:10'));
  });

  test('"worst" keeps the run failed though its retry succeeded', () => {
    const state = summarizeHistory(ENROLLED, retried(20, 'success'), perRun('worst'));
    assert.equal(state.consecutiveFailures, 1);
    assert.equal(state.failureStreakSince, night(20, '22:10'));
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[0, 1]]);
  });

  test('"best" counts the run successful when any result succeeded', () => {
    const state = summarizeHistory(ENROLLED, [success(night(20, '22:10')), failure(night(20, '22:50'))], perRun('best'));
    assert.equal(state.consecutiveFailures, 0);
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[1, 0]]);
  });

  test('"mixed-is-warning" makes a failure beside a success a warning (a successful run)', () => {
    assert.equal(mergedStatus(1 | 4, 'failed', 'mixed-is-warning'), 'warning');
    assert.equal(mergedStatus(4, 'failed', 'mixed-is-warning'), 'failed');
    assert.equal(mergedStatus(1, 'success', 'mixed-is-warning'), 'success');
    const state = summarizeHistory(ENROLLED, [success(night(20, '22:10')), failure(night(20, '22:50'))], perRun('mixed-is-warning'));
    assert.equal(state.consecutiveFailures, 0);
  });

  test('three nights of failed retries are 3 consecutive failures, not 6', () => {
    const events = [20, 21, 22].flatMap((day) => retried(day, 'failed'));
    const state = summarizeHistory(ENROLLED, events, perRun('last'));
    assert.equal(state.consecutiveFailures, 3);
    assert.equal(state.failureStreakSince, night(20, '22:10'));
    assert.equal(evaluateHealth(scheduled(perRun('last')), state, night(23, '09:00')).status, 'critical');
  });

  test('the run after a failed run starts a new run: its success ends the streak', () => {
    const state = summarizeHistory(ENROLLED, [...retried(20, 'failed'), success(night(21, '22:15'))], perRun('worst'));
    assert.equal(state.consecutiveFailures, 0);
    assert.equal(state.lastFailureAt, night(20, '22:50'));
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[0, 1], [1, 0]]);
  });

  test('a result between one slot’s grace start and the next one’s belongs to the first run', () => {
    const state = summarizeHistory(ENROLLED, [failure(night(20, '18:30')), success(night(21, '17:59'))], perRun('last'));
    assert.equal(state.run!.key, night(20, '22:00'));
    assert.deepEqual(state.daily.map(({ ok, failed }) => ok + failed), [1]);
  });

  test('interval schedules merge results within the grace of each other', () => {
    const hourly: DeviceSchedule = { schedule: { kind: 'interval', hours: 4 }, timezone: 'UTC', merge: 'per-run', mergeRule: 'last' };
    const at = night(20, '10:00');
    const state = summarizeHistory(ENROLLED, [failure(at), failure(at + HOUR), success(at + 2 * HOUR), failure(at + 5 * HOUR)], hourly);
    assert.equal(state.consecutiveFailures, 1);
    assert.deepEqual(state.daily.map(({ ok, failed }) => [ok, failed]), [[1, 1]]);
  });
});

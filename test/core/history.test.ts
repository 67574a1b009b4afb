import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyCheckin,
  applyConsent,
  applyDrTest,
  applyJob,
  applyStorage,
  DAY,
  emptyDeviceState,
  HOUR,
  noteJobSeen,
  summarizeHistory,
} from '../../core/index.ts';
import { ENROLLED, failure, hoursAgo, NOW, running, success, drTest, storage, consent, checkin, job } from './builders.ts';

const completed = (status: 'success' | 'warning' | 'failed', endedAt: number) => ({ status, startedAt: endedAt - HOUR, endedAt });

describe('history fold', () => {
  test('a freshly enrolled device has reported nothing', () => {
    const state = emptyDeviceState(ENROLLED);
    assert.equal(state.enrolledAt, ENROLLED);
    assert.equal(state.lastCompletedAt, null);
    assert.equal(state.lastSuccessAt, null);
    assert.equal(state.consecutiveFailures, 0);
    assert.deepEqual(state.daily, []);
  });

  test('a failed job starts a failure streak at its end', () => {
    const state = applyJob(emptyDeviceState(ENROLLED), completed('failed', hoursAgo(5)));
    assert.equal(state.consecutiveFailures, 1);
    assert.equal(state.failureStreakSince, hoursAgo(5));
    assert.equal(state.lastFailureAt, hoursAgo(5));
    assert.equal(state.lastJobStatus, 'failed');
  });

  test('further failures extend the streak but keep its start', () => {
    let state = emptyDeviceState(ENROLLED);
    for (const at of [hoursAgo(9), hoursAgo(5), hoursAgo(1)]) state = applyJob(state, completed('failed', at));
    assert.equal(state.consecutiveFailures, 3);
    assert.equal(state.failureStreakSince, hoursAgo(9));
    assert.equal(state.lastFailureAt, hoursAgo(1));
  });

  test('a success ends the failure streak', () => {
    let state = applyJob(emptyDeviceState(ENROLLED), completed('failed', hoursAgo(5)));
    state = applyJob(state, completed('success', hoursAgo(1)));
    assert.equal(state.consecutiveFailures, 0);
    assert.equal(state.failureStreakSince, null);
    assert.equal(state.lastSuccessAt, hoursAgo(1));
    assert.equal(state.lastFailureAt, hoursAgo(5));
  });

  test('a job that completed with warnings counts as a success', () => {
    let state = applyJob(emptyDeviceState(ENROLLED), completed('failed', hoursAgo(5)));
    state = applyJob(state, completed('warning', hoursAgo(1)));
    assert.equal(state.consecutiveFailures, 0);
    assert.equal(state.lastSuccessAt, hoursAgo(1));
    assert.equal(state.lastJobStatus, 'warning');
    assert.deepEqual(state.daily.map((bucket) => bucket.ok + bucket.failed), [2]);
  });

  test('jobs are counted in daily buckets keyed by the UTC day they ended', () => {
    const day = Math.floor(NOW / DAY);
    let state = emptyDeviceState(ENROLLED);
    state = applyJob(state, completed('success', day * DAY - 1));
    state = applyJob(state, completed('failed', day * DAY));
    state = applyJob(state, completed('success', day * DAY + HOUR));
    assert.deepEqual(state.daily, [
      { day: day - 1, ok: 1, failed: 0 },
      { day, ok: 1, failed: 1 },
    ]);
  });

  test('only the newest 8 daily buckets are kept, in ascending order', () => {
    let state = emptyDeviceState(ENROLLED);
    for (let days = 12; days >= 0; days -= 1) state = applyJob(state, completed('success', NOW - days * DAY));
    const today = Math.floor(NOW / DAY);
    assert.deepEqual(state.daily.map((bucket) => bucket.day), [0, 1, 2, 3, 4, 5, 6, 7].map((offset) => today - 7 + offset));
  });

  test('folding returns a new state and leaves the old one untouched', () => {
    const before = applyJob(emptyDeviceState(ENROLLED), completed('success', hoursAgo(10)));
    const snapshot = structuredClone(before);
    applyJob(before, completed('failed', hoursAgo(1)));
    applyDrTest(before, { at: hoursAgo(1), result: 'failed' });
    applyStorage(before, { at: hoursAgo(1), usedBytes: 5, quotaBytes: 10 });
    applyConsent(before, { at: hoursAgo(1), state: 'expired' });
    applyCheckin(before, hoursAgo(1));
    noteJobSeen(before, hoursAgo(100));
    assert.deepEqual(before, snapshot);
  });

  test('a completed job sets the first job time as well', () => {
    const state = applyJob(emptyDeviceState(ENROLLED), completed('success', hoursAgo(2)));
    assert.equal(state.firstJobAt, hoursAgo(3));
  });

  test('noting a job keeps the earliest start seen', () => {
    let state = noteJobSeen(emptyDeviceState(ENROLLED), hoursAgo(5));
    state = noteJobSeen(state, hoursAgo(2));
    assert.equal(state.firstJobAt, hoursAgo(5));
    state = noteJobSeen(state, hoursAgo(8));
    assert.equal(state.firstJobAt, hoursAgo(8));
  });

  test('an older job out of order updates counts but not the streak', () => {
    let state = applyJob(emptyDeviceState(ENROLLED), completed('failed', hoursAgo(1)));
    state = applyJob(state, completed('success', hoursAgo(3)));
    assert.equal(state.consecutiveFailures, 1);
    assert.equal(state.lastJobStatus, 'failed');
    assert.equal(state.lastCompletedAt, hoursAgo(1));
    assert.equal(state.lastSuccessAt, hoursAgo(3));
  });

  test('the newest DR test wins and an older one is ignored', () => {
    let state = applyDrTest(emptyDeviceState(ENROLLED), { at: hoursAgo(5), result: 'failed' });
    state = applyDrTest(state, { at: hoursAgo(9), result: 'passed' });
    assert.deepEqual(state.lastDrTest, { at: hoursAgo(5), result: 'failed' });
    state = applyDrTest(state, { at: hoursAgo(1), result: 'passed' });
    assert.deepEqual(state.lastDrTest, { at: hoursAgo(1), result: 'passed' });
  });

  test('of two DR tests at the same time the later call wins', () => {
    let state = applyDrTest(emptyDeviceState(ENROLLED), { at: hoursAgo(5), result: 'passed' });
    state = applyDrTest(state, { at: hoursAgo(5), result: 'failed' });
    assert.equal(state.lastDrTest?.result, 'failed');
  });

  test('the newest storage report wins', () => {
    let state = applyStorage(emptyDeviceState(ENROLLED), { at: hoursAgo(2), usedBytes: 70, quotaBytes: 100 });
    state = applyStorage(state, { at: hoursAgo(4), usedBytes: 99, quotaBytes: 100 });
    assert.deepEqual(state.storage, { at: hoursAgo(2), usedBytes: 70, quotaBytes: 100 });
  });

  test('the newest consent event wins', () => {
    let state = applyConsent(emptyDeviceState(ENROLLED), { at: hoursAgo(2), state: 'ok' });
    state = applyConsent(state, { at: hoursAgo(4), state: 'expired' });
    assert.equal(state.saasConsent?.state, 'ok');
  });

  test('a check-in keeps the newest time and does not make the device known', () => {
    let state = applyCheckin(emptyDeviceState(ENROLLED), hoursAgo(1));
    state = applyCheckin(state, hoursAgo(3));
    assert.equal(state.lastCheckinAt, hoursAgo(1));
    assert.equal(state.lastCompletedAt, null);
  });
});

describe('summarizeHistory', () => {
  test('a running job only sets the first job time', () => {
    const state = summarizeHistory(ENROLLED, [running(hoursAgo(2))]);
    assert.equal(state.firstJobAt, hoursAgo(2));
    assert.equal(state.lastCompletedAt, null);
    assert.deepEqual(state.daily, []);
  });

  test('a job without an end counts as running whatever its status', () => {
    const state = summarizeHistory(ENROLLED, [{ type: 'job', status: 'success', startedAt: hoursAgo(2), endedAt: null }]);
    assert.equal(state.lastCompletedAt, null);
    assert.equal(state.firstJobAt, hoursAgo(2));
  });

  test('the order of the events does not matter', () => {
    const events = [success(hoursAgo(30)), failure(hoursAgo(20)), failure(hoursAgo(10)), drTest(hoursAgo(40), 'passed'), storage(hoursAgo(3), 5, 10), consent(hoursAgo(8), 'ok'), checkin(hoursAgo(1)), job('warning', hoursAgo(50))];
    const forward = summarizeHistory(ENROLLED, events);
    const backward = summarizeHistory(ENROLLED, [...events].reverse());
    assert.deepEqual(backward, forward);
    assert.equal(forward.consecutiveFailures, 2);
    assert.equal(forward.failureStreakSince, hoursAgo(20));
    assert.equal(forward.lastSuccessAt, hoursAgo(30));
    assert.equal(forward.firstJobAt, hoursAgo(50.5));
  });
});

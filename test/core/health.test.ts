import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateHealth, HOUR, SCORE_WEIGHTS, STATUS_BANDS } from '../../core/index.ts';
import { checkin, consent, daysAgo, device, drTest, failure, history, hoursAgo, NOW, running, storage, success, successesEvery } from './builders.ts';

const GB = 1_000_000_000;

describe('health status', () => {
  test('a device without any completed job is unknown with score 0', () => {
    const health = evaluateHealth(device(), history(), NOW);
    assert.equal(health.status, 'unknown');
    assert.equal(health.score, 0);
  });

  test('check-ins and a running job alone do not make a device known', () => {
    const health = evaluateHealth(device(), history(checkin(hoursAgo(1)), running(hoursAgo(1))), NOW);
    assert.equal(health.status, 'unknown');
    assert.equal(health.score, 0);
    assert.match(health.reasons[0]!, /No backup job has completed yet/);
  });

  test('a failed DR test on an unknown device still leaves it unknown', () => {
    assert.equal(evaluateHealth(device(), history(drTest(hoursAgo(1), 'failed')), NOW).status, 'unknown');
  });

  test('a recent success within the schedule is healthy', () => {
    const health = evaluateHealth(device(), history(...successesEvery(4, 40, hoursAgo(1)), drTest(daysAgo(7), 'passed')), NOW);
    assert.equal(health.status, 'healthy');
    assert.equal(health.reasons[0], 'Last backup succeeded 1 h ago, within the 4 h schedule');
  });

  test('a success exactly one interval ago is not overdue', () => {
    assert.equal(evaluateHealth(device(), history(success(hoursAgo(4))), NOW).status, 'healthy');
  });

  test('a success just over one interval ago is a warning', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(4) - 1)), NOW);
    assert.equal(health.status, 'warning');
    assert.equal(health.reasons[0], 'Last successful backup 4 h ago (policy every 4 h)');
  });

  test('exactly 48 h overdue is still a warning', () => {
    assert.equal(evaluateHealth(device(), history(success(hoursAgo(52))), NOW).status, 'warning');
  });

  test('more than 48 h overdue is critical', () => {
    const health = evaluateHealth(device({ kind: 'server' }), history(success(hoursAgo(53))), NOW);
    assert.equal(health.status, 'critical');
    assert.equal(health.reasons[0], 'Last successful backup 53 h ago (policy every 4 h)');
  });

  test('without any success, age counts from the first job', () => {
    const health = evaluateHealth(device(), history(failure(hoursAgo(60))), NOW);
    assert.equal(health.status, 'critical');
    assert.match(health.reasons.join('\n'), /No successful backup in the 60 h since the first job on 2026-11-21 23:30 UTC/);
  });

  test('one recent failure makes a device a warning', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(3)), failure(hoursAgo(1))), NOW);
    assert.equal(health.status, 'warning');
    assert.equal(health.reasons[0], 'Last backup failed at 2026-11-24 11:00 UTC');
  });

  test('two consecutive failures are a warning', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(3.5)), failure(hoursAgo(2)), failure(hoursAgo(1))), NOW);
    assert.equal(health.status, 'warning');
    assert.equal(health.reasons[0], '2 consecutive failures since 2026-11-24 10:00 UTC');
  });

  test('three consecutive failures make a device critical', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(3.5)), failure(hoursAgo(3)), failure(hoursAgo(2)), failure(hoursAgo(1))), NOW);
    assert.equal(health.status, 'critical');
    assert.equal(health.reasons[0], '3 consecutive failures since 2026-11-24 09:00 UTC');
  });

  test('a failure within the last 7 days keeps a device at warning after later successes', () => {
    const state = history(failure(daysAgo(7)), ...successesEvery(4, 30, hoursAgo(1)));
    const health = evaluateHealth(device(), state, NOW);
    assert.equal(health.status, 'warning');
    assert.match(health.reasons[0]!, /A backup failed on 2026-11-17 12:00 UTC/);
  });

  test('a failure more than 7 days ago no longer counts', () => {
    const state = history(failure(daysAgo(7) - 1), ...successesEvery(4, 30, hoursAgo(1)));
    assert.equal(evaluateHealth(device(), state, NOW).status, 'healthy');
  });

  test('a failed newest DR test makes a device critical', () => {
    const health = evaluateHealth(device(), history(...successesEvery(4, 40, hoursAgo(1)), drTest(daysAgo(1), 'failed')), NOW);
    assert.equal(health.status, 'critical');
    assert.equal(health.reasons[0], 'Most recent DR test failed on 2026-11-23 12:00 UTC');
  });

  test('a passed DR test after a failed one clears the DR rule', () => {
    const state = history(success(hoursAgo(1)), drTest(daysAgo(2), 'failed'), drTest(daysAgo(1), 'passed'));
    assert.equal(evaluateHealth(device(), state, NOW).status, 'healthy');
  });

  test('an expired SaaS consent makes a SaaS device critical', () => {
    const health = evaluateHealth(device({ kind: 'saas', intervalHours: 24 }), history(success(hoursAgo(2)), consent(hoursAgo(5), 'expired')), NOW);
    assert.equal(health.status, 'critical');
    assert.equal(health.reasons[0], 'SaaS consent expired on 2026-11-24 07:00 UTC');
  });

  test('consent only matters for SaaS devices', () => {
    assert.equal(evaluateHealth(device(), history(success(hoursAgo(2)), consent(hoursAgo(5), 'expired')), NOW).status, 'healthy');
  });

  test('critical reasons come before warning reasons', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(6)), failure(hoursAgo(1)), drTest(daysAgo(1), 'failed')), NOW);
    assert.deepEqual(health.reasons.slice(0, 3), [
      'Most recent DR test failed on 2026-11-23 12:00 UTC',
      'Last backup failed at 2026-11-24 11:00 UTC',
      'Last successful backup 6 h ago (policy every 4 h)',
    ]);
  });
});

describe('health score', () => {
  test('the score lies in the band of the status', () => {
    for (const state of [history(success(hoursAgo(1))), history(success(hoursAgo(6))), history(success(hoursAgo(80)))]) {
      const { status, score } = evaluateHealth(device(), state, NOW);
      const [low, high] = STATUS_BANDS[status];
      assert.ok(score >= low && score <= high, `${status} ${score}`);
    }
  });

  test('a perfect device scores 100', () => {
    const state = history(...successesEvery(4, 40, hoursAgo(1)), drTest(daysAgo(7), 'passed'));
    assert.equal(evaluateHealth(device(), state, NOW).score, 100);
  });

  test('every component reports its value, weight and points', () => {
    const { components } = evaluateHealth(device(), history(success(hoursAgo(1))), NOW);
    assert.deepEqual(components.drTest, { value: 0.5, weight: SCORE_WEIGHTS.drTest, points: 10 });
    assert.deepEqual(components.recency, { value: 1, weight: 0.35, points: 35 });
  });

  test('recency falls linearly from the interval to 0 at twice the interval plus 48 h', () => {
    const recency = (hours: number) => evaluateHealth(device(), history(success(hoursAgo(hours))), NOW).components.recency.value;
    assert.equal(recency(4), 1);
    assert.equal(recency(30), 0.5);
    assert.equal(recency(56), 0);
    assert.equal(recency(200), 0);
  });

  test('success rate counts the completed jobs of the last 7 days', () => {
    const state = history(failure(daysAgo(9)), success(daysAgo(3)), failure(daysAgo(2)), success(hoursAgo(1)), success(hoursAgo(2)));
    assert.equal(evaluateHealth(device(), state, NOW).components.successRate.value, 0.75);
  });

  test('success rate is 0.5 without a completed job in the window', () => {
    assert.equal(evaluateHealth(device(), history(success(daysAgo(9))), NOW).components.successRate.value, 0.5);
  });

  test('a DR test passed within 90 days earns full credit, an older one 0.75, none 0.5, failed 0', () => {
    const dr = (...events: Parameters<typeof history>) => evaluateHealth(device(), history(success(hoursAgo(1)), ...events), NOW).components.drTest.value;
    assert.equal(dr(drTest(daysAgo(90), 'passed')), 1);
    assert.equal(dr(drTest(daysAgo(91), 'passed')), 0.75);
    assert.equal(dr(), 0.5);
    assert.equal(dr(drTest(daysAgo(1), 'failed')), 0);
  });

  test('storage earns full credit up to 80 % of quota and none at 100 %', () => {
    const value = (used: number) => evaluateHealth(device({ quotaBytes: 100 * GB }), history(success(hoursAgo(1)), storage(hoursAgo(1), used * GB)), NOW).components.storage.value;
    assert.equal(value(80), 1);
    assert.ok(Math.abs(value(90) - 0.5) < 1e-9);
    assert.equal(value(100), 0);
    assert.equal(value(120), 0);
  });

  test("a storage report's quota wins over the device's", () => {
    const state = history(success(hoursAgo(1)), storage(hoursAgo(1), 90 * GB, 90 * GB));
    assert.equal(evaluateHealth(device({ quotaBytes: 1000 * GB }), state, NOW).components.storage.value, 0);
  });

  test('storage without a quota or without a report earns full credit', () => {
    assert.equal(evaluateHealth(device(), history(success(hoursAgo(1)), storage(hoursAgo(1), 90 * GB)), NOW).components.storage.value, 1);
    assert.equal(evaluateHealth(device({ quotaBytes: GB }), history(success(hoursAgo(1))), NOW).components.storage.value, 1);
  });

  test('storage above 80 % is given as a reason', () => {
    const state = history(success(hoursAgo(1)), storage(hoursAgo(1), 97 * GB, 100 * GB));
    assert.ok(evaluateHealth(device(), state, NOW).reasons.includes('Storage at 97 % of quota'));
  });

  test('a failed DR test weighs the score down inside the critical band', () => {
    const passed = evaluateHealth(device(), history(success(hoursAgo(80)), drTest(daysAgo(1), 'passed')), NOW);
    const failed = evaluateHealth(device(), history(success(hoursAgo(80)), drTest(daysAgo(1), 'failed')), NOW);
    assert.equal(passed.status, 'critical');
    assert.ok(failed.score < passed.score);
  });

  test('health reports the last success and the failure streak', () => {
    const health = evaluateHealth(device(), history(success(hoursAgo(3)), failure(hoursAgo(1))), NOW);
    assert.equal(health.lastSuccessAt, NOW - 3 * HOUR);
    assert.equal(health.consecutiveFailures, 1);
  });
});

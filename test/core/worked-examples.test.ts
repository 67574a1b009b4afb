/**
 * The worked examples (docs/health-score.md): each row's status and the alerts it opens, evaluated at
 * NOW with the default SLA rules and no alert active before.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAlerts, evaluateHealth, type DeviceProfile, type DeviceState } from '../../core/index.ts';
import { active, alertInput, consent, daysAgo, device, drTest, failure, history, hoursAgo, NOW, success, successesEvery } from './builders.ts';

function evaluate(profile: DeviceProfile, state: DeviceState) {
  const health = evaluateHealth(profile, state, NOW);
  const opened = evaluateAlerts(alertInput(profile, state), NOW).map((t) => (t.action === 'open' ? `${t.type}:${t.severity}` : `${t.action}:${t.type}`));
  return { status: health.status, score: health.score, opened };
}

const workstation4h = device({ kind: 'workstation', intervalHours: 4 });
const server4h = device({ kind: 'server', intervalHours: 4 });
const workstationDaily = device({ kind: 'workstation', intervalHours: 24 });
const saasDaily = device({ kind: 'saas', intervalHours: 24 });

describe('worked examples', () => {
  test('workstation 4 h, successes every 4 h, newest 1 h ago, DR test passed last week: healthy, no alert', () => {
    const state = history(...successesEvery(4, 60, hoursAgo(1)), drTest(daysAgo(7), 'passed'));
    assert.deepEqual(evaluate(workstation4h, state), { status: 'healthy', score: 100, opened: [] });
  });

  test('workstation 4 h, newest success 5 h ago, no failures: warning, no alert yet', () => {
    const { status, opened } = evaluate(workstation4h, history(...successesEvery(4, 60, hoursAgo(5))));
    assert.equal(status, 'warning');
    assert.deepEqual(opened, []);
  });

  test('server 4 h, newest success 7 h ago: warning with backup_missed_schedule', () => {
    const { status, opened } = evaluate(server4h, history(...successesEvery(4, 60, hoursAgo(7))));
    assert.equal(status, 'warning');
    assert.deepEqual(opened, ['backup_missed_schedule:warning']);
  });

  test('server 4 h, newest success 13 h ago: warning with backup_missed_schedule and backup_overdue', () => {
    const { status, opened } = evaluate(server4h, history(...successesEvery(4, 60, hoursAgo(13))));
    assert.equal(status, 'warning');
    assert.deepEqual(opened, ['backup_missed_schedule:warning', 'backup_overdue:critical']);
  });

  test('server 4 h, newest success 53 h ago: critical with backup_missed_schedule and backup_overdue', () => {
    const { status, opened } = evaluate(server4h, history(...successesEvery(4, 60, hoursAgo(53))));
    assert.equal(status, 'critical');
    assert.deepEqual(opened, ['backup_missed_schedule:warning', 'backup_overdue:critical']);
  });

  test('workstation daily, a success then three failures: critical with a critical backup_failed', () => {
    // The failures are retries within the day, so the schedule is not yet missed.
    const state = history(success(hoursAgo(20)), failure(hoursAgo(12)), failure(hoursAgo(8)), failure(hoursAgo(2)));
    const { status, opened } = evaluate(workstationDaily, state);
    assert.equal(status, 'critical');
    assert.deepEqual(opened, ['backup_failed:critical']);
  });

  test('workstation daily, three daily failures since the last success: the schedule alerts join backup_failed', () => {
    const state = history(success(daysAgo(3) - 1), failure(daysAgo(2)), failure(daysAgo(1)), failure(hoursAgo(1)));
    const { status, opened } = evaluate(workstationDaily, state);
    assert.equal(status, 'critical');
    assert.deepEqual(opened, ['backup_failed:critical', 'backup_missed_schedule:warning', 'backup_overdue:critical']);
  });

  test('workstation daily, one failure two days ago, successes since: warning, the next success resolved backup_failed', () => {
    const state = history(success(daysAgo(3)), failure(daysAgo(2)), success(daysAgo(1)), success(hoursAgo(1)));
    const { status, opened } = evaluate(workstationDaily, state);
    assert.equal(status, 'warning');
    assert.deepEqual(opened, []);
    const afterFailure = history(success(daysAgo(3)), failure(daysAgo(2)), success(daysAgo(1)));
    assert.deepEqual(
      evaluateAlerts(alertInput(workstationDaily, afterFailure, [active('backup_failed', 'warning')]), daysAgo(1)).map((t) => t.action),
      ['resolve'],
    );
  });

  test('saas daily, consent expired, jobs fine: critical with saas_consent_expired', () => {
    const state = history(...successesEvery(24, 20, hoursAgo(2)), consent(hoursAgo(6), 'expired'));
    const { status, opened } = evaluate(saasDaily, state);
    assert.equal(status, 'critical');
    assert.deepEqual(opened, ['saas_consent_expired:critical']);
  });

  test('any device enrolled without a job yet: unknown, score 0, no alert', () => {
    for (const profile of [workstation4h, server4h, saasDaily]) {
      assert.deepEqual(evaluate(profile, history()), { status: 'unknown', score: 0, opened: [] });
    }
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { alertConditions, evaluateAlerts, HOUR, RECOMMENDED_ACTIONS, ALERT_TYPES, type AlertInput } from '../../core/index.ts';
import { active, alertInput, consent, daysAgo, device, drTest, failure, history, hoursAgo, NOW, running, storage, success } from './builders.ts';

const types = (input: AlertInput, now = NOW) => alertConditions(input, now).map((condition) => condition.type);
const conditionOf = (input: AlertInput, type: string, now = NOW) => alertConditions(input, now).find((c) => c.type === type);
const server = device({ kind: 'server' });
const saas = device({ kind: 'saas', intervalHours: 24 });

describe('alert conditions', () => {
  test('an unknown device raises no alert', () => {
    assert.deepEqual(types(alertInput(server, history(running(daysAgo(5)), drTest(daysAgo(1), 'failed')))), []);
  });

  test('a failed job raises backup_failed as a warning since the failure', () => {
    const condition = conditionOf(alertInput(device(), history(success(hoursAgo(3)), failure(hoursAgo(1)))), 'backup_failed');
    assert.equal(condition?.severity, 'warning');
    assert.equal(condition?.since, hoursAgo(1));
    assert.equal(condition?.recommendedAction, RECOMMENDED_ACTIONS.backup_failed);
  });

  test('backup_failed is critical from the 3rd consecutive failure', () => {
    const two = history(success(hoursAgo(3.5)), failure(hoursAgo(3)), failure(hoursAgo(2)));
    const three = history(success(hoursAgo(3.5)), failure(hoursAgo(3)), failure(hoursAgo(2)), failure(hoursAgo(1)));
    assert.equal(conditionOf(alertInput(device(), two), 'backup_failed')?.severity, 'warning');
    const condition = conditionOf(alertInput(device(), three), 'backup_failed');
    assert.equal(condition?.severity, 'critical');
    assert.equal(condition?.since, hoursAgo(3));
    assert.equal(condition?.reason, '3 consecutive failures since 2026-11-24 09:00 UTC');
  });

  test('exactly 1.5 intervals without success does not miss the schedule', () => {
    assert.deepEqual(types(alertInput(server, history(success(hoursAgo(6))))), []);
  });

  test('more than 1.5 intervals without success misses the schedule', () => {
    const condition = conditionOf(alertInput(server, history(success(hoursAgo(6) - 1))), 'backup_missed_schedule');
    assert.equal(condition?.severity, 'warning');
    assert.equal(condition?.since, hoursAgo(6) - 1 + 6 * HOUR);
  });

  test('a missed schedule applies to SaaS devices too', () => {
    assert.ok(types(alertInput(saas, history(success(hoursAgo(37))))).includes('backup_missed_schedule'));
  });

  test('a server is overdue from 12 h without success', () => {
    assert.ok(!types(alertInput(server, history(success(hoursAgo(12) + 1)))).includes('backup_overdue'));
    const condition = conditionOf(alertInput(server, history(success(hoursAgo(12)))), 'backup_overdue');
    assert.equal(condition?.severity, 'critical');
    assert.equal(condition?.since, NOW);
  });

  test('a workstation is overdue from 24 h, not at 12 h', () => {
    assert.ok(!types(alertInput(device(), history(success(hoursAgo(13))))).includes('backup_overdue'));
    assert.ok(!types(alertInput(device(), history(success(hoursAgo(24) + 1)))).includes('backup_overdue'));
    assert.ok(types(alertInput(device(), history(success(hoursAgo(24))))).includes('backup_overdue'));
  });

  test("backup_overdue follows the client's SLA hours", () => {
    const input = { ...alertInput(server, history(success(hoursAgo(13)))), sla: { workstationHours: 24, serverHours: 16, saasHours: 36 } };
    assert.ok(!types(input).includes('backup_overdue'));
  });

  test('a SaaS device is never backup_overdue', () => {
    assert.ok(!types(alertInput(saas, history(success(daysAgo(5))))).includes('backup_overdue'));
  });

  test('without any success the schedule counts from the first job', () => {
    const condition = conditionOf(alertInput(server, history(failure(hoursAgo(13)))), 'backup_overdue');
    assert.equal(condition?.since, hoursAgo(13.5) + 12 * HOUR);
  });

  test('storage at exactly 95 % of quota raises nothing, above 95 % a warning', () => {
    const at95 = history(success(hoursAgo(1)), storage(hoursAgo(2), 95, 100));
    const above = history(success(hoursAgo(1)), storage(hoursAgo(2), 96, 100));
    assert.deepEqual(types(alertInput(device(), at95)), []);
    const condition = conditionOf(alertInput(device(), above), 'storage_quota_exceeded');
    assert.equal(condition?.severity, 'warning');
    assert.equal(condition?.since, hoursAgo(2));
    assert.equal(condition?.reason, 'Storage at 96 % of quota');
  });

  test("storage uses the device's quota when the report has none", () => {
    assert.ok(types(alertInput(device({ quotaBytes: 100 }), history(success(hoursAgo(1)), storage(hoursAgo(2), 99)))).includes('storage_quota_exceeded'));
  });

  test('a SaaS backup exactly 36 h after it was due is not yet overdue', () => {
    // Last success 60 h ago, daily policy: due 36 h ago.
    assert.ok(!types(alertInput(saas, history(success(hoursAgo(60))))).includes('saas_backup_overdue'));
  });

  test('a SaaS backup more than 36 h after it was due is overdue', () => {
    const condition = conditionOf(alertInput(saas, history(success(hoursAgo(60) - 1))), 'saas_backup_overdue');
    assert.equal(condition?.severity, 'warning');
    assert.equal(condition?.since, hoursAgo(60) - 1 + 60 * HOUR);
  });

  test('saas_backup_overdue only applies to SaaS devices', () => {
    assert.ok(!types(alertInput(device({ intervalHours: 24 }), history(success(daysAgo(5))))).includes('saas_backup_overdue'));
  });

  test('an expired SaaS consent is critical since the consent event', () => {
    const condition = conditionOf(alertInput(saas, history(success(hoursAgo(1)), consent(hoursAgo(3), 'expired'))), 'saas_consent_expired');
    assert.equal(condition?.severity, 'critical');
    assert.equal(condition?.since, hoursAgo(3));
  });

  test('a newest failed DR test is critical since the test', () => {
    const condition = conditionOf(alertInput(server, history(success(hoursAgo(1)), drTest(daysAgo(2), 'failed'))), 'dr_test_failed');
    assert.equal(condition?.severity, 'critical');
    assert.equal(condition?.since, daysAgo(2));
  });

  test('every alert type has a recommended action for a technician', () => {
    for (const type of ALERT_TYPES) assert.ok(RECOMMENDED_ACTIONS[type].length > 40, type);
  });
});

describe('alert transitions', () => {
  const failedOnce = history(success(hoursAgo(3)), failure(hoursAgo(1)));
  const failedThrice = history(success(hoursAgo(3.5)), failure(hoursAgo(3)), failure(hoursAgo(2)), failure(hoursAgo(1)));

  test('a new condition opens an alert triggered when the condition began', () => {
    assert.deepEqual(evaluateAlerts(alertInput(device(), failedOnce), NOW), [
      {
        action: 'open',
        type: 'backup_failed',
        severity: 'warning',
        at: NOW,
        triggeredAt: hoursAgo(1),
        reason: 'Last backup failed at 2026-11-24 11:00 UTC',
        recommendedAction: RECOMMENDED_ACTIONS.backup_failed,
      },
    ]);
  });

  test('a repeated condition does not open a duplicate', () => {
    const twice = history(success(hoursAgo(3)), failure(hoursAgo(2)), failure(hoursAgo(1)));
    assert.deepEqual(evaluateAlerts(alertInput(device(), twice, [active('backup_failed', 'warning')]), NOW), []);
  });

  test('the 3rd consecutive failure escalates the open alert in place', () => {
    const transitions = evaluateAlerts(alertInput(device(), failedThrice, [active('backup_failed', 'warning')]), NOW);
    assert.equal(transitions.length, 1);
    const [escalation] = transitions;
    assert.equal(escalation?.action, 'escalate');
    assert.equal(escalation?.type, 'backup_failed');
    assert.ok(escalation?.action === 'escalate' && escalation.from === 'warning' && escalation.severity === 'critical');
    assert.equal(escalation?.at, NOW);
  });

  test('a critical alert is never de-escalated', () => {
    assert.deepEqual(evaluateAlerts(alertInput(device(), failedOnce, [active('backup_failed', 'critical')]), NOW), []);
  });

  test('the next success resolves backup_failed', () => {
    const recovered = history(failure(hoursAgo(3)), success(hoursAgo(1)));
    assert.deepEqual(evaluateAlerts(alertInput(device(), recovered, [active('backup_failed', 'critical')]), NOW), [
      { action: 'resolve', type: 'backup_failed', at: NOW, reason: 'Backup succeeded at 2026-11-24 11:00 UTC' },
    ]);
  });

  test('an acknowledged alert stays active: no reopen, resolved when the condition clears', () => {
    const acknowledged = [active('backup_failed', 'warning', 'acknowledged')];
    assert.deepEqual(evaluateAlerts(alertInput(device(), failedOnce, acknowledged), NOW), []);
    const transitions = evaluateAlerts(alertInput(device(), history(success(hoursAgo(1))), acknowledged), NOW);
    assert.deepEqual(transitions.map((t) => t.action), ['resolve']);
  });

  test('a missed schedule resolves on the next success', () => {
    const transitions = evaluateAlerts(alertInput(server, history(success(hoursAgo(1))), [active('backup_missed_schedule', 'warning'), active('backup_overdue', 'critical')]), NOW);
    assert.deepEqual(transitions.map((t) => [t.action, t.type]), [['resolve', 'backup_missed_schedule'], ['resolve', 'backup_overdue']]);
  });

  test('restored consent and a passed DR test resolve their alerts with the reason', () => {
    const state = history(success(hoursAgo(1)), consent(hoursAgo(2), 'ok'), drTest(hoursAgo(3), 'passed'));
    const transitions = evaluateAlerts(alertInput(saas, state, [active('saas_consent_expired', 'critical'), active('dr_test_failed', 'critical')]), NOW);
    assert.deepEqual(transitions.map((t) => t.reason), ['SaaS consent restored on 2026-11-24 10:00 UTC', 'DR test passed on 2026-11-24 09:00 UTC']);
  });

  test('freed storage resolves storage_quota_exceeded', () => {
    const state = history(success(hoursAgo(1)), storage(hoursAgo(1), 80, 100));
    const transitions = evaluateAlerts(alertInput(device(), state, [active('storage_quota_exceeded', 'warning')]), NOW);
    assert.deepEqual(transitions.map((t) => t.reason), ['Storage back to 80 % of quota']);
  });

  test('two active alerts of one type still give at most one transition', () => {
    const transitions = evaluateAlerts(alertInput(device(), failedThrice, [active('backup_failed', 'warning'), active('backup_failed', 'warning', 'acknowledged')]), NOW);
    assert.equal(transitions.length, 1);
  });

  test('several conditions open together, one transition per type', () => {
    const transitions = evaluateAlerts(alertInput(server, history(success(hoursAgo(53)), drTest(daysAgo(1), 'failed'))), NOW);
    assert.deepEqual(transitions.map((t) => t.type), ['backup_missed_schedule', 'backup_overdue', 'dr_test_failed']);
  });
});

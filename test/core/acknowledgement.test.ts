import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { acknowledgeAll, advanceAlert, HOUR, noteIssues, openAlert, type AlertStep, type AlertWorkflow } from '../../core/index.ts';
import { NOW } from './builders.ts';

const opened = openAlert({ action: 'open', type: 'backup_failed', severity: 'warning', at: NOW, triggeredAt: NOW - HOUR, reason: '1 failure since 2026-11-24 11:00 UTC', recommendedAction: 'Re-run it' });
const open = opened.alert;
const acknowledged: AlertWorkflow = { state: 'acknowledged', severity: 'warning', acknowledgement: { by: 'jamie', at: NOW + HOUR, note: 'On it' }, remindFrom: null };
const resolvedAlert: AlertWorkflow = { ...acknowledged, state: 'resolved' };
const escalate = (at: number) => ({ action: 'escalate' as const, type: 'backup_failed' as const, from: 'warning' as const, severity: 'critical' as const, at, reason: '3 consecutive failures since 2026-11-24 11:00 UTC', recommendedAction: 'Re-run it' });
const changed = (result: ReturnType<typeof advanceAlert>): AlertStep => {
  assert.equal(result.outcome, 'changed');
  return result as AlertStep;
};

describe('opening an alert', () => {
  test('a new alert is open, notifies, and counts reminders from its opening', () => {
    assert.deepEqual(open, { state: 'open', severity: 'warning', acknowledgement: null, remindFrom: NOW });
    assert.deepEqual(opened.history, [{ action: 'opened', at: NOW, severity: 'warning', by: null, note: '1 failure since 2026-11-24 11:00 UTC' }]);
    assert.deepEqual(opened.notifications, [{ kind: 'opened', severity: 'warning', at: NOW }]);
  });
});

describe('acknowledging', () => {
  test('acknowledging records who, when and the note, and stops reminders', () => {
    const step = changed(advanceAlert(open, { action: 'acknowledge', by: 'jamie', note: ' On it ', at: NOW + HOUR }));
    assert.deepEqual(step.alert, acknowledged);
    assert.deepEqual(step.history, [{ action: 'acknowledged', at: NOW + HOUR, severity: 'warning', by: 'jamie', note: 'On it' }]);
    assert.deepEqual(step.notifications, []);
  });

  test('a blank note is no note', () => {
    const step = changed(advanceAlert(open, { action: 'acknowledge', by: 'jamie', note: '   ', at: NOW }));
    assert.equal(step.alert.acknowledgement?.note, null);
  });

  test('acknowledging an acknowledged alert changes nothing (the first acknowledgement stands)', () => {
    assert.deepEqual(advanceAlert(acknowledged, { action: 'acknowledge', by: 'kim', at: NOW + 2 * HOUR }), { outcome: 'unchanged', alert: acknowledged });
  });

  test('a resolved alert cannot be acknowledged', () => {
    assert.deepEqual(advanceAlert(resolvedAlert, { action: 'acknowledge', by: 'kim', at: NOW }), {
      outcome: 'rejected', reason: 'resolved', message: 'The alert is resolved; it cannot be acknowledged.',
    });
  });
});

describe('unacknowledging', () => {
  test('unacknowledging reopens the alert, records who, and restarts reminders from then', () => {
    const step = changed(advanceAlert(acknowledged, { action: 'unacknowledge', by: 'kim', note: 'Not fixed after all', at: NOW + 3 * HOUR }));
    assert.deepEqual(step.alert, { state: 'open', severity: 'warning', acknowledgement: null, remindFrom: NOW + 3 * HOUR });
    assert.deepEqual(step.history, [{ action: 'unacknowledged', at: NOW + 3 * HOUR, severity: 'warning', by: 'kim', note: 'Not fixed after all' }]);
  });

  test('unacknowledging an open alert changes nothing; a resolved one is refused', () => {
    assert.equal(advanceAlert(open, { action: 'unacknowledge', by: 'kim', at: NOW }).outcome, 'unchanged');
    assert.equal(advanceAlert(resolvedAlert, { action: 'unacknowledge', by: 'kim', at: NOW }).outcome, 'rejected');
  });
});

describe('escalation', () => {
  test('an acknowledged alert that escalates to critical goes back to open and notifies again', () => {
    const step = changed(advanceAlert(acknowledged, escalate(NOW + 5 * HOUR)));
    assert.deepEqual(step.alert, { state: 'open', severity: 'critical', acknowledgement: null, remindFrom: NOW + 5 * HOUR });
    assert.deepEqual(step.notifications, [{ kind: 'escalated', from: 'warning', severity: 'critical', at: NOW + 5 * HOUR, reason: '3 consecutive failures since 2026-11-24 11:00 UTC' }]);
    assert.equal(step.history[0]!.note, '3 consecutive failures since 2026-11-24 11:00 UTC. Back to open: the acknowledgement by jamie (2026-11-24 13:00 UTC) no longer holds');
  });

  test('an open alert that escalates stays open, notifies, and restarts its reminders', () => {
    const step = changed(advanceAlert(open, escalate(NOW + 5 * HOUR)));
    assert.deepEqual([step.alert.state, step.alert.severity, step.alert.remindFrom], ['open', 'critical', NOW + 5 * HOUR]);
    assert.equal(step.notifications[0]!.kind, 'escalated');
    assert.deepEqual(step.history.map((h) => [h.action, h.by]), [['escalated', null]]);
  });

  test('a critical alert does not escalate again', () => {
    const critical: AlertWorkflow = { ...open, severity: 'critical' };
    assert.deepEqual(advanceAlert(critical, escalate(NOW)), { outcome: 'unchanged', alert: critical });
  });
});

describe('resolving', () => {
  test('resolving closes the alert, keeps who acknowledged it, and notifies', () => {
    const step = changed(advanceAlert(acknowledged, { action: 'resolve', type: 'backup_failed', at: NOW + 6 * HOUR, reason: 'Backup succeeded at 2026-11-24 17:00 UTC' }));
    assert.deepEqual(step.alert, { ...acknowledged, state: 'resolved' });
    assert.deepEqual(step.history.map((h) => [h.action, h.note]), [['resolved', 'Backup succeeded at 2026-11-24 17:00 UTC']]);
    assert.deepEqual(step.notifications, [{ kind: 'resolved', at: NOW + 6 * HOUR, reason: 'Backup succeeded at 2026-11-24 17:00 UTC' }]);
  });

  test('resolving a resolved alert changes nothing', () => {
    assert.equal(advanceAlert(resolvedAlert, { action: 'resolve', type: 'backup_failed', at: NOW, reason: 'r' }).outcome, 'unchanged');
  });
});

describe('bulk acknowledge', () => {
  test('acknowledging several alerts gives each its own outcome', () => {
    const results = acknowledgeAll(new Map([['a-1', open], ['a-2', acknowledged], ['a-3', resolvedAlert]]), 'jamie', 'Patch Tuesday', NOW);
    assert.deepEqual([...results].map(([id, result]) => [id, result.outcome]), [['a-1', 'changed'], ['a-2', 'unchanged'], ['a-3', 'rejected']]);
  });
});

describe('acknowledgement notes', () => {
  test('a note is optional, may span lines, and is limited in length', () => {
    assert.deepEqual(noteIssues(undefined), []);
    assert.deepEqual(noteIssues('Replaced the disk.\nWatching the next run.'), []);
    assert.deepEqual(noteIssues('x'.repeat(2_001)).map((i) => i.path), ['note']);
    assert.deepEqual(noteIssues('bell\u0007').map((i) => i.path), ['note']);
  });
});

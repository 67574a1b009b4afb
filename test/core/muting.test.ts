import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gateTransitions, HOUR, mayNotify, muteDecision, type AlertTransition, type MaintenanceWindow, type MuteSubject, type Silence } from '../../core/index.ts';
import { NOW } from './builders.ts';

const subject: MuteSubject = { deviceId: 'ws-1', clientId: 'acme', policyId: 'daily', type: 'backup_failed' };
const window: MaintenanceWindow = { id: 'w-1', name: 'Server move', scope: { clientId: 'acme' }, start: NOW - HOUR, end: NOW + HOUR };
const silence: Silence = { id: 's-1', matchers: { deviceId: 'ws-1' }, startsAt: NOW - HOUR, endsAt: NOW + 2 * HOUR, comment: 'Disk replaced', createdBy: 'jamie' };
const transitions: AlertTransition[] = [
  { action: 'open', type: 'backup_overdue', severity: 'critical', at: NOW, triggeredAt: NOW - HOUR, reason: 'r', recommendedAction: 'a' },
  { action: 'escalate', type: 'backup_failed', from: 'warning', severity: 'critical', at: NOW, reason: 'r', recommendedAction: 'a' },
  { action: 'resolve', type: 'dr_test_failed', at: NOW, reason: 'DR test passed' },
];

describe('muting decision', () => {
  test('inside a maintenance window alerts are held and notifications muted, with the window named', () => {
    const decision = muteDecision(subject, [window], [], NOW);
    assert.equal(decision.holdAlerts, true);
    assert.equal(decision.muteNotifications, true);
    assert.deepEqual([decision.maintenance?.name, decision.maintenance?.until], ['Server move', NOW + HOUR]);
    assert.equal(decision.reason, 'In maintenance (Server move) until 2026-11-24 13:00 UTC');
  });

  test('a silence mutes notifications while alerts still open, and names who silenced', () => {
    const decision = muteDecision(subject, [], [silence], NOW);
    assert.equal(decision.holdAlerts, false);
    assert.equal(decision.muteNotifications, true);
    assert.deepEqual(decision.silencedBy, ['s-1']);
    assert.equal(decision.reason, 'Silenced by jamie until 2026-11-24 14:00 UTC: Disk replaced');
  });

  test('nothing mutes a device outside windows and silences', () => {
    const decision = muteDecision({ ...subject, deviceId: 'ws-2', clientId: 'globex' }, [window], [silence], NOW);
    assert.deepEqual(decision, { holdAlerts: false, muteNotifications: false, maintenance: null, silencedBy: [], reason: null });
  });

  test('when the window ends, nothing holds the alerts back any more', () => {
    assert.equal(muteDecision(subject, [window], [], NOW + HOUR).holdAlerts, false);
  });
});

describe('what may be sent', () => {
  test('muted: no ticket, note, reopen, page, re-trigger or reminder is sent', () => {
    for (const kind of ['ticket', 'ticket-note', 'ticket-reopen', 'page', 'page-retrigger', 'reminder'] as const) {
      assert.equal(mayNotify(kind, { muteNotifications: true }), false, kind);
      assert.equal(mayNotify(kind, { muteNotifications: false }), true, kind);
    }
  });

  test('a ticket or page still closes when its problem clears during quiet time', () => {
    assert.equal(mayNotify('ticket-resolve', { muteNotifications: true }), true);
    assert.equal(mayNotify('page-resolve', { muteNotifications: true }), true);
  });
});

describe('alert transitions during maintenance', () => {
  test('in a window no alert opens or escalates, but a cleared condition still resolves', () => {
    assert.deepEqual(gateTransitions(transitions, { holdAlerts: true }).map((t) => t.action), ['resolve']);
  });

  test('under a silence alerts open and escalate as usual', () => {
    const decision = muteDecision(subject, [], [silence], NOW);
    assert.deepEqual(gateTransitions(transitions, decision).map((t) => t.action), ['open', 'escalate', 'resolve']);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  activeMaintenance,
  advanceAlert,
  gateTransitions,
  HOUR,
  isInMaintenance,
  mayNotify,
  muteDecision,
  nextMaintenanceBoundary,
  nextStartAfter,
  noteForEscalation,
  noteForNewFailure,
  occurrencesBetween,
  openAlert,
  reminderDecision,
  ticketForNewAlert,
  timeInMaintenance,
  windowApplies,
  windowsCovering,
  type AlertTransition,
  type AlertUserAction,
  type MaintenanceSubject,
  type MaintenanceWindow,
  type TicketRecord,
} from '../../core/index.ts';
import { activeWorkflowArb, alertTypeArb, silenceArb, subjectArb, timeArb, windowArb, windowsArb } from './alert-workflow-arbitraries.ts';

const RUNS = { numRuns: 1000 };
const ATTENTION = ['ticket', 'ticket-note', 'ticket-reopen', 'page', 'page-retrigger', 'reminder'] as const;

/**
 * A device and an instant inside one of its windows: the window is put in the
 * device's scope and the instant taken `fraction` of the way into an occurrence.
 */
const insideWindowArb = fc
  .record({ subject: subjectArb, window: windowArb, others: windowsArb, from: timeArb, fraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }, { noNullPrototype: true })
  .map(({ subject, window, others, from, fraction }) => {
    const own = { ...window, scope: { deviceIds: [subject.deviceId] } } as MaintenanceWindow;
    const start = nextStartAfter(own, from);
    const occurrence = start === null ? undefined : occurrencesBetween(own, start, start + 1).find((candidate) => candidate.start === start);
    return occurrence ? { subject, windows: [own, ...others], now: occurrence.start + Math.floor(fraction * (occurrence.end - occurrence.start)) } : null;
  })
  .filter((value): value is { subject: MaintenanceSubject; windows: MaintenanceWindow[]; now: number } => value !== null);

const ticketArb = fc.constantFrom<TicketRecord | null>(null, { ref: 'tk', status: 'open', resolvedAt: null }, { ref: 'tk', status: 'resolved', resolvedAt: 0 });

describe('alert workflow properties', () => {
  test('nothing that asks for attention is sent for a device inside a maintenance window', () => {
    fc.assert(
      fc.property(insideWindowArb, fc.array(silenceArb, { maxLength: 3 }), alertTypeArb, activeWorkflowArb, ticketArb, fc.boolean(), ({ subject, windows, now }, silences, type, workflow, ticket, paged) => {
        assert.ok(isInMaintenance(subject, windows, now));
        const decision = muteDecision({ ...subject, type }, windows, silences, now);
        assert.equal(decision.holdAlerts, true);
        for (const kind of ATTENTION) assert.equal(mayNotify(kind, decision), false, kind);
        const transitions: AlertTransition[] = [
          { action: 'open', type, severity: 'critical', at: now, triggeredAt: now, reason: 'r', recommendedAction: 'a' },
          { action: 'escalate', type, from: 'warning', severity: 'critical', at: now, reason: 'r', recommendedAction: 'a' },
        ];
        assert.deepEqual(gateTransitions(transitions, decision), []);
        const reminder = reminderDecision({ alert: { id: 'a', reason: 'r', ...workflow, state: 'open', remindFrom: now - 1000 * HOUR }, reminderHours: 1, mute: decision, ticketOpen: true, paged, lastReminderKey: null }, now);
        assert.equal(reminder.send, null);
        assert.equal(ticketForNewAlert({ alert: { id: 'a', type, triggeredAt: now, reason: 'r' }, latest: ticket, reopenDays: 3, mute: decision }, now), null);
        assert.equal(noteForNewFailure({ ticket, failedAt: now, consecutiveFailures: 3, mute: decision }), null);
        assert.equal(noteForEscalation({ ticket, escalation: { kind: 'escalated', from: 'warning', severity: 'critical', at: now, reason: 'r' }, mute: decision }), null);
      }),
      RUNS,
    );
  });

  test('a condition still true when a window ends is evaluated then: following the boundaries reaches the end exactly', () => {
    fc.assert(
      fc.property(insideWindowArb, ({ subject, windows, now }) => {
        const until = activeMaintenance(subject, windows, now)!.until;
        let at = now;
        for (let step = 0; step < 100 && isInMaintenance(subject, windows, at); step++) {
          const boundary = nextMaintenanceBoundary(subject, windows, at);
          assert.ok(boundary !== null && boundary > at);
          // Never past the end of the maintenance: the device is still covered just before the boundary.
          assert.ok(isInMaintenance(subject, windows, boundary - 1), 'a boundary skipped over the window end');
          at = boundary;
        }
        assert.equal(at, until);
        assert.equal(isInMaintenance(subject, windows, until), false);
      }),
      RUNS,
    );
  });

  test('nothing about a device’s maintenance changes before its next boundary', () => {
    fc.assert(
      fc.property(subjectArb, windowsArb, timeArb, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (subject, windows, now, fraction) => {
        const boundary = nextMaintenanceBoundary(subject, windows, now);
        const ids = (at: number) => windowsCovering(subject, windows, at).map((w) => w.id);
        if (boundary === null) {
          assert.deepEqual(ids(now + 30 * 24 * HOUR), ids(now));
          return;
        }
        const between = now + Math.floor(fraction * (boundary - now));
        assert.deepEqual(ids(between), ids(now));
        assert.deepEqual(ids(boundary - 1), ids(now));
      }),
      RUNS,
    );
  });

  test('an escalation always re-notifies, whatever was done to the alert before', () => {
    const userActionArb = fc.constantFrom<Omit<AlertUserAction, 'at'>>({ action: 'acknowledge', by: 'jamie', note: 'On it' }, { action: 'unacknowledge', by: 'kim' });
    fc.assert(
      fc.property(activeWorkflowArb, fc.array(userActionArb, { maxLength: 6 }), timeArb, (start, actions, at) => {
        let alert = { ...start, severity: 'warning' as const };
        for (const action of actions) {
          const result = advanceAlert(alert, { ...action, at } as AlertUserAction);
          if (result.outcome !== 'rejected') alert = { ...result.alert, severity: 'warning' };
        }
        const result = advanceAlert(alert, { action: 'escalate', type: 'backup_failed', from: 'warning', severity: 'critical', at, reason: 'r', recommendedAction: 'a' });
        assert.equal(result.outcome, 'changed');
        if (result.outcome !== 'changed') return;
        assert.deepEqual(result.notifications.map((n) => n.kind), ['escalated']);
        assert.deepEqual([result.alert.state, result.alert.severity, result.alert.acknowledgement, result.alert.remindFrom], ['open', 'critical', null, at]);
      }),
      RUNS,
    );
  });

  test('a new alert always starts open and notifies', () => {
    fc.assert(
      fc.property(alertTypeArb, fc.constantFrom('warning' as const, 'critical' as const), timeArb, (type, severity, at) => {
        const step = openAlert({ action: 'open', type, severity, at, triggeredAt: at, reason: 'r', recommendedAction: 'a' });
        assert.deepEqual([step.alert.state, step.notifications.length], ['open', 1]);
      }),
      RUNS,
    );
  });

  test('time in maintenance adds up over adjacent spans and never exceeds the span', () => {
    fc.assert(
      fc.property(subjectArb, windowsArb, timeArb, fc.integer({ min: 0, max: 20 * 24 }), fc.integer({ min: 0, max: 20 * 24 }), (subject, windows, from, firstHours, secondHours) => {
        const middle = from + firstHours * HOUR;
        const to = middle + secondHours * HOUR;
        const whole = timeInMaintenance(subject, windows, from, to);
        assert.equal(whole, timeInMaintenance(subject, windows, from, middle) + timeInMaintenance(subject, windows, middle, to));
        assert.ok(whole >= 0 && whole <= to - from);
        const applicable = windows.some((w) => windowApplies(w, subject));
        if (!applicable) assert.equal(whole, 0);
      }),
      RUNS,
    );
  });

  test('a silence alone never holds an alert back', () => {
    fc.assert(
      fc.property(subjectArb, alertTypeArb, fc.array(silenceArb, { maxLength: 4 }), timeArb, (subject, type, silences, now) => {
        const decision = muteDecision({ ...subject, type }, [], silences, now);
        assert.equal(decision.holdAlerts, false);
        assert.equal(decision.muteNotifications, decision.silencedBy.length > 0);
      }),
      RUNS,
    );
  });
});

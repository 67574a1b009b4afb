import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_REMINDER_HOURS, HOUR, reminderDecision, type ReminderContext } from '../../core/index.ts';
import { NOW } from './builders.ts';

const context = (overrides: Partial<ReminderContext> = {}): ReminderContext => ({
  alert: { id: 'a-1', state: 'open', remindFrom: NOW, reason: '4 consecutive failures since 2026-11-24 11:00 UTC' },
  reminderHours: DEFAULT_REMINDER_HOURS,
  mute: { muteNotifications: false },
  ticketOpen: true,
  paged: false,
  lastReminderKey: null,
  ...overrides,
});

describe('reminders', () => {
  test('the default is one reminder a day', () => {
    assert.equal(DEFAULT_REMINDER_HOURS, 24);
  });

  test('no reminder before reminderHours have passed; the first is due then', () => {
    assert.deepEqual(reminderDecision(context(), NOW + 23 * HOUR), { send: null, nextAt: NOW + 24 * HOUR });
    const { send, nextAt } = reminderDecision(context(), NOW + 24 * HOUR);
    assert.deepEqual(send, {
      number: 1,
      dueAt: NOW + 24 * HOUR,
      key: 'reminder:a-1:2026-11-25T12:00:00.000Z',
      note: 'Reminder 1: still open and not acknowledged after 24 h. 4 consecutive failures since 2026-11-24 11:00 UTC.',
      channels: ['ticket-note'],
    });
    assert.equal(nextAt, NOW + 48 * HOUR);
  });

  test('a reminder has the same key whenever in its period it is computed, so it is sent once', () => {
    const early = reminderDecision(context(), NOW + 24 * HOUR + 1).send!;
    const late = reminderDecision(context(), NOW + 47 * HOUR).send!;
    assert.equal(early.key, late.key);
    assert.equal(reminderDecision(context({ lastReminderKey: early.key }), NOW + 30 * HOUR).send, null);
  });

  test('after downtime only the newest due reminder is sent, not a burst', () => {
    const { send } = reminderDecision(context(), NOW + 100 * HOUR);
    assert.deepEqual([send!.number, send!.dueAt], [4, NOW + 96 * HOUR]);
  });

  test('a reminder re-triggers the page when the device paged', () => {
    assert.deepEqual(reminderDecision(context({ paged: true }), NOW + 24 * HOUR).send!.channels, ['ticket-note', 'page-retrigger']);
    assert.deepEqual(reminderDecision(context({ ticketOpen: false, paged: true }), NOW + 24 * HOUR).send!.channels, ['page-retrigger']);
  });

  test('without an open ticket or a page there is nobody to remind', () => {
    assert.equal(reminderDecision(context({ ticketOpen: false }), NOW + 24 * HOUR).send, null);
  });

  test('an acknowledged or resolved alert gets no reminders', () => {
    assert.deepEqual(reminderDecision(context({ alert: { id: 'a-1', state: 'acknowledged', remindFrom: null, reason: 'r' } }), NOW + 48 * HOUR), { send: null, nextAt: null });
    assert.deepEqual(reminderDecision(context({ alert: { id: 'a-1', state: 'resolved', remindFrom: null, reason: 'r' } }), NOW + 48 * HOUR), { send: null, nextAt: null });
  });

  test('a silenced or maintained alert skips its reminder; the next period reminds again', () => {
    assert.deepEqual(reminderDecision(context({ mute: { muteNotifications: true } }), NOW + 25 * HOUR), { send: null, nextAt: NOW + 48 * HOUR });
    assert.equal(reminderDecision(context(), NOW + 48 * HOUR).send!.number, 2);
  });

  test('reminderHours 0 turns reminders off', () => {
    assert.deepEqual(reminderDecision(context({ reminderHours: 0 }), NOW + 1000 * HOUR), { send: null, nextAt: null });
  });

  test('reminders count from when the alert last asked for attention (e.g. an unacknowledge)', () => {
    const reopened = context({ alert: { id: 'a-1', state: 'open', remindFrom: NOW + 10 * HOUR, reason: 'r' } });
    assert.equal(reminderDecision(reopened, NOW + 24 * HOUR).send, null);
    assert.equal(reminderDecision(reopened, NOW + 34 * HOUR).send!.dueAt, NOW + 34 * HOUR);
  });
});

import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DAY, DEFAULT_REOPEN_DAYS, HOUR, noteForEscalation, noteForNewFailure, ticketForNewAlert, type NewAlertTicketContext, type TicketRecord } from '../../core/index.ts';
import { NOW } from './builders.ts';

const audible = { muteNotifications: false };
const muted = { muteNotifications: true };
const openTicket: TicketRecord = { ref: 'tk-1', status: 'open', resolvedAt: null };
const resolvedAgo = (ms: number): TicketRecord => ({ ref: 'tk-1', status: 'resolved', resolvedAt: NOW - ms });
const newAlert = (latest: TicketRecord | null, overrides: Partial<NewAlertTicketContext> = {}): NewAlertTicketContext => ({
  alert: { id: 'a-2', type: 'backup_failed', triggeredAt: NOW - HOUR, reason: '3 consecutive failures since 2026-11-24 11:00 UTC' },
  latest,
  reopenDays: DEFAULT_REOPEN_DAYS,
  mute: audible,
  ...overrides,
});

describe('a new alert and the device’s previous ticket', () => {
  test('without a previous ticket a new ticket is opened', () => {
    assert.deepEqual(ticketForNewAlert(newAlert(null), NOW), { action: 'create' });
  });

  test('a ticket resolved less than reopenDays (default 3) ago is reopened with a note', () => {
    assert.equal(DEFAULT_REOPEN_DAYS, 3);
    assert.deepEqual(ticketForNewAlert(newAlert(resolvedAgo(DAY)), NOW), {
      action: 'reopen',
      ticketRef: 'tk-1',
      note: 'Reopened: the problem is back (since 2026-11-24 11:00 UTC): 3 consecutive failures since 2026-11-24 11:00 UTC. The ticket was resolved at 2026-11-23 12:00 UTC.',
      key: 'reopen:tk-1:alert:a-2',
    });
  });

  test('a ticket resolved reopenDays ago or longer is left closed and a new ticket opens', () => {
    assert.deepEqual(ticketForNewAlert(newAlert(resolvedAgo(3 * DAY)), NOW), { action: 'create' });
    assert.equal(ticketForNewAlert(newAlert(resolvedAgo(3 * DAY - 1)), NOW)?.action, 'reopen');
  });

  test('reopenDays 0 never reopens', () => {
    assert.deepEqual(ticketForNewAlert(newAlert(resolvedAgo(HOUR), { reopenDays: 0 }), NOW), { action: 'create' });
  });

  test('a ticket still open gets a note instead of a second ticket', () => {
    const plan = ticketForNewAlert(newAlert(openTicket), NOW);
    assert.deepEqual(plan, { action: 'note', ticketRef: 'tk-1', note: 'The problem is back (since 2026-11-24 11:00 UTC): 3 consecutive failures since 2026-11-24 11:00 UTC.', key: 'note:tk-1:alert:a-2' });
  });

  test('while muted no ticket is opened, noted or reopened', () => {
    for (const latest of [null, openTicket, resolvedAgo(HOUR)]) assert.equal(ticketForNewAlert(newAlert(latest, { mute: muted }), NOW), null);
  });
});

describe('a new failure on a device whose ticket is open', () => {
  test('appends a note, keyed by the failure so it is noted once', () => {
    assert.deepEqual(noteForNewFailure({ ticket: openTicket, failedAt: NOW, consecutiveFailures: 4, mute: audible }), {
      action: 'note', ticketRef: 'tk-1', note: 'Another failed backup at 2026-11-24 12:00 UTC (4 in a row).', key: 'note:tk-1:failure:2026-11-24T12:00:00.000Z',
    });
  });

  test('no note without an open ticket, or while muted', () => {
    assert.equal(noteForNewFailure({ ticket: null, failedAt: NOW, consecutiveFailures: 4, mute: audible }), null);
    assert.equal(noteForNewFailure({ ticket: resolvedAgo(HOUR), failedAt: NOW, consecutiveFailures: 4, mute: audible }), null);
    assert.equal(noteForNewFailure({ ticket: openTicket, failedAt: NOW, consecutiveFailures: 4, mute: muted }), null);
  });
});

describe('an escalation on a ticketed alert', () => {
  const escalation = { kind: 'escalated' as const, from: 'warning' as const, severity: 'critical' as const, at: NOW, reason: '3 consecutive failures since 2026-11-24 11:00 UTC' };

  test('notes the escalation on the open ticket', () => {
    assert.deepEqual(noteForEscalation({ ticket: openTicket, escalation, mute: audible }), {
      action: 'note', ticketRef: 'tk-1', note: 'Escalated from warning to critical at 2026-11-24 12:00 UTC: 3 consecutive failures since 2026-11-24 11:00 UTC.', key: 'note:tk-1:escalated:2026-11-24T12:00:00.000Z',
    });
  });

  test('sends nothing while muted', () => {
    assert.equal(noteForEscalation({ ticket: openTicket, escalation, mute: muted }), null);
  });
});

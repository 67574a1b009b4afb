import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PSA_RULES, DEFAULT_TICKET_MAPPING, ticketDecision, type AlertType, type DeviceState, type PsaRules, type TicketContext } from '../../core/index.ts';
import { consent, drTest, failure, history, hoursAgo, NOW, success } from './builders.ts';

const enabled: PsaRules = { ...DEFAULT_PSA_RULES, enabled: true };
const threeFailures = history(success(hoursAgo(4)), failure(hoursAgo(3)), failure(hoursAgo(2)), failure(hoursAgo(1)));

function context(alertType: AlertType, state: DeviceState, overrides: Partial<TicketContext> = {}): TicketContext {
  return { alertType, alertResolved: false, ticketRequested: false, ticketResolved: false, state, now: NOW, ...overrides };
}

describe('PSA tickets', () => {
  test('the default mapping opens tickets for the four alert types of the PSA table', () => {
    assert.deepEqual(DEFAULT_TICKET_MAPPING.backup_failed, { ticketType: 'Backup Failure', priority: 'Critical' });
    assert.deepEqual(DEFAULT_TICKET_MAPPING.backup_overdue, { ticketType: 'Backup Overdue', priority: 'High' });
    assert.deepEqual(DEFAULT_TICKET_MAPPING.saas_consent_expired, { ticketType: 'SaaS Connection Error', priority: 'Critical' });
    assert.deepEqual(DEFAULT_TICKET_MAPPING.dr_test_failed, { ticketType: 'DR Test Failure', priority: 'High' });
    assert.equal(DEFAULT_TICKET_MAPPING.backup_missed_schedule, null);
  });

  test('a disabled integration does nothing', () => {
    assert.equal(ticketDecision(context('backup_failed', threeFailures), DEFAULT_PSA_RULES), null);
  });

  test('backup_failed opens a ticket at the failure threshold', () => {
    assert.deepEqual(ticketDecision(context('backup_failed', threeFailures), enabled), { action: 'create', ticketType: 'Backup Failure', priority: 'Critical' });
  });

  test('backup_failed below the failure threshold opens no ticket', () => {
    const twoFailures = history(success(hoursAgo(4)), failure(hoursAgo(2)), failure(hoursAgo(1)));
    assert.equal(ticketDecision(context('backup_failed', twoFailures), enabled), null);
  });

  test('the failure threshold is configurable', () => {
    const oneFailure = history(success(hoursAgo(4)), failure(hoursAgo(1)));
    assert.equal(ticketDecision(context('backup_failed', oneFailure), { ...enabled, failureThreshold: 1 })?.action, 'create');
  });

  test('backup_overdue opens a ticket only after 24 h without success', () => {
    assert.equal(ticketDecision(context('backup_overdue', history(success(hoursAgo(13)))), enabled), null);
    assert.deepEqual(ticketDecision(context('backup_overdue', history(success(hoursAgo(24)))), enabled), { action: 'create', ticketType: 'Backup Overdue', priority: 'High' });
  });

  test('consent and DR test alerts open a ticket at once', () => {
    assert.equal(ticketDecision(context('saas_consent_expired', history(success(hoursAgo(1)), consent(hoursAgo(1), 'expired'))), enabled)?.action, 'create');
    assert.deepEqual(ticketDecision(context('dr_test_failed', history(success(hoursAgo(1)), drTest(hoursAgo(1), 'failed'))), enabled), {
      action: 'create', ticketType: 'DR Test Failure', priority: 'High',
    });
  });

  test('a type mapped to null opens no ticket', () => {
    const rules: PsaRules = { ...enabled, mapping: { ...DEFAULT_TICKET_MAPPING, dr_test_failed: null } };
    assert.equal(ticketDecision(context('dr_test_failed', history(drTest(hoursAgo(1), 'failed'))), rules), null);
  });

  test('a type absent from the mapping opens no ticket', () => {
    assert.equal(ticketDecision(context('backup_failed', threeFailures), { ...enabled, mapping: {} }), null);
  });

  test('a custom mapping opens a ticket for another type', () => {
    const rules: PsaRules = { ...enabled, mapping: { storage_quota_exceeded: { ticketType: 'Storage', priority: 'Low' } } };
    assert.deepEqual(ticketDecision(context('storage_quota_exceeded', history(success(hoursAgo(1)))), rules), { action: 'create', ticketType: 'Storage', priority: 'Low' });
  });

  test('an alert gets one ticket only', () => {
    assert.equal(ticketDecision(context('backup_failed', threeFailures, { ticketRequested: true }), enabled), null);
  });

  test('a resolved alert resolves its open ticket with a note', () => {
    const recovered = history(failure(hoursAgo(3)), success(hoursAgo(1)));
    assert.deepEqual(ticketDecision(context('backup_failed', recovered, { alertResolved: true, ticketRequested: true }), enabled), {
      action: 'resolve',
      note: 'Resolved automatically: backup succeeded at 2026-11-24 11:00 UTC',
    });
  });

  test('a resolve note keeps the case of acronyms', () => {
    const decision = ticketDecision(context('dr_test_failed', history(drTest(hoursAgo(1), 'passed')), { alertResolved: true, ticketRequested: true }), enabled);
    assert.deepEqual(decision, { action: 'resolve', note: 'Resolved automatically: DR test passed on 2026-11-24 11:00 UTC' });
  });

  test('a resolved alert without a ticket, or with a resolved ticket, does nothing', () => {
    const recovered = history(success(hoursAgo(1)));
    assert.equal(ticketDecision(context('backup_failed', recovered, { alertResolved: true }), enabled), null);
    assert.equal(ticketDecision(context('backup_failed', recovered, { alertResolved: true, ticketRequested: true, ticketResolved: true }), enabled), null);
  });
});

/**
 * Settings act at once (docs/alert-workflow.md): saving the PSA mapping or threshold, the On-Call
 * kinds, threshold or hours re-evaluates the current alerts and breaches in the same
 * request's aftermath, with no `POST /admin/evaluate` and no waiting for a device's
 * next check; an SLA change acts at the next sweep at the latest.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ok, postEvents, putClient, putDevice, putPolicy } from './fleet.ts';
import { HOUR } from './harness.ts';
import { dispatch, enableOnCall, enablePsa, startKit, type Kit } from './integrations-kit.ts';

/** Saturday 2026-11-28 12:00 UTC: outside Monday–Friday business hours. */
const SATURDAY = Date.UTC(2026, 10, 28, 12);
const iso = (ms: number) => new Date(ms).toISOString();

let kit: Kit;
let sequence = 0;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

async function job(deviceId: string, status: 'success' | 'failed', endedAt: number) {
  if (kit.t.clock() < endedAt) kit.t.clock.set(endedAt);
  await postEvents(kit.t, [{ type: 'job', id: `job-${++sequence}`, deviceId, status, startedAt: iso(endedAt - 600_000), endedAt: iso(endedAt) }]);
}

/** A device of `kind` whose last success was `hoursAgo` before SATURDAY; the clock ends at SATURDAY, evaluated there. */
async function deviceLastSeen(id: string, kind: 'server' | 'workstation', hoursAgo: number) {
  const lastSuccess = SATURDAY - hoursAgo * HOUR;
  kit.t.clock.set(lastSuccess - 2 * HOUR);
  await putClient(kit.t, 'contoso', 'Contoso');
  await putPolicy(kit.t, 'four-hourly', 4);
  await putDevice(kit.t, id, { clientId: 'contoso', name: id.toUpperCase(), kind, policyId: 'four-hourly' });
  await job(id, 'success', lastSuccess);
  kit.t.clock.set(SATURDAY);
  await ok(kit.t.request('POST', 'admin/evaluate'));
}

describe('settings act at once', () => {
  test('adding workstation to the On-Call kinds pages for a workstation already in breach, with no evaluate and no sweep', async () => {
    await enableOnCall(kit);
    await deviceLastSeen('ws-01', 'workstation', 24 + 10);
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0, 'workstations are not paged by default');
    kit.t.clock.advance(60_000);
    await ok(kit.t.request('PUT', 'settings/integrations/oncall', { body: { deviceKinds: ['server', 'workstation'] } }));
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
    assert.equal(kit.oncall.pages[0]!.action, 'trigger');
    assert.deepEqual(kit.oncall.pages[0]!.device, { id: 'ws-01', name: 'WS-01' });
  });

  test('lowering the On-Call breach threshold pages at once for a breach that now exceeds it', async () => {
    await enableOnCall(kit, { breachHoursThreshold: 24 });
    await deviceLastSeen('srv-01', 'server', 12 + 8);
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0);
    await ok(kit.t.request('PUT', 'settings/integrations/oncall', { body: { breachHoursThreshold: 6 } }));
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
  });

  test('changing On-Call business hours so that now is outside them pages at once', async () => {
    await enableOnCall(kit, { businessHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' } });
    await deviceLastSeen('srv-01', 'server', 12 + 8);
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0, 'inside business hours: no page');
    await ok(kit.t.request('PUT', 'settings/integrations/oncall', { body: { businessHours: { days: [1, 2, 3, 4, 5] } } }));
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
  });

  test('enabling a PSA mapping opens tickets for the qualifying open alerts at once', async () => {
    await enablePsa(kit, { mapping: { backup_failed: null } });
    await deviceLastSeen('srv-01', 'server', 3);
    for (let i = 0; i < 3; i++) await job('srv-01', 'failed', SATURDAY + (i + 1) * 600_000);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0, 'backup_failed is not mapped yet');
    await ok(kit.t.request('PUT', 'settings/integrations/psa', { body: { mapping: { backup_failed: { ticketType: 'Backup Failure', priority: 'Critical' } } } }));
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal(kit.psa.tickets[0]!.alertType, 'backup_failed');
  });

  test('lowering the PSA failure threshold opens a ticket for an alert that now reaches it', async () => {
    await enablePsa(kit, { failureThreshold: 5 });
    await deviceLastSeen('srv-01', 'server', 3);
    for (let i = 0; i < 3; i++) await job('srv-01', 'failed', SATURDAY + (i + 1) * 600_000);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    await ok(kit.t.request('PUT', 'settings/integrations/psa', { body: { failureThreshold: 3 } }));
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
  });

  test('a tighter SLA pages for the breach it creates at the next sweep, without POST /admin/evaluate', async () => {
    await enableOnCall(kit);
    await deviceLastSeen('srv-01', 'server', 10);
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0, '10 h without success is within the 12 h server SLA');
    await ok(kit.t.request('PUT', 'settings/sla', { body: { tenant: { serverHours: 2 } } }));
    await kit.t.services.sweeper.sweep(kit.t.clock());
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
  });
});

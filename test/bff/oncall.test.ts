/**
 * On-Call pages end to end: SLA breaches through the HTTP API and the
 * sweep, business hours (DST included), the outbox and the On-Call stand-in.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ok, postEvents, putClient, putDevice, putPolicy } from './fleet.ts';
import { HOUR, T0 } from './harness.ts';
import { dispatch, enableOnCall, expectStatus, ONCALL_KEY, outboxRows, startKit, type Kit } from './integrations-kit.ts';

/** Saturday 2026-11-28 12:00 UTC: outside Monday–Friday business hours. */
const SATURDAY = Date.UTC(2026, 10, 28, 12);
const iso = (ms: number) => new Date(ms).toISOString();
const SLA_HOURS = { server: 12, workstation: 24 } as const;

let kit: Kit;
let sequence = 0;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

async function success(deviceId: string, endedAt: number) {
  if (kit.t.clock() < endedAt) kit.t.clock.set(endedAt);
  await postEvents(kit.t, [{ type: 'job', id: `job-${++sequence}`, deviceId, status: 'success', startedAt: iso(endedAt - 600_000), endedAt: iso(endedAt) }]);
}

const evaluate = () => ok(kit.t.request('POST', 'admin/evaluate'));

/**
 * A device whose SLA breach has lasted `breachHours` at `at` (its last success was
 * SLA + breachHours earlier), evaluated at `at`. Returns when the breach began.
 */
async function breachedDevice(at: number, breachHours: number, kind: 'server' | 'workstation' = 'server', id = 'srv-01'): Promise<number> {
  const lastSuccess = at - (SLA_HOURS[kind] + breachHours) * HOUR;
  kit.t.clock.set(lastSuccess - 2 * HOUR);
  await putClient(kit.t, 'contoso', 'Contoso');
  await putPolicy(kit.t, 'four-hourly', 4);
  await putDevice(kit.t, id, { clientId: 'contoso', name: id.toUpperCase(), kind, policyId: 'four-hourly' });
  await success(id, lastSuccess);
  kit.t.clock.set(at);
  await evaluate();
  return lastSuccess + SLA_HOURS[kind] * HOUR;
}

const triggers = async () => (await outboxRows(kit.t, 'oncall')).filter((row) => row.kind === 'trigger');

describe('paging', () => {
  test('a server in breach longer than the threshold outside business hours pages once, however often it is evaluated', async () => {
    await enableOnCall(kit);
    const breachSince = await breachedDevice(SATURDAY, 8);
    kit.t.clock.advance(10 * 60_000);
    await evaluate();
    await evaluate();
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
    const [page] = kit.oncall.pages;
    assert.equal(page!.action, 'trigger');
    assert.equal(page!.dedupKey, `srv-01:${breachSince}`);
    assert.equal(page!.escalationPolicy, 'backup-oncall');
    assert.equal(page!.severity, 'critical');
    assert.equal(page!.breachHours, 8);
    assert.deepEqual(page!.device, { id: 'srv-01', name: 'SRV-01' });
    assert.deepEqual(page!.client, { id: 'contoso', name: 'Contoso' });
    assert.equal(page!.link, 'https://backups.example.com/console/devices/srv-01');
    assert.match(page!.summary, /SRV-01 \(Contoso\) has had no successful backup for 20 h \(SLA 12 h\)/);
  });

  test('the periodic sweep pages once the breach passes the threshold, and repeated sweeps do not page again', async () => {
    await enableOnCall(kit);
    await breachedDevice(SATURDAY, 5);
    const { sweeper } = kit.t.services;
    for (let minutes = 0; minutes <= 180; minutes += 5) {
      kit.t.clock.set(SATURDAY + minutes * 60_000);
      await sweeper.sweep(kit.t.clock());
      if (minutes === 55) assert.equal((await triggers()).length, 0, 'not before 6 h of breach');
    }
    assert.equal((await triggers()).length, 1);
  });

  test('a breach comes due the moment it passes the page threshold, not at the next five-minute re-check', async () => {
    await enableOnCall(kit);
    const breachSince = await breachedDevice(SATURDAY, 5);
    const thresholdPassed = breachSince + 6 * HOUR + 1;
    const { sweeper } = kit.t.services;
    kit.t.clock.set(thresholdPassed - 60_000);
    await evaluate();
    const row = await kit.t.db.get<{ next_check_at: number }>("SELECT next_check_at FROM devices WHERE id = 'srv-01'");
    assert.equal(row!.next_check_at, thresholdPassed);
    kit.t.clock.set(thresholdPassed);
    await sweeper.sweep(kit.t.clock());
    assert.equal((await triggers()).length, 1);
  });

  test('the page resolves with the same dedupKey when the device backs up again', async () => {
    await enableOnCall(kit);
    const breachSince = await breachedDevice(SATURDAY, 8);
    await dispatch(kit.t);
    await success('srv-01', SATURDAY + 30 * 60_000);
    await dispatch(kit.t);
    assert.deepEqual(kit.oncall.pages.map((p) => [p.action, p.dedupKey]), [
      ['trigger', `srv-01:${breachSince}`],
      ['resolve', `srv-01:${breachSince}`],
    ]);
    assert.equal(kit.oncall.incidents[0]!.status, 'resolved');
  });

  test('a new breach after recovery pages again', async () => {
    await enableOnCall(kit);
    await breachedDevice(SATURDAY, 8);
    const recovered = SATURDAY + HOUR;
    await success('srv-01', recovered);
    kit.t.clock.set(recovered + 19 * HOUR);
    await evaluate();
    await dispatch(kit.t);
    assert.deepEqual(kit.oncall.pages.map((p) => p.action), ['trigger', 'resolve', 'trigger']);
    assert.notEqual(kit.oncall.pages[0]!.dedupKey, kit.oncall.pages[2]!.dedupKey);
  });

  test('inside business hours a breach does not page; when business hours end it does', async () => {
    await enableOnCall(kit);
    await breachedDevice(T0, 8);
    assert.equal((await triggers()).length, 0, 'Tuesday 12:00 UTC is within 08:00–18:00');
    kit.t.clock.set(Date.UTC(2026, 10, 24, 18, 0));
    await evaluate();
    assert.equal((await triggers()).length, 1);
  });

  test('workstations are not paged with the default device kinds', async () => {
    await enableOnCall(kit);
    await breachedDevice(SATURDAY, 30, 'workstation', 'ws-01');
    assert.equal((await triggers()).length, 0);
  });

  test('nothing pages while the integration is disabled', async () => {
    await breachedDevice(SATURDAY, 8);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 0);
  });
});

describe('business hours across daylight saving time (America/New_York, 08:00–18:00 Mon–Fri)', () => {
  const newYork = { businessHours: { timezone: 'America/New_York', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' } };

  test('12:30 UTC on the Friday before clocks go forward is 07:30 EST: it pages', async () => {
    await enableOnCall(kit, newYork);
    await breachedDevice(Date.UTC(2026, 2, 6, 12, 30), 8);
    assert.equal((await triggers()).length, 1);
  });

  test('12:30 UTC on the Monday after clocks went forward is 08:30 EDT: no page', async () => {
    await enableOnCall(kit, newYork);
    await breachedDevice(Date.UTC(2026, 2, 9, 12, 30), 8);
    assert.equal((await triggers()).length, 0);
  });

  test('12:30 UTC on the Friday before clocks go back is 08:30 EDT: no page', async () => {
    await enableOnCall(kit, newYork);
    await breachedDevice(Date.UTC(2026, 9, 30, 12, 30), 8);
    assert.equal((await triggers()).length, 0);
  });

  test('12:30 UTC on the Monday after clocks went back is 07:30 EST: it pages', async () => {
    await enableOnCall(kit, newYork);
    await breachedDevice(Date.UTC(2026, 10, 2, 12, 30), 8);
    assert.equal((await triggers()).length, 1);
  });
});

describe('settings', () => {
  test('GET never returns the integration key, only that one is set', async () => {
    await enableOnCall(kit);
    const settings = await expectStatus(kit.t.request('GET', 'settings/integrations/oncall'), 200);
    assert.equal(settings.integrationKeySet, true);
    assert.equal('integrationKey' in settings, false);
    assert.ok(!JSON.stringify(settings).includes(ONCALL_KEY));
    assert.deepEqual(settings.status, { lastSuccessAt: null, lastError: null, queueDepth: 0, failed: 0 });
  });

  test('defaults: 6 h threshold, servers, Monday–Friday 08:00–18:00 UTC', async () => {
    const settings = await expectStatus(kit.t.request('GET', 'settings/integrations/oncall'), 200);
    assert.equal(settings.enabled, false);
    assert.equal(settings.breachHoursThreshold, 6);
    assert.deepEqual(settings.deviceKinds, ['server']);
    assert.deepEqual(settings.businessHours, { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' });
  });

  test('a partial business-hours update keeps the other fields', async () => {
    await enableOnCall(kit);
    const settings = await expectStatus(kit.t.request('PUT', 'settings/integrations/oncall', { body: { businessHours: { end: '17:30' } } }), 200);
    assert.deepEqual(settings.businessHours, { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '17:30' });
    assert.equal(settings.escalationPolicy, 'backup-oncall');
  });

  test('enabling without an escalation policy is 422 naming it', async () => {
    const problem = await expectStatus(
      kit.t.request('PUT', 'settings/integrations/oncall', { body: { enabled: true, baseUrl: kit.oncall.url, integrationKey: ONCALL_KEY } }),
      422,
    );
    assert.deepEqual(problem.errors.map((e: { path: string }) => e.path), ['escalationPolicy']);
  });

  test('invalid settings are 422: unknown timezone, weekday 8, bad time, unknown kind', async () => {
    for (const body of [
      { businessHours: { timezone: 'Mars/Olympus' } },
      { businessHours: { days: [1, 8] } },
      { businessHours: { start: '8am' } },
      { deviceKinds: ['laptop'] },
      { breachHoursThreshold: -1 },
    ]) {
      await expectStatus(kit.t.request('PUT', 'settings/integrations/oncall', { body }), 422);
    }
  });
});

/**
 * The calendar-schedule walkthrough through the API: a workstation backed up Mon–Fri at
 * 22:00 Europe/Berlin (grace 4 h), swept with POST /admin/evaluate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from './harness.ts';
import { activeAlerts, DAY, HOUR, job, MINUTE, send } from './builders.ts';

// Monday 30 November 2026; Berlin is UTC+1 in winter, so 22:00 there is 21:00 UTC.
const MONDAY = Date.UTC(2026, 10, 30);
const berlin = (day: number, hour: number, minute = 0) => MONDAY + day * DAY + (hour - 1) * HOUR + minute * MINUTE;

async function sweepAt(app: TestApp, at: number) {
  app.clock.set(at);
  assert.equal((await app.request('POST', 'admin/evaluate')).status, 200);
  return app.db.get<{ status: string; sla_state: string }>(`SELECT status, sla_state FROM devices WHERE id = 'ws-1'`);
}

describe('a Mon–Fri 22:00 Europe/Berlin workstation', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: berlin(0, 9) });
    await app.request('PUT', 'clients/dental', { body: { name: 'Dental practice', timezone: 'Europe/Berlin' } });
    const policy = await app.request('PUT', 'policies/workdays', {
      body: { name: 'Workdays 22:00', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, graceHours: 4 },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.json));
    const device = await app.request('PUT', 'devices/ws-1', { body: { clientId: 'dental', name: 'Reception', kind: 'workstation', policyId: 'workdays' } });
    assert.equal(device.status, 201, JSON.stringify(device.json));
    // Monday to Friday: each night's run ends at 22:10.
    for (let day = 0; day < 5; day += 1) {
      app.clock.set(berlin(day, 22, 15));
      await send(app, [job('ws-1', 'success', berlin(day, 22, 10))]);
    }
  });
  after(() => app.close());

  test('last backed up Friday night is Healthy, meeting SLA, without alerts all weekend', async () => {
    for (const at of [berlin(5, 10), berlin(5, 23), berlin(6, 12), berlin(6, 23, 59)]) {
      const row = await sweepAt(app, at);
      assert.equal(row!.status, 'healthy', `at ${new Date(at).toISOString()}`);
      assert.equal(row!.sla_state, 'meeting', `at ${new Date(at).toISOString()}`);
      assert.deepEqual(await activeAlerts(app, 'ws-1'), []);
    }
    const { json } = await app.request('GET', 'devices/ws-1');
    assert.equal(json.schedule.kind, 'weekly');
    assert.match(json.schedule.text, /22:00/);
    assert.equal(json.nextDueAt, new Date(berlin(7, 22)).toISOString());
    assert.equal(json.lateSince, null);
    assert.deepEqual(json.runs.slice(-5).map((run: { result: string }) => run.result), ['success', 'success', 'success', 'success', 'success']);
    // The compliance snapshot reads the SLA as the evaluator and the detail do: meeting all weekend.
    assert.equal(json.sla.state, 'meeting');
    const compliance = await app.request('GET', 'compliance?client=dental');
    assert.equal(compliance.status, 200);
    assert.deepEqual(compliance.json.devices.map((d: { state: string; breachSince: string | null }) => [d.state, d.breachSince]), [['meeting', null]]);
  });

  test("is missed on Tuesday 02:00 when Monday's run did not happen (grace 4 h)", async () => {
    const beforeGrace = await sweepAt(app, berlin(8, 1, 59));
    assert.equal(beforeGrace!.status, 'healthy');
    assert.deepEqual(await activeAlerts(app, 'ws-1'), []);
    const row = await sweepAt(app, berlin(8, 2, 1));
    assert.notEqual(row!.status, 'healthy');
    assert.ok((await activeAlerts(app, 'ws-1')).some((alert) => alert.startsWith('backup_missed_schedule:')), JSON.stringify(await activeAlerts(app, 'ws-1')));
    const { json } = await app.request('GET', 'devices/ws-1');
    assert.equal(json.lateSince, new Date(berlin(8, 2)).toISOString());
    assert.equal(json.runs.at(-1).result, 'missed');
    assert.equal(json.runs.at(-1).slot, new Date(berlin(7, 22)).toISOString());
  });
});

describe('a laptop with offline skipping, off since Friday', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: berlin(0, 9) });
    await app.request('PUT', 'clients/field', { body: { name: 'Field staff', timezone: 'Europe/Berlin' } });
    const policy = await app.request('PUT', 'policies/laptops', {
      body: { name: 'Laptops 12:30', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['12:30'] }, graceHours: 4, offline: { skipWhenOffline: true, alertAfterDays: 7 } },
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.json));
    await app.request('PUT', 'devices/lt-1', { body: { clientId: 'field', name: 'Sales laptop', kind: 'workstation', policyId: 'laptops' } });
    for (let day = 0; day < 5; day += 1) {
      app.clock.set(berlin(day, 12, 45));
      await send(app, [job('lt-1', 'success', berlin(day, 12, 40))]);
    }
  });
  after(() => app.close());

  test('is pending, not in breach, in the detail, the compliance snapshot and the client roll-up alike', async () => {
    await sweepAt(app, berlin(7, 12));
    const detail = await app.request('GET', 'devices/lt-1');
    assert.notEqual(detail.json.offlineSince, null);
    assert.equal(detail.json.sla.state, 'pending');
    const compliance = await app.request('GET', 'compliance?client=field');
    assert.deepEqual(compliance.json.devices.map((d: { state: string }) => d.state), ['pending']);
    assert.deepEqual([compliance.json.summary.breach, compliance.json.summary.pending], [0, 1]);
    const client = await app.request('GET', 'clients/field');
    assert.equal(client.status, 200);
    assert.equal(client.json.compliance.pending, 1, JSON.stringify(client.json));
  });
});

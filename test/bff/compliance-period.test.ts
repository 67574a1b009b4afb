/**
 * Compliance over a period, fed from the jobs table: a fixture with known breach
 * intervals across the October DST change in Berlin, computed by hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { reportPeriod } from '../../core/index.ts';
import { buildPeriodReport, type PeriodReport } from '../../bff/services/compliance-period.ts';
import { job, ok, postEvents, putDevice, putPolicy } from './fleet.ts';
import { HOUR, testApp, type TestApp } from './harness.ts';

const utc = (iso: string) => Date.parse(iso);
const NOW = utc('2026-11-10T09:00:00Z');

describe('compliance over a period (Berlin, October 2026: 745 hours with the DST change)', () => {
  let t: TestApp;
  let report: PeriodReport;
  before(async () => {
    t = await testApp({ now: utc('2026-09-28T00:00:00Z') });
    await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
    await putPolicy(t, 'ten-hourly', 10);
    await putDevice(t, 'srv-steady', { clientId: 'berlin', name: 'SRV Steady', kind: 'server', policyId: 'ten-hourly' });
    await putDevice(t, 'srv-gap', { clientId: 'berlin', name: 'SRV Gap', kind: 'server', policyId: 'ten-hourly' });
    t.clock.set(NOW);
    const events = [];
    for (let at = utc('2026-09-29T00:00:00Z'); at < NOW; at += 10 * HOUR) {
      events.push(job('srv-steady', 'success', at));
      // srv-gap misses everything from Sat 24 Oct 02:00 UTC until Mon 26 Oct 02:00 UTC: one 48 h gap.
      if (at <= utc('2026-10-24T02:00:00Z') || at >= utc('2026-10-26T02:00:00Z')) events.push(job('srv-gap', 'success', at));
    }
    events.push(job('srv-gap', 'success', utc('2026-10-24T02:00:00Z')), job('srv-gap', 'success', utc('2026-10-26T02:00:00Z')));
    await postEvents(t, events);
    const { from, to } = reportPeriod('month', NOW, 'Europe/Berlin');
    report = await buildPeriodReport(t.db, t.services.settings, t.tenant.id, 'berlin', from, to, NOW);
  });
  after(() => t.close());

  test("the previous month runs from the client's midnight to midnight", () => {
    assert.equal(report.from, '2026-09-30T22:00:00.000Z');
    assert.equal(report.to, '2026-10-31T23:00:00.000Z');
  });

  test('a 48 h gap on a 12 h server SLA is one 36 h breach, across the DST change', () => {
    const gap = report.devices.find((d) => d.device.id === 'srv-gap')!;
    assert.deepEqual(gap.breaches, [{ from: '2026-10-24T14:00:00.000Z', to: '2026-10-26T02:00:00.000Z', hours: 36, maintenanceHours: 0 }]);
    assert.equal(gap.breachHours, 36);
    // 745 h in the period, 36 of them in breach: 709 / 745.
    assert.equal(gap.meetingPct, 95.2);
  });

  test('a device that backed up every 10 h met its SLA the whole month', () => {
    const steady = report.devices.find((d) => d.device.id === 'srv-steady')!;
    assert.equal(steady.meetingPct, 100);
    assert.deepEqual(steady.breaches, []);
  });

  test('the client figure weighs both devices by time, and devices come worst first', () => {
    assert.deepEqual(report.clients, [{ id: 'berlin', name: 'Berlin GmbH', meetingPct: 97.6, devices: 2, devicesWithBreach: 1 }]);
    assert.deepEqual(report.devices.map((d) => d.device.id), ['srv-gap', 'srv-steady']);
  });
});

describe('compliance over a period excludes maintenance time', () => {
  test('breach time inside a maintenance window counts neither as meeting nor as breach', async () => {
    const t = await testApp({ now: utc('2026-09-28T00:00:00Z') });
    try {
      await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
      await putPolicy(t, 'ten-hourly', 10);
      await putDevice(t, 'srv-gap', { clientId: 'berlin', name: 'SRV Gap', kind: 'server', policyId: 'ten-hourly' });
      t.clock.set(NOW);
      const events = [];
      for (let at = utc('2026-09-29T00:00:00Z'); at < NOW; at += 10 * HOUR) {
        if (at <= utc('2026-10-24T02:00:00Z') || at >= utc('2026-10-26T02:00:00Z')) events.push(job('srv-gap', 'success', at));
      }
      events.push(job('srv-gap', 'success', utc('2026-10-24T02:00:00Z')), job('srv-gap', 'success', utc('2026-10-26T02:00:00Z')));
      await postEvents(t, events);
      // 26 of the 36 breach hours (24 Oct 14:00 – 26 Oct 02:00 UTC) lie in the window.
      await ok(t.request('PUT', 'maintenance/move', { body: { name: 'Move', scope: { deviceIds: ['srv-gap'] }, start: '2026-10-25T00:00:00Z', end: '2026-10-26T02:00:00Z' } }));
      const { from, to } = reportPeriod('month', NOW, 'Europe/Berlin');
      const report = await buildPeriodReport(t.db, t.services.settings, t.tenant.id, 'berlin', from, to, NOW);
      const gap = report.devices.find((d) => d.device.id === 'srv-gap')!;
      assert.equal(gap.breachHours, 10);
      // 745 h in the period, 26 excluded, 10 in breach: 709 / 719.
      assert.equal(gap.meetingPct, 98.6);
    } finally {
      t.close();
    }
  });
});

describe('GET /compliance over a period', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: utc('2026-09-28T00:00:00Z') });
    await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
    await putPolicy(t, 'ten-hourly', 10);
    await putDevice(t, 'srv-gap', { clientId: 'berlin', name: 'SRV Gap', kind: 'server', policyId: 'ten-hourly' });
    t.clock.set(NOW);
    await postEvents(t, [job('srv-gap', 'success', utc('2026-10-24T02:00:00Z')), job('srv-gap', 'success', utc('2026-10-26T02:00:00Z'))]);
  });
  after(() => t.close());

  test("period=month is the client's previous calendar month, with its breaches", async () => {
    const report = await ok(t.request('GET', 'compliance?client=berlin&period=month'));
    assert.equal(report.period, 'month');
    assert.equal(report.timezone, 'Europe/Berlin');
    assert.equal(report.from, '2026-09-30T22:00:00.000Z');
    assert.deepEqual(report.client, { id: 'berlin', name: 'Berlin GmbH' });
    assert.equal(report.devices[0].breaches[1].hours, 36);
  });

  test('from and to give the same figures as the named period they span', async () => {
    const named = await ok(t.request('GET', 'compliance?client=berlin&period=month'));
    const explicit = await ok(t.request('GET', `compliance?client=berlin&from=${named.from}&to=${named.to}`));
    assert.deepEqual(explicit.devices, named.devices);
    assert.equal(explicit.period, null);
  });

  test("custom days are the client's days: 00:00 local on the first to 24:00 local on the last, across the DST change", async () => {
    const days = await ok(t.request('GET', 'compliance?client=berlin&from=2026-10-01&to=2026-10-31'));
    const named = await ok(t.request('GET', 'compliance?client=berlin&period=month'));
    assert.equal(days.from, '2026-09-30T22:00:00.000Z');
    assert.equal(days.to, '2026-10-31T23:00:00.000Z');
    assert.deepEqual(days.devices, named.devices);
  });

  test('a day that does not exist is a 422 naming the parameter', async () => {
    const response = await t.request('GET', 'compliance?client=berlin&from=2026-02-30&to=2026-03-02');
    assert.equal(response.status, 422);
    assert.ok(response.json.errors.some((e: { path: string }) => e.path === 'from'), JSON.stringify(response.json.errors));
  });

  test('without a period, or with at=now, the snapshot of Part I answers', async () => {
    assert.ok('generatedAt' in (await ok(t.request('GET', 'compliance?client=berlin'))));
    assert.ok('generatedAt' in (await ok(t.request('GET', 'compliance?client=berlin&at=now&period=month'))));
  });

  test('a bad period is a 422 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['period=year', 'period'],
      ['from=2026-10-01T00:00:00Z', 'to'],
      ['from=2026-10-05T00:00:00Z&to=2026-10-01T00:00:00Z', 'to'],
      ['from=2025-01-01T00:00:00Z&to=2026-10-01T00:00:00Z', 'to'],
      ['from=yesterday&to=2026-10-01T00:00:00Z', 'from'],
      ['period=month&from=2026-10-01T00:00:00Z', 'period'],
    ];
    for (const [query, path] of cases) {
      const response = await t.request('GET', `compliance?${query}`);
      assert.equal(response.status, 422, query);
      assert.ok(response.json.errors.some((e: { path: string }) => e.path === path), `${query}: ${JSON.stringify(response.json.errors)}`);
    }
  });

  test("another client's period is a 404", async () => {
    assert.equal((await t.request('GET', 'compliance?client=nobody&period=30d')).status, 404);
  });
});

describe('compliance over a period follows calendar schedules (docs/schedules.md)', () => {
  test('a Mon–Fri 22:00 workstation that ran every weekday night met its SLA all month, weekends included; missing a Monday is a breach from Tuesday 02:00', async () => {
    const t = await testApp({ now: utc('2026-09-28T00:00:00Z') });
    try {
      await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
      await ok(t.request('PUT', 'policies/workdays', { body: { name: 'Workdays 22:00', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, graceHours: 4 } }));
      await putPolicy(t, 'daily', 24);
      await putDevice(t, 'ws-workdays', { clientId: 'berlin', name: 'WS Workdays', kind: 'workstation', policyId: 'workdays' });
      await putDevice(t, 'ws-daily', { clientId: 'berlin', name: 'WS Daily', kind: 'workstation', policyId: 'daily' });
      await putDevice(t, 'ws-no-monday', { clientId: 'berlin', name: 'WS No Monday', kind: 'workstation', policyId: 'workdays' });
      t.clock.set(NOW);
      const events = [];
      // Each weekday at 22:10 Berlin (20:10 UTC in summer time, 21:10 in winter), from Monday 28 September.
      for (let day = utc('2026-09-28T00:00:00Z'); day < utc('2026-11-07T00:00:00Z'); day += 24 * HOUR) {
        const weekday = new Date(day).getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        const at = day + (day < utc('2026-10-25T01:00:00Z') ? 20 : 21) * HOUR + 10 * 60_000;
        for (const id of ['ws-workdays', 'ws-daily']) events.push(job(id, 'success', at));
        // Monday 12 October did not run.
        if (day !== utc('2026-10-12T00:00:00Z')) events.push(job('ws-no-monday', 'success', at));
      }
      await postEvents(t, events);
      const { from, to } = reportPeriod('month', NOW, 'Europe/Berlin');
      const report = await buildPeriodReport(t.db, t.services.settings, t.tenant.id, 'berlin', from, to, NOW);
      const device = (id: string) => report.devices.find((d) => d.device.id === id)!;
      assert.deepEqual(device('ws-workdays').breaches, []);
      assert.equal(device('ws-workdays').meetingPct, 100);
      // The same nights on a 24-hour interval policy: every weekend is a breach (Part I unchanged).
      assert.ok(device('ws-daily').breaches.length >= 4, JSON.stringify(device('ws-daily').breaches));
      // Last success Friday 9 October 22:10; Monday 12 October 22:00 missed: late, and in breach, from Tuesday 02:00 Berlin.
      assert.deepEqual(device('ws-no-monday').breaches.map((b) => [b.from, b.to]), [['2026-10-13T00:00:00.000Z', '2026-10-13T20:10:00.000Z']]);
    } finally {
      t.close();
    }
  });

  test('a laptop off every weekend (offline skipping) is pending while off, not in breach; the same nights without skipping breach each weekend', async () => {
    const t = await testApp({ now: utc('2026-09-28T00:00:00Z') });
    try {
      await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
      const daily = { kind: 'weekly', days: [1, 2, 3, 4, 5, 6, 7], times: ['12:30'] };
      await ok(t.request('PUT', 'policies/laptops', { body: { name: 'Laptops', schedule: daily, graceHours: 4, offline: { skipWhenOffline: true, alertAfterDays: 7 } } }));
      await ok(t.request('PUT', 'policies/desks', { body: { name: 'Desks', schedule: daily, graceHours: 4 } }));
      await putDevice(t, 'laptop', { clientId: 'berlin', name: 'Laptop', kind: 'workstation', policyId: 'laptops' });
      await putDevice(t, 'desk', { clientId: 'berlin', name: 'Desk', kind: 'workstation', policyId: 'desks' });
      t.clock.set(NOW);
      const events = [];
      // Monday to Friday: switched on at 08:00 (a check-in), backed up at 12:40 Berlin; off at the weekend.
      for (let day = utc('2026-09-28T00:00:00Z'); day < utc('2026-11-07T00:00:00Z'); day += 24 * HOUR) {
        const weekday = new Date(day).getUTCDay();
        if (weekday === 0 || weekday === 6) continue;
        const offset = day < utc('2026-10-25T01:00:00Z') ? 2 : 1; // Berlin is UTC+2 in summer time, +1 after
        for (const id of ['laptop', 'desk']) {
          events.push({ type: 'checkin', deviceId: id, at: new Date(day + (8 - offset) * HOUR).toISOString() });
          events.push(job(id, 'success', day + (12 - offset) * HOUR + 40 * 60_000));
        }
      }
      await postEvents(t, events);
      const { from, to } = reportPeriod('month', NOW, 'Europe/Berlin');
      const report = await buildPeriodReport(t.db, t.services.settings, t.tenant.id, 'berlin', from, to, NOW);
      const device = (id: string) => report.devices.find((d) => d.device.id === id)!;
      const weekendBreaches = (id: string) =>
        device(id).breaches.filter((b) => [0, 6].includes(new Date(b.from).getUTCDay()) || [0, 6].includes(new Date(b.to ?? to).getUTCDay()));
      assert.ok(weekendBreaches('desk').length >= 4, JSON.stringify(device('desk').breaches));
      assert.deepEqual(weekendBreaches('laptop'), [], JSON.stringify(device('laptop').breaches));
      assert.ok(device('laptop').meetingPct! > device('desk').meetingPct!);
      const stored = await t.db.all<{ n: number }>("SELECT count(*) AS n FROM offline_episodes WHERE device_id = 'laptop'");
      assert.ok(stored[0]!.n >= 5, 'one episode per weekend, recorded when Monday ended it');
    } finally {
      t.close();
    }
  });
});

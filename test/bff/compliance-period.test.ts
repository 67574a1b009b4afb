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
    assert.deepEqual(gap.breaches, [{ from: '2026-10-24T14:00:00.000Z', to: '2026-10-26T02:00:00.000Z', hours: 36 }]);
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

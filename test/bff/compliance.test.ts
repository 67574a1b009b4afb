import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildComplianceReport } from '../../bff/services/compliance.ts';
import type { ClientItem, ComplianceReport } from '../../core/api.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { embedToken, ok, seedFleet } from './fleet.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const byDevice = (report: ComplianceReport) => Object.fromEntries(report.devices.map((row) => [row.device.id, row]));

describe('GET /compliance', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
  });
  after(() => t.close());

  test('the tenant report lists every active device with its SLA state', async () => {
    const report: ComplianceReport = await ok(t.request('GET', 'compliance'));
    assert.equal(report.generatedAt, iso(T0));
    assert.equal(report.client, null);
    assert.deepEqual(report.rules, { tenant: { workstationHours: 24, serverHours: 12, saasHours: 36 }, client: null, effective: null });
    const rows = byDevice(report);
    assert.deepEqual(Object.keys(rows).sort(), ['saas-ok', 'srv-failing', 'srv-late', 'srv-stale', 'ws-healthy', 'ws-new']);
    assert.deepEqual(rows['srv-failing'], {
      device: { id: 'srv-failing', name: 'SRV Failing', kind: 'server' },
      client: { id: 'contoso', name: 'Contoso' },
      maxHours: 12,
      state: 'breach',
      lastSuccessAt: iso(T0 - 26 * HOUR),
      breachSince: iso(T0 - 14 * HOUR),
      breachHours: 14,
    });
    assert.equal(rows['srv-stale']!.breachHours, 41);
    assert.equal(rows['ws-new']!.state, 'pending');
    assert.equal(rows['ws-healthy']!.state, 'meeting');
    assert.equal(rows['ws-healthy']!.breachHours, null);
    assert.deepEqual(report.summary, { meeting: 3, breach: 2, pending: 1, percent: 60 });
  });

  test("a client's report shows its rules and its devices only", async () => {
    const report: ComplianceReport = await ok(t.request('GET', 'compliance?client=fabrikam'));
    assert.deepEqual(report.client, { id: 'fabrikam', name: 'Fabrikam' });
    assert.deepEqual(report.rules.effective, { workstationHours: 24, serverHours: 12, saasHours: 36 });
    assert.deepEqual(report.devices.map((row) => row.device.id).sort(), ['saas-ok', 'srv-stale']);
    assert.deepEqual(report.summary, { meeting: 1, breach: 1, pending: 0, percent: 50 });
  });

  test('each client summary agrees with the clients roll-up', async () => {
    const { items } = await ok(t.request('GET', 'clients'));
    for (const client of items as ClientItem[]) {
      const report: ComplianceReport = await ok(t.request('GET', `compliance?client=${client.id}`));
      assert.deepEqual(report.summary, client.compliance, client.id);
    }
  });

  test('a client override changes the effective rules and the states at once', async () => {
    await ok(t.request('PUT', 'settings/sla', { body: { clients: { contoso: { serverHours: 48 } } } }));
    const report: ComplianceReport = await ok(t.request('GET', 'compliance?client=contoso'));
    assert.deepEqual(report.rules.client, { serverHours: 48 });
    assert.deepEqual(report.rules.effective, { workstationHours: 24, serverHours: 48, saasHours: 36 });
    assert.equal(byDevice(report)['srv-failing']!.state, 'meeting');
    await ok(t.request('PUT', 'settings/sla', { body: { clients: { contoso: null } } }));
  });

  test('states are computed at request time, even before the next sweep', async () => {
    t.clock.set(T0 + 6 * HOUR);
    try {
      const late = byDevice(await ok(t.request('GET', 'compliance?client=contoso')))['srv-late']!;
      assert.equal(late.state, 'breach');
      assert.equal(late.breachSince, iso(T0 + 5 * HOUR));
      assert.equal(late.breachHours, 1);
    } finally {
      t.clock.set(T0);
    }
  });

  test('buildComplianceReport gives the same figures as the route', async () => {
    const report = await buildComplianceReport(t.db, t.services.settings, t.tenant.id, 'contoso', T0);
    assert.deepEqual(report, await ok(t.request('GET', 'compliance?client=contoso')));
  });

  test('an unknown client is a 404 problem', async () => {
    assert.equal((await t.request('GET', 'compliance?client=nope')).status, 404);
  });

  test('a client-scoped token gets its own client, and a 404 for any other', async () => {
    const token = await embedToken(t, 'fabrikam');
    const own: ComplianceReport = await ok(t.request('GET', 'compliance', { token }));
    assert.deepEqual(own.client, { id: 'fabrikam', name: 'Fabrikam' });
    assert.equal((await t.request('GET', 'compliance?client=contoso', { token })).status, 404);
  });
});

/**
 * The period report shows the maintenance it left out (docs/reports.md), for audits: the
 * Berlin fixture (SRV Gap in breach 24 Oct 14:00 – 26 Oct 02:00 UTC, 36 h) with a
 * 48 h window "Move" (25 Oct 00:00 – 27 Oct 00:00 UTC) created on 10 Nov, after the
 * fact: 26 h of the breach's span and 22 h of meeting time are excluded. JSON, CSV and
 * PDF (read back with pdftotext) say the same figures, and they add up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Papa from 'papaparse';
import { PeriodComplianceReportSchema } from '../../contract/resources.ts';
import { ok, putDevice } from './fleet.ts';
import { HOUR, testApp, type TestApp } from './harness.ts';
import { BERLIN_NOW, seedBerlinOctober } from './period-fixture.ts';
import { pdfText } from './pdf-text.ts';

const exportFile = async (t: TestApp, query: string) => {
  const result = await t.request('GET', `compliance/export?${query}`);
  assert.equal(result.status, 200, `HTTP ${result.status} ${JSON.stringify(result.json)}`);
  return Buffer.from(await result.response.arrayBuffer());
};

describe('a period report with a backdated maintenance window', () => {
  let t: TestApp;
  let report: any;
  before(async () => {
    t = await testApp({ now: Date.parse('2026-09-27T00:00:00Z') });
    await seedBerlinOctober(t);
    // Another client's window, over the same days: not in Berlin's report.
    t.clock.set(Date.parse('2026-09-28T00:00:00Z'));
    await ok(t.request('PUT', 'clients/acme', { body: { name: 'Acme Ltd' } }));
    await putDevice(t, 'acme-srv', { clientId: 'acme', name: 'Acme Server', kind: 'server', policyId: 'ten-hourly' });
    t.clock.set(BERLIN_NOW);
    await ok(t.request('PUT', 'maintenance/move', { body: { name: 'Move', scope: { deviceIds: ['srv-gap'] }, start: '2026-10-25T00:00:00Z', end: '2026-10-27T00:00:00Z' } }));
    await ok(t.request('PUT', 'maintenance/acme-move', { body: { name: 'Acme move', scope: { clientId: 'acme' }, start: '2026-10-25T00:00:00Z', end: '2026-10-27T00:00:00Z' } }));
    report = await ok(t.request('GET', 'compliance?client=berlin&period=month'));
  });
  after(() => t.close());

  const device = (id: string) => report.devices.find((d: { device: { id: string } }) => d.device.id === id);

  test("the breach row's span is its breach hours plus the maintenance excluded within it", () => {
    const [breach] = device('srv-gap').breaches;
    assert.deepEqual(breach, { from: '2026-10-24T14:00:00.000Z', to: '2026-10-26T02:00:00.000Z', hours: 10, maintenanceHours: 26 });
    assert.equal((Date.parse(breach.to) - Date.parse(breach.from)) / HOUR, breach.hours + breach.maintenanceHours);
  });

  test('each device says how many hours of the period maintenance took out: the whole window for the device in it, none for the other', () => {
    assert.equal(device('srv-gap').maintenanceHours, 48);
    assert.equal(device('srv-steady').maintenanceHours, 0);
    // 745 h in the period, 48 excluded, 10 in breach: 687 / 697.
    assert.equal(device('srv-gap').meetingPct, 98.6);
  });

  test('the window is listed once with its scope, its span clipped to the period and when it was created; the other client’s is not', () => {
    assert.deepEqual(report.maintenance, [{
      id: 'move',
      name: 'Move',
      scope: { deviceIds: ['srv-gap'] },
      createdAt: new Date(BERLIN_NOW).toISOString(),
      spans: [{ from: '2026-10-25T00:00:00.000Z', to: '2026-10-27T00:00:00.000Z', hours: 48 }],
      hours: 48,
    }]);
  });

  test('the answer with maintenance is what the contract describes', () => {
    const parsed = PeriodComplianceReportSchema.safeParse(report);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    assert.deepEqual(parsed.data, report);
  });

  test('a window reaching outside the period is clipped to it', async () => {
    const lateOctober = await ok(t.request('GET', 'compliance?client=berlin&from=2026-10-26T00:00:00Z&to=2026-11-01T00:00:00Z'));
    assert.deepEqual(lateOctober.maintenance.map((m: any) => m.spans), [[{ from: '2026-10-26T00:00:00.000Z', to: '2026-10-27T00:00:00.000Z', hours: 24 }]]);
    assert.equal(lateOctober.devices.find((d: any) => d.device.id === 'srv-gap').maintenanceHours, 24);
  });

  test('the CSV has the maintenance hours of each device, as the JSON', async () => {
    const csv = (await exportFile(t, 'format=csv&client=berlin&period=month')).toString('utf8');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    assert.deepEqual(rows.map((row) => [row.device, row['breach hours'], row['maintenance hours']]), [['SRV Gap', '10', '48'], ['SRV Steady', '0', '0']]);
    assert.deepEqual(rows.map((row) => Number(row['maintenance hours'])), report.devices.map((d: { maintenanceHours: number }) => d.maintenanceHours));
  });

  test('the PDF notes the excluded maintenance on the breach and lists the window after the breaches, in the client’s time', async () => {
    const text = pdfText(await exportFile(t, 'format=pdf&client=berlin&period=month'));
    assert.match(text, /SRV Gap\s+24 Oct 2026, 16:00 CEST\s+26 Oct 2026, 03:00 CET\s+10 h \(\+26 h maintenance,/);
    assert.match(text, /Maintenance excluded \(1 window, 48 h\)/);
    assert.match(text, /Move\s+25 Oct 2026, 02:00 CEST\s+27 Oct 2026, 01:00 CET\s+48 h\s+10 Nov 2026, 10:00 CET/);
    assert.match(text, /SRV Gap\s+server\s+12 h\s+98\.6 %\s+1\s+10 h\s+48 h/);
    assert.doesNotMatch(text, /Acme move/);
    const at = (fragment: string) => text.indexOf(fragment);
    assert.ok(at('Breaches (1)') < at('Maintenance excluded') && at('Maintenance excluded') < at('Compliance per week'), text);
  });

  test('the tenant-wide PDF lists both windows', async () => {
    const text = pdfText(await exportFile(t, 'format=pdf&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z'));
    assert.match(text, /Maintenance excluded \(2 windows, 96 h\)/);
    assert.match(text, /Acme move/);
  });
});

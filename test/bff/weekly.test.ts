import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { trendDays, weeklyReportData } from '../../bff/services/weekly-data.ts';
import type { WeeklyReportJson } from '../../core/api.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { DAY, embedToken, ok, seedFleet } from './fleet.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('GET /reports/weekly', () => {
  let t: TestApp;
  let report: WeeklyReportJson;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
    report = await ok(t.request('GET', 'reports/weekly'));
  });
  after(() => t.close());

  test('covers the 7 days ending now', () => {
    assert.equal(report.periodStart, iso(T0 - 7 * DAY));
    assert.equal(report.periodEnd, iso(T0));
  });

  test('totals count the active devices by status', () => {
    assert.deepEqual(report.totals, { devices: 6, healthy: 2, warning: 1, critical: 2, unknown: 1 });
  });

  test('the job success rate counts success and warning against failures of the week', () => {
    // 6 successful jobs and 3 failures ended in the period.
    assert.equal(report.jobSuccessRate, 66.7);
  });

  test('new critical alerts are the critical alerts triggered in the period', async () => {
    const alerts = report.newCriticalAlerts.map((alert) => `${alert.device.id}:${alert.type}`).sort();
    assert.ok(alerts.includes('srv-failing:backup_failed'), alerts.join());
    assert.ok(alerts.includes('srv-stale:backup_overdue'), alerts.join());
    assert.ok(report.newCriticalAlerts.every((alert) => alert.severity === 'critical'));
    const { items } = await ok(t.request('GET', 'alerts?severity=critical&limit=500'));
    assert.deepEqual(alerts, items.map((alert: { device: { id: string }; type: string }) => `${alert.device.id}:${alert.type}`).sort());
  });

  test('lowest scores list five devices worst first, unknown excluded', () => {
    assert.equal(report.lowestScores.length, 5);
    assert.ok(report.lowestScores.every((row) => row.status !== 'unknown'));
    assert.deepEqual(
      report.lowestScores.map((row) => row.score),
      report.lowestScores.map((row) => row.score).sort((a, b) => a - b),
    );
    assert.deepEqual(report.lowestScores.slice(0, 2).map((row) => row.status), ['critical', 'critical']);
    assert.deepEqual(report.lowestScores[0]!.client, { id: report.lowestScores[0]!.device.id === 'srv-stale' ? 'fabrikam' : 'contoso', name: report.lowestScores[0]!.device.id === 'srv-stale' ? 'Fabrikam' : 'Contoso' });
  });

  test("the storage trend sums each device's newest report per UTC day", () => {
    assert.deepEqual(report.storageTrend, [
      { date: '2026-11-18', usedBytes: 400_000 },
      { date: '2026-11-19', usedBytes: 400_000 },
      { date: '2026-11-20', usedBytes: 400_000 },
      { date: '2026-11-21', usedBytes: 500_000 },
      { date: '2026-11-22', usedBytes: 500_000 },
      { date: '2026-11-23', usedBytes: 500_000 },
      { date: '2026-11-24', usedBytes: 550_000 },
    ]);
  });

  test('the trend days end with the day of the period end and never look past it', () => {
    const days = trendDays(T0);
    assert.equal(days.length, 7);
    assert.equal(days[6]!.cutoff, T0);
    assert.equal(days[0]!.cutoff, Date.UTC(2026, 10, 18, 23, 59, 59, 999));
  });

  test('weeklyReportData for one client holds only that client', async () => {
    const contoso = await weeklyReportData(t.db, t.tenant.id, T0 - 7 * DAY, T0, 'contoso');
    assert.deepEqual(contoso.totals, { devices: 4, healthy: 1, warning: 1, critical: 1, unknown: 1 });
    assert.equal(contoso.jobSuccessRate, 57.1);
    assert.ok(contoso.lowestScores.every((row) => row.client.id === 'contoso'));
    assert.ok(contoso.newCriticalAlerts.every((alert) => alert.client.id === 'contoso'));
    assert.equal(contoso.storageTrend.at(-1)!.usedBytes, 550_000);
  });

  test('a week later the old alerts are no longer new and no job counts', async () => {
    const later = await weeklyReportData(t.db, t.tenant.id, T0 + 7 * DAY, T0 + 14 * DAY);
    assert.deepEqual(later.newCriticalAlerts, []);
    assert.equal(later.jobSuccessRate, null);
    assert.equal(later.storageTrend[0]!.usedBytes, 550_000);
  });

  test('a client-scoped token gets its client only, and a 404 for another', async () => {
    const token = await embedToken(t, 'fabrikam');
    const own: WeeklyReportJson = await ok(t.request('GET', 'reports/weekly', { token }));
    assert.equal(own.totals.devices, 2);
    assert.equal((await t.request('GET', 'reports/weekly?client=contoso', { token })).status, 404);
  });

  test('an unknown client is a 404 problem', async () => {
    assert.equal((await t.request('GET', 'reports/weekly?client=nope')).status, 404);
  });

  test('a job ended exactly at the start of the period is outside it', async () => {
    const edge = await weeklyReportData(t.db, t.tenant.id, T0 - HOUR, T0 + HOUR);
    // ws-healthy's newest success ended at T0 - 1 h exactly; the period is (start, end].
    assert.equal(edge.jobSuccessRate, null);
  });
});

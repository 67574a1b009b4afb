/**
 * The seeded demo fleet through the real API, as a new user would try it (issue #14):
 * one of the demo's Mon–Fri 22:00 office workstations, last backed up on Friday night,
 * is Healthy with no alerts all weekend and missed (`backup_missed_schedule`) on
 * Tuesday 02:00 when Monday's run did not happen (grace 4 h); the list carries every
 * schedule kind. The seeder runs against a BFF on a test clock (sweeps at chosen times).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DeviceListItem, Page, WeeklyReportJson as WeeklyReport } from '../../core/api.ts';
import { localDateTime, zonedInstant } from '../../core/zoned-time.ts';
import { ApiError, type ApiClient } from '../../demo/api-client.ts';
import { buildFleet, type DeviceSpec } from '../../demo/seed/fleet.ts';
import { seedFleet } from '../../demo/seed/seeder.ts';
import { activeAlerts } from '../bff/builders.ts';
import { testApp, type TestApp } from '../bff/harness.ts';

const fleet = buildFleet({ deviceCount: 40 });
// A steady office workstation of the demo (Mon–Fri 22:00), in its client's timezone.
const workstation = fleet.devices.find((d) => d.policyId === 'workstations' && d.scenario === 'steady' && d.timezone === 'America/Chicago') as DeviceSpec;
const zone = workstation.timezone;
// Saturday 28 November 2026 and the days after it, at a local time.
const local = (day: number, hour: number, minute = 0) => zonedInstant({ year: 2026, month: 11, day: 28 + day }, hour * 60 + minute, zone);
const SATURDAY_MORNING = local(0, 9);

let t: TestApp;

/** The demo's API client over the test app (paths as the seeder writes them). */
function apiOf(app: TestApp): ApiClient {
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await app.request(method, path.replace(/^\//, ''), body === undefined ? {} : { body });
    if (answer.status >= 300) throw new ApiError(method, path, answer.status, answer.json ?? null);
    return answer.json;
  };
  return { get: (path) => call('GET', path), put: (path, body) => call('PUT', path, body), post: (path, body) => call('POST', path, body) } as ApiClient;
}

async function sweepAt(at: number) {
  t.clock.set(at);
  assert.equal((await t.request('POST', 'admin/evaluate')).status, 200);
  const { json } = await t.request('GET', `devices/${workstation.id}`);
  // The weekly mail's contents are GET /reports/weekly for the client (weekly-mail.test.ts).
  const { json: weekly } = await t.request('GET', `reports/weekly?client=${workstation.clientId}`);
  return { device: json, alerts: await activeAlerts(t, workstation.id), weekly: weekly as WeeklyReport };
}

/** How the weekly summary shows the workstation: its status among the lowest scores (if listed) and its new critical alerts. */
function inWeekly(weekly: WeeklyReport) {
  return {
    status: weekly.lowestScores.find((entry) => entry.device.id === workstation.id)?.status ?? 'not listed',
    criticalAlerts: weekly.newCriticalAlerts.filter((alert) => alert.device.id === workstation.id).length,
  };
}

before(async () => {
  t = await testApp({ now: SATURDAY_MORNING - 15 * 24 * 3_600_000 });
  await seedFleet(apiOf(t), fleet, { now: SATURDAY_MORNING, history: { days: 14 }, afterInventory: async () => t.clock.set(SATURDAY_MORNING) });
});
after(() => t?.close());

test('the seeded list carries every schedule kind with its words and next run', async () => {
  const page: Page<DeviceListItem> = (await t.request('GET', 'devices?limit=500&include=schedule')).json;
  const kinds = new Set(page.items.map((item) => item.schedule!.kind));
  assert.deepEqual([...kinds].sort(), ['cron', 'interval', 'monthly', 'weekly']);
  const item = page.items.find((d) => d.id === workstation.id)!;
  assert.match(item.schedule!.text, /22:00/);
  assert.match(item.schedule!.text, /America\/Chicago/);
  const statuses = new Set(page.items.map((d) => d.status));
  for (const status of ['healthy', 'warning', 'critical']) assert.ok(statuses.has(status as DeviceListItem['status']), status);
});

test('a demo Mon–Fri 22:00 workstation last backed up on Friday night is Healthy, without alerts, all weekend', async () => {
  for (const at of [local(0, 9, 30), local(0, 23), local(1, 12), local(1, 23, 59)]) {
    const { device, alerts, weekly } = await sweepAt(at);
    assert.ok(['healthy', 'not listed'].includes(inWeekly(weekly).status), JSON.stringify(inWeekly(weekly)));
    assert.equal(inWeekly(weekly).criticalAlerts, 0);
    const friday = localDateTime(Date.parse(device.lastSuccessAt), zone);
    assert.equal(friday.weekday, 5, `last success ${device.lastSuccessAt} is on Friday`);
    assert.ok(friday.hour >= 22, `last success ${device.lastSuccessAt} is Friday night`);
    assert.equal(device.status, 'healthy', `${new Date(at).toISOString()}: ${device.reasons?.join('; ')}`);
    assert.equal(device.lateSince, null);
    assert.equal(device.nextDueAt, new Date(local(2, 22)).toISOString(), 'Monday 22:00 is the run it owes');
    assert.deepEqual(alerts, []);
  }
});

test("it is missed on Tuesday 02:00 when Monday's run did not happen (grace 4 h)", async () => {
  const beforeGrace = await sweepAt(local(3, 1, 59));
  assert.equal(beforeGrace.device.status, 'healthy');
  assert.deepEqual(beforeGrace.alerts, []);
  const { device, alerts, weekly } = await sweepAt(local(3, 2, 1));
  assert.equal(device.status, 'warning');
  assert.ok(['warning', 'not listed'].includes(inWeekly(weekly).status), JSON.stringify(inWeekly(weekly)));
  assert.equal(device.lateSince, new Date(local(3, 2)).toISOString());
  assert.ok(alerts.some((alert) => alert.startsWith('backup_missed_schedule:')), JSON.stringify(alerts));
});

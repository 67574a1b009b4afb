import { rmSync } from 'node:fs';
/**
 * The weekly health summary e-mail through nodemailer to the real SMTP
 * stand-in: contents equal `GET /reports/weekly`, escaping, "send now", and the
 * schedule — exactly once per week across two instances on one database file and
 * across a restart. Also: no secret ever appears in a GET response.
 */
import assert from 'node:assert/strict';
import { ALERT_TYPE_LABELS } from '../../core/index.ts';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { WeeklyReportJson } from '../../core/api.ts';
import { createApp } from '../../bff/app.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { formatBytes } from '../../bff/services/mail/format.ts';
import { ok, postEvents, putDevice, seedFleet } from './fleet.ts';
import { HOUR } from './harness.ts';
import type { Services } from '../../bff/services/index.ts';
import { dispatch, enableOnCall, enablePsa, expectStatus, ONCALL_KEY, outboxRows, PSA_KEY, startKit, type Kit } from './integrations-kit.ts';

const RECIPIENT = 'ops@msp.example';
/** Monday 2026-11-30 08:00 in Berlin (07:00 UTC): a scheduled delivery slot. */
const BERLIN_SLOT = Date.UTC(2026, 10, 30, 7, 0);

let kit: Kit | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await kit?.close();
  kit = undefined;
});

async function start(options: Parameters<typeof startKit>[0] = {}) {
  kit = await startKit(options);
  return kit;
}

const setReports = (k: Kit, body: object = {}) =>
  expectStatus(k.t.request('PUT', 'settings/reports', { body: { weeklyEnabled: true, recipients: [RECIPIENT], timezone: 'UTC', ...body } }), 200);

const plain = (text: string | null) => (text ?? '').replace(/\r\n/g, '\n');

describe('branding', () => {
  test("the e-mail carries the MSP's branded name and accent colour instead of the tenant's", async () => {
    const k = await start();
    await seedFleet(k.t);
    await setReports(k);
    const saved = await expectStatus(k.t.request('PUT', 'settings/branding', { body: { mspName: 'Northwind IT Services', accentColor: '#0b4f6c' } }), 200);
    assert.deepEqual(saved, { mspName: 'Northwind IT Services', accentColor: '#0b4f6c' });
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await dispatch(k.t);
    const mail = k.inbox.received[0]!;
    assert.match(mail.subject, /^Backup health weekly summary — Northwind IT Services — /);
    assert.ok(mail.html!.includes('background:#0b4f6c'));
    assert.ok(!mail.html!.includes('Acme MSP'));
  });

  test('branding is validated: a name with control characters or a colour that is not #rrggbb is a 422 naming the field; null restores the tenant name', async () => {
    const k = await start();
    for (const [body, path] of [[{ mspName: 'A\nB' }, 'mspName'], [{ accentColor: 'red' }, 'accentColor'], [{ mspName: ' ' }, 'mspName']] as const) {
      const { status, json } = await k.t.request('PUT', 'settings/branding', { body });
      assert.equal(status, 422, JSON.stringify(body));
      assert.equal(json.errors[0].path, path);
    }
    await expectStatus(k.t.request('PUT', 'settings/branding', { body: { mspName: 'X' } }), 200);
    assert.deepEqual(await expectStatus(k.t.request('PUT', 'settings/branding', { body: { mspName: null } }), 200), { mspName: null, accentColor: '#2563eb' });
  });
});

describe('send now', () => {
  test('the e-mail arrives at the SMTP inbox with the figures of GET /reports/weekly', async () => {
    const k = await start();
    await seedFleet(k.t);
    await setReports(k);
    const queued = await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    assert.deepEqual(queued, { queued: true, recipients: [RECIPIENT] });
    const report: WeeklyReportJson = await ok(k.t.request('GET', 'reports/weekly'));
    await dispatch(k.t);

    assert.equal(k.inbox.received.length, 1);
    const mail = k.inbox.received[0]!;
    assert.deepEqual(mail.to, [RECIPIENT]);
    assert.match(mail.subject, /^Backup health weekly summary — Acme MSP — 17 Nov 2026 – 24 Nov 2026: 2 critical, 1 warning$/);
    const text = plain(mail.text);
    const { totals } = report;
    assert.ok(text.includes(`Devices protected: ${totals.devices}`), text);
    assert.ok(text.includes(`Healthy: ${totals.healthy}   Warning: ${totals.warning}   Critical: ${totals.critical}   Unknown: ${totals.unknown}`));
    assert.ok(text.includes(`Job success rate this week: ${report.jobSuccessRate} %`));
    assert.ok(text.includes(`New critical alerts (${report.newCriticalAlerts.length}):`));
    for (const alert of report.newCriticalAlerts) assert.ok(text.includes(`${alert.device.name} (${alert.client.name}): ${ALERT_TYPE_LABELS[alert.type]}`));
    const lowest = text.split('Lowest health scores:\n')[1]!.split('\n\n')[0]!.split('\n');
    assert.deepEqual(
      lowest.map((line) => line.trim().replace(/\s+/g, ' ')),
      report.lowestScores.map((entry) => `${entry.score} ${entry.status} ${entry.device.name} (${entry.client.name})`),
    );
    for (const day of report.storageTrend) assert.match(text, new RegExp(`${day.date}  #*\\s+${formatBytes(day.usedBytes).replace('.', '\\.')}`));

    const html = mail.html!;
    for (const entry of report.lowestScores) assert.ok(html.includes(`>${entry.device.name}</a>`));
    for (const day of report.storageTrend) assert.ok(html.includes(day.date));
    assert.ok(html.includes(`>${totals.devices}</p>`));
    assert.ok(html.includes(`${report.jobSuccessRate} %`));
  });

  test('alert types are words, every time names its timezone, and storage bars use the week\'s range', async () => {
    const k = await start();
    await seedFleet(k.t);
    await setReports(k, { timezone: 'Europe/Berlin' });
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await dispatch(k.t);
    const text = plain(k.inbox.received[0]!.text);
    assert.doesNotMatch(text, /backup_failed|backup_overdue|dr_test_failed|backup_missed_schedule/);
    assert.match(text, /Period: .* CET – .* CET \(times in Europe\/Berlin\)/);
    // Alert reasons state their times in UTC; the e-mail restates them in its own zone.
    assert.doesNotMatch(text, /UTC/);
    assert.doesNotMatch(k.inbox.received[0]!.html!, /\d{2}:\d{2} UTC/);
    assert.match(text, /per day in Europe\/Berlin/);
    const bars = [...text.matchAll(/^  \d{4}-\d{2}-\d{2}  (#*)\s/gm)].map((m) => m[1]!.length);
    assert.equal(bars.length, 7);
    // Scaled to the week's own range: the shortest and the longest bar differ visibly.
    assert.ok(Math.max(...bars) - Math.min(...bars) >= 10, `bars ${bars.join(',')}`);
    assert.match(text, /Bars span the week's range/);
  });

  test('values from the data are escaped in the HTML', async () => {
    const k = await start();
    await seedFleet(k.t);
    await setReports(k);
    await putDevice(k.t, 'ws-evil', { clientId: 'contoso', name: '<img src=x onerror=alert(1)> & "Co"', kind: 'workstation', policyId: 'daily' });
    const at = k.t.clock();
    await postEvents(k.t, [{ type: 'job', id: 'evil-1', deviceId: 'ws-evil', status: 'failed', startedAt: new Date(at - 600_000).toISOString(), endedAt: new Date(at).toISOString() }]);
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await dispatch(k.t);
    const html = k.inbox.received[0]!.html!;
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;'));
    assert.ok(!html.includes('<img src=x'));
  });

  test('sending with no recipients is 422', async () => {
    const k = await start();
    const problem = await expectStatus(k.t.request('POST', 'reports/weekly/send'), 422);
    assert.equal(problem.errors[0].path, 'recipients');
    assert.equal((await outboxRows(k.t)).length, 0);
  });

  test('only admins can send', async () => {
    const k = await start();
    await setReports(k);
    const reader = await expectStatus(k.t.request('POST', 'api-keys', { body: { name: 'reader', scopes: ['read'] } }), 201);
    assert.equal((await k.t.request('POST', 'reports/weekly/send', { token: reader.key })).status, 403);
  });

  test('each request sends one more e-mail', async () => {
    const k = await start();
    await setReports(k);
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await dispatch(k.t);
    assert.equal(k.inbox.received.length, 2);
  });
});

describe('delivery failures', () => {
  test('without SMTP_URL the e-mail fails with an error shown in the mail status', async () => {
    const k = await start({ config: { smtpUrl: null } });
    await setReports(k);
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    await dispatch(k.t);
    const mail = await expectStatus(k.t.request('GET', 'settings/integrations/mail'), 200);
    assert.equal(mail.smtpConfigured, false);
    assert.equal(mail.status.failed, 1);
    assert.match(mail.status.lastError.message, /SMTP_URL is not configured/);
  });

  test('a temporary SMTP refusal (451) is retried and then delivered', async () => {
    const k = await start();
    await setReports(k);
    k.inbox.failNext(1, { responseCode: 451, message: 'Try again later' });
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    assert.equal((await dispatch(k.t)).retried, 1);
    k.t.clock.set((await outboxRows(k.t, 'mail'))[0]!.next_attempt_at);
    assert.equal((await dispatch(k.t)).delivered, 1);
    assert.equal(k.inbox.received.length, 1);
  });

  test('a permanent SMTP refusal (550) fails at once', async () => {
    const k = await start();
    await setReports(k);
    k.inbox.failNext(1, { responseCode: 550, message: 'Mailbox unavailable' });
    await expectStatus(k.t.request('POST', 'reports/weekly/send'), 202);
    assert.equal((await dispatch(k.t)).failed, 1);
    const mail = await expectStatus(k.t.request('GET', 'settings/integrations/mail'), 200);
    assert.match(mail.status.lastError.message, /550/);
  });
});

describe('schedule', () => {
  const scheduleOf = (app: { services: Services }) => app.services.integrations.weeklyMail;

  test('sent once per week across two instances on one database file and across a restart', async () => {
    const path = join(tmpdir(), `bh-weekly-${randomUUID()}.db`);
    const url = `file:${path}`;
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    });
    const k = await start({ url, now: BERLIN_SLOT - 3 * HOUR });
    await setReports(k, { deliveryDay: 'monday', deliveryTime: '08:00', timezone: 'Europe/Berlin' });
    // Two instances racing in this process share one connection: a second local
    // connection would block the thread on the first one's open transaction.
    const sibling = createApp({ ...k.t.deps, instanceId: 'sibling-instance' });
    const race = () => Promise.all([scheduleOf(k.t).runSchedule(k.t.clock()), scheduleOf(sibling).runSchedule(k.t.clock())]).then((r) => r.flat());
    // Another instance with its own connection to the same file.
    const otherDb = openDatabase({ url });
    cleanups.push(() => otherDb.close());
    const other = createApp({ ...k.t.deps, db: otherDb, instanceId: 'other-instance' });

    k.t.clock.set(BERLIN_SLOT - 60_000);
    assert.deepEqual(await race(), [], 'not before 08:00 Berlin');
    k.t.clock.set(BERLIN_SLOT + 30_000);
    assert.deepEqual(await race(), [k.t.tenant.id]);
    k.t.clock.set(BERLIN_SLOT + 90_000);
    assert.deepEqual(await race(), []);
    assert.deepEqual(await scheduleOf(other).runSchedule(k.t.clock()), []);
    await Promise.all([dispatch(k.t), sibling.services.integrations.dispatchDue(k.t.clock())]);
    await other.services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 1);
    assert.match(k.inbox.received[0]!.subject, /23 Nov 2026 – 30 Nov 2026/);

    // A restart: a new app on a new connection to the same file.
    const restartedDb = openDatabase({ url });
    cleanups.push(() => restartedDb.close());
    const restarted = createApp({ ...k.t.deps, db: restartedDb, instanceId: 'restarted-instance' });
    k.t.clock.set(BERLIN_SLOT + 2 * HOUR);
    assert.deepEqual(await scheduleOf(restarted).runSchedule(k.t.clock()), []);
    await restarted.services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 1);

    k.t.clock.set(BERLIN_SLOT + 7 * 24 * HOUR + 60_000);
    assert.deepEqual(await scheduleOf(restarted).runSchedule(k.t.clock()), [k.t.tenant.id], 'the next week is sent again');
    await restarted.services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 2);
  });

  test('a slot that passed more than 24 h ago is not sent late; the next one is', async () => {
    const k = await start({ now: Date.UTC(2026, 10, 25, 9) });
    await setReports(k, { deliveryDay: 'monday', deliveryTime: '08:00' });
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), [], 'Monday 23 Nov 08:00 is two days ago');
    k.t.clock.set(Date.UTC(2026, 10, 30, 8, 1));
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), [k.t.tenant.id]);
  });

  test('nothing is sent while the weekly e-mail is disabled', async () => {
    const k = await start({ now: Date.UTC(2026, 10, 30, 8, 1) });
    await setReports(k, { deliveryDay: 'monday', deliveryTime: '08:00', weeklyEnabled: false });
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), []);
  });

  test('the scheduled e-mail covers the 7 days ending at the slot', async () => {
    const k = await start({ now: Date.UTC(2026, 10, 30, 8, 1) });
    await setReports(k, { deliveryDay: 'monday', deliveryTime: '08:00' });
    await scheduleOf(k.t).runSchedule(k.t.clock());
    const payload = JSON.parse((await outboxRows(k.t, 'mail'))[0]!.payload);
    assert.deepEqual([payload.periodStart, payload.periodEnd], [Date.UTC(2026, 10, 23, 8), Date.UTC(2026, 10, 30, 8)]);
  });
});

describe('secrets', () => {
  test('no integration key or SMTP password appears in any GET response', async () => {
    const k = await start();
    const smtpUrl = `smtp://mailer:smtp-secret-pass-123@127.0.0.1:${k.inbox.port}`;
    const { app, services } = createApp({ ...k.t.deps, config: { ...k.t.deps.config, smtpUrl }, instanceId: 'with-smtp-auth' });
    await seedFleet(k.t);
    await setReports(k);
    await enablePsa(k);
    await enableOnCall(k);
    const paths = [
      '/healthz',
      '/readyz',
      '/api/v1/openapi.json',
      '/api/v1/me',
      '/api/v1/settings/integrations/psa',
      '/api/v1/settings/integrations/oncall',
      '/api/v1/settings/integrations/mail',
      '/api/v1/settings/reports',
      '/api/v1/settings/sla',
      '/api/v1/devices',
      '/api/v1/devices/srv-failing',
      '/api/v1/clients',
      '/api/v1/alerts',
      '/api/v1/compliance',
      '/api/v1/reports/weekly',
    ];
    for (const path of paths) {
      const response = await app.request(path, { headers: { authorization: `Bearer ${k.t.adminKey}` } });
      assert.equal(response.status, 200, path);
      const body = await response.text();
      for (const secret of [PSA_KEY, ONCALL_KEY, 'smtp-secret-pass-123']) assert.ok(!body.includes(secret), `${path} reveals a secret`);
    }
    // The SMTP credentials work: the stand-in accepts AUTH.
    await app.request('/api/v1/reports/weekly/send', { method: 'POST', headers: { authorization: `Bearer ${k.t.adminKey}` } });
    await services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 1);
  });
});

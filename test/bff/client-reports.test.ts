/**
 * Monthly client reports (docs/reports.md): `GET/PUT /settings/client-reports`, and the send
 * through the outbox to the real SMTP stand-in — the client's previous month as the
 * period PDF with a short summary, on the configured day and hour in the client's
 * timezone; exactly once per client and month across two racing instances, another
 * connection and a restart; after downtime only the newest month, within a week.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { openDatabase } from '../../bff/db/client.ts';
import type { Services } from '../../bff/services/index.ts';
import { HOUR } from './harness.ts';
import { dispatch, expectStatus, outboxRows, startKit, type Kit } from './integrations-kit.ts';
import { seedBerlinOctober } from './period-fixture.ts';
import { pdfText } from './pdf-text.ts';

const DAY = 24 * HOUR;
/** Sunday 1 Nov 2026, 08:00 in Berlin (CET, 07:00 UTC): October's report is due. */
const NOVEMBER_SLOT = Date.UTC(2026, 10, 1, 7, 0);
const RECIPIENT = 'it@berlin.example';

let kit: Kit | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await kit?.close();
  kit = undefined;
});

const scheduleOf = (app: { services: Services }) => app.services.integrations.clientReports;

describe('settings', () => {
  test('client reports are off by default: day 1 at 08:00 in the client\'s timezone, nobody named', async () => {
    kit = await startKit();
    assert.deepEqual(await expectStatus(kit.t.request('GET', 'settings/client-reports'), 200), { enabled: false, day: 1, hour: 8, recipientsByClient: {} });
  });

  test('a PUT changes only the clients it names; null or [] stops a client\'s report; recipients are de-duplicated', async () => {
    kit = await startKit();
    const k = kit;
    await expectStatus(k.t.request('PUT', 'settings/client-reports', { body: { enabled: true, recipientsByClient: { acme: ['a@acme.example', 'A@acme.example'], contoso: ['c@contoso.example'] } } }), 200);
    await expectStatus(k.t.request('PUT', 'settings/client-reports', { body: { day: 3, hour: 7, recipientsByClient: { contoso: null } } }), 200);
    assert.deepEqual(await expectStatus(k.t.request('GET', 'settings/client-reports'), 200), { enabled: true, day: 3, hour: 7, recipientsByClient: { acme: ['A@acme.example'] } });
  });

  test('a day that not every month has, an hour out of range, or a recipient that is not an address is a 422 naming the field', async () => {
    kit = await startKit();
    const cases: [object, string][] = [
      [{ day: 31 }, 'day'],
      [{ hour: 24 }, 'hour'],
      [{ recipientsByClient: { acme: ['not an address'] } }, 'recipientsByClient.acme.0'],
    ];
    for (const [body, path] of cases) {
      const { status, json } = await kit.t.request('PUT', 'settings/client-reports', { body });
      assert.equal(status, 422, JSON.stringify(body));
      assert.equal(json.errors[0].path, path);
    }
  });
});

describe('the monthly send', () => {
  async function startWithBerlin(url?: string) {
    kit = await startKit({ now: Date.UTC(2026, 8, 27), ...(url ? { url } : {}) });
    const k = kit;
    await seedBerlinOctober(k.t);
    await expectStatus(k.t.request('PUT', 'settings/branding', { body: { mspName: 'Northwind IT Services' } }), 200);
    await expectStatus(k.t.request('PUT', 'settings/client-reports', { body: { enabled: true, day: 1, hour: 8, recipientsByClient: { berlin: [RECIPIENT] } } }), 200);
    return k;
  }

  test("October's PDF reaches the client on 1 November at 08:00 Berlin time, once across two instances, another connection and a restart", async () => {
    const path = join(tmpdir(), `bh-client-reports-${randomUUID()}.db`);
    const url = `file:${path}`;
    cleanups.push(() => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    });
    const k = await startWithBerlin(url);
    // Two instances racing in this process share one connection (see weekly-mail.test.ts).
    const sibling = createApp({ ...k.t.deps, instanceId: 'sibling-instance' });
    cleanups.push(() => sibling.services.renders.close());
    const race = () => Promise.all([scheduleOf(k.t).runSchedule(k.t.clock()), scheduleOf(sibling).runSchedule(k.t.clock())]).then((r) => r.flat());
    const otherDb = openDatabase({ url });
    cleanups.push(() => otherDb.close());
    const other = createApp({ ...k.t.deps, db: otherDb, instanceId: 'other-instance' });
    cleanups.push(() => other.services.renders.close());

    k.t.clock.set(NOVEMBER_SLOT - 60_000);
    assert.deepEqual(await race(), [], 'not before 08:00 in Berlin');
    k.t.clock.set(NOVEMBER_SLOT + 30_000);
    assert.deepEqual(await race(), [{ tenantId: k.t.tenant.id, clientId: 'berlin', monthKey: '2026-10' }]);
    assert.deepEqual(await race(), []);
    assert.deepEqual(await scheduleOf(other).runSchedule(k.t.clock()), []);
    await Promise.all([dispatch(k.t), sibling.services.integrations.dispatchDue(k.t.clock())]);
    await other.services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 1);

    const mail = k.inbox.received[0]!;
    assert.deepEqual(mail.to, [RECIPIENT]);
    assert.equal(mail.subject, 'Backup report October 2026 — Berlin GmbH — Northwind IT Services');
    const text = mail.text!.replace(/\r\n/g, '\n');
    assert.match(text, /Period: 1 Oct 2026, 00:00 CEST – 1 Nov 2026, 00:00 CET \(times in Europe\/Berlin\)/);
    assert.match(text, /Meeting the SLA: 97\.6 % of the time\./);
    assert.match(text, /Devices: 2, of which 1 had a breach\./);
    assert.match(text, /Breaches: 1 \(36 h in breach in total\)\./);
    assert.equal(mail.attachments.length, 1);
    assert.equal(mail.attachments[0]!.filename, 'sla-compliance-berlin-2026-10-01-to-2026-11-01.pdf');
    assert.equal(mail.attachments[0]!.contentType, 'application/pdf');
    const pdf = pdfText(mail.attachments[0]!.content);
    assert.match(pdf, /Meeting SLA: 97\.6 % of the time/);
    assert.match(pdf, /SRV Gap\s+24 Oct 2026, 16:00 CEST\s+26 Oct 2026, 03:00 CET\s+36 h/);

    // A restart: a new app on a new connection to the same file sends nothing again.
    const restartedDb = openDatabase({ url });
    cleanups.push(() => restartedDb.close());
    const restarted = createApp({ ...k.t.deps, db: restartedDb, instanceId: 'restarted-instance' });
    cleanups.push(() => restarted.services.renders.close());
    k.t.clock.set(NOVEMBER_SLOT + 2 * HOUR);
    assert.deepEqual(await scheduleOf(restarted).runSchedule(k.t.clock()), []);
    await restarted.services.integrations.dispatchDue(k.t.clock());
    assert.equal(k.inbox.received.length, 1);
    assert.deepEqual((await outboxRows(k.t, 'mail')).map((row) => [row.kind, row.dedup_key, row.status]), [['client-report', 'client-report:berlin:2026-10', 'delivered']]);
  });

  test("after downtime that missed December's send, the restart on 3 January sends only December's report", async () => {
    const k = await startWithBerlin();
    k.t.clock.set(NOVEMBER_SLOT + 30_000);
    assert.equal((await scheduleOf(k.t).runSchedule(k.t.clock())).length, 1);
    // Down from 2 November until 3 January: November's report (due 1 December) is skipped.
    k.t.clock.set(Date.UTC(2027, 0, 3, 12));
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), [{ tenantId: k.t.tenant.id, clientId: 'berlin', monthKey: '2026-12' }]);
    await dispatch(k.t);
    assert.deepEqual(k.inbox.received.map((mail) => mail.subject.split(' — ')[0]), ['Backup report October 2026', 'Backup report December 2026']);
  });

  test('a slot more than 7 days past is not sent late; reports turned off or without recipients send nothing', async () => {
    const k = await startWithBerlin();
    k.t.clock.set(NOVEMBER_SLOT + 7 * DAY + HOUR);
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), [], 'more than a week late');
    k.t.clock.set(NOVEMBER_SLOT + HOUR);
    await expectStatus(k.t.request('PUT', 'settings/client-reports', { body: { enabled: false } }), 200);
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), []);
    await expectStatus(k.t.request('PUT', 'settings/client-reports', { body: { enabled: true, recipientsByClient: { berlin: [] } } }), 200);
    assert.deepEqual(await scheduleOf(k.t).runSchedule(k.t.clock()), []);
  });
});

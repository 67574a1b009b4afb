/**
 * Two instances (issue #8 §3): two `bff/server.ts` processes over one libSQL
 * database file, each sweeping every second, dispatching the outbox every second
 * and running the weekly e-mail schedule at the same moment, while events for the
 * same devices arrive through both and both are told to evaluate the whole tenant
 * at once (POST /admin/evaluate takes no lease). Zero duplicate alerts, tickets,
 * pages or mails — and no call delivered twice (the stand-ins would have to replay
 * a repeated Idempotency-Key). Reminders every two seconds (docs/alert-workflow.md) while the
 * alerts stay open: each reminder's ticket note and page re-trigger arrives once.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Weekday } from '../../core/types.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { SettingsStore } from '../../bff/services/settings-store.ts';
import { startOnCallStandIn } from '../../demo/standins/oncall.ts';
import { startPsaStandIn } from '../../demo/standins/psa.ts';
import { call, startBff, tempDatabase, type Instance } from './support/bff-process.ts';
import { figures } from './support/figures.ts';
import { enrollServers, expectStatus, HOUR, jobEvent } from './support/process-fleet.ts';
import { startSmtpTrap } from './support/smtp-trap.ts';
import { eventually } from './support/wait.ts';

const report = figures('two-instances');
const PSA_KEY = 'two-instances-psa-key-0123456789';
const ONCALL_KEY = 'two-instances-oncall-key-0123456789';
const database = tempDatabase();
const processes: Instance[] = [];

after(async () => {
  await Promise.allSettled(processes.map((p) => p.kill9()));
  database.remove();
});

test('sweeps, outbox dispatch and the weekly e-mail on two instances over one database file: zero duplicate alerts, tickets, pages or mails', async () => {
  const [psa, oncall, smtp] = await Promise.all([startPsaStandIn({ key: PSA_KEY }), startOnCallStandIn({ key: ONCALL_KEY }), startSmtpTrap()]);
  const env = { SMTP_URL: smtp.url, BHM_SWEEP_INTERVAL_S: '1' };
  const db = openDatabase({ url: database.url });
  try {
    // Set up through one instance, then restart it next to a second one: both run their first
    // sweep, dispatch and weekly-schedule turn one second after start, at the same time.
    const first = await startBff(database, env, 'setup');
    processes.push(first);
    const failing = await enrollServers(first, 'failing', 6);
    const stale = await enrollServers(first, 'stale', 6);
    const sweepDriven = await enrollServers(first, 'sweep', 6);
    await expectStatus(call(first, 'PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: psa.url, integrationKey: PSA_KEY } }), 200);
    await expectStatus(
      call(first, 'PUT', 'settings/integrations/oncall', {
        body: { enabled: true, baseUrl: oncall.url, integrationKey: ONCALL_KEY, escalationPolicy: 'backup-oncall', businessHours: { days: [] } },
      }),
      200,
    );
    // Reminders every 2 s: each alert reminds several times while both instances sweep.
    await expectStatus(call(first, 'PUT', 'settings/alerts', { body: { reminderHours: 2 / 3600 } }), 200);
    assert.equal(await first.stop(), 0);
    // The weekly slot passed two minutes ago. Written while no instance runs: through the API, the
    // setup instance's own schedule could send it first, and the two would never race for it.
    const slot = new Date(Date.now() - 2 * 60_000);
    await new SettingsStore(db, Date.now).update(
      'default',
      'reports',
      {
        weeklyEnabled: true,
        recipients: ['noc@msp.example'],
        deliveryDay: slot.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase() as Weekday,
        deliveryTime: slot.toISOString().slice(11, 16),
        timezone: 'UTC',
      },
      Date.now(),
    );
    const [a, b] = await Promise.all([startBff(database, env, 'instance-a'), startBff(database, env, 'instance-b')]);
    processes.push(a, b);
    const instances = [a, b];

    // Events for every device arrive through both instances; the sweep-driven servers turn
    // overdue (12 h without success) three seconds later, which only a sweep notices.
    const now = Date.now();
    const batches = [
      ...failing.map((id) => [jobEvent(`${id}-ok`, id, 'success', now - 3 * HOUR), ...[2, 1, 0.5].map((h, i) => jobEvent(`${id}-f${i}`, id, 'failed', now - h * HOUR))]),
      ...stale.map((id) => [jobEvent(`${id}-ok`, id, 'success', now - 30 * HOUR)]),
      ...sweepDriven.map((id) => [jobEvent(`${id}-ok`, id, 'success', now - 12 * HOUR + 3_000)]),
    ];
    const evaluateOnBoth = async (rounds: number) => {
      for (let round = 0; round < rounds; round++) {
        await Promise.all(instances.map((instance) => expectStatus(call(instance, 'POST', 'admin/evaluate'), 200)));
        report.add('concurrentTenantEvaluations', 2);
      }
    };
    await Promise.all([
      ...batches.map((events, i) => expectStatus(call(instances[i % 2]!, 'POST', 'events', { body: { events } }), 202)),
      evaluateOnBoth(6),
    ]);

    const expectedTickets = failing.length + stale.length;
    await eventually(async () => {
      const overdue = await db.get<{ n: number }>("SELECT count(*) AS n FROM alerts WHERE type = 'backup_overdue'");
      const paged = new Set(oncall.pages.map((page) => page.dedupKey)).size === stale.length;
      const reminded = psa.tickets.some((ticket) => ticket.notes.some((note) => note.text?.startsWith('Reminder 2:'))) && oncall.pages.some((page) => page.summary.startsWith('Reminder 2:'));
      return overdue!.n === stale.length + sweepDriven.length && psa.tickets.length === expectedTickets && paged && reminded && smtp.received.length === 1;
    }, 'the sweep-driven alerts, every ticket, page, reminders and the weekly mail');
    await evaluateOnBoth(4);

    // Recovery, each batch sent to both instances at once (a sender retrying on the other one).
    const recovery = [...failing, ...stale, ...sweepDriven].map((id) => [jobEvent(`${id}-recovered`, id, 'success', Date.now() - 60_000)]);
    await Promise.all(recovery.flatMap((events) => instances.map((instance) => expectStatus(call(instance, 'POST', 'events', { body: { events } }), 202))));
    await Promise.all([
      evaluateOnBoth(4),
      eventually(async () => {
        const pending = await db.get<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE status <> 'delivered'");
        return pending!.n === 0 && psa.tickets.every((t) => t.status === 'resolved') && oncall.incidents.every((i) => i.status === 'resolved');
      }, 'every resolution delivered', 30_000),
    ]);
    // Let a few more sweep, dispatch and schedule turns run on both.
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const duplicateAlerts = await db.all('SELECT device_id, type, count(*) AS n FROM alerts GROUP BY device_id, type HAVING n > 1');
    const duplicateHistory = await db.all('SELECT alert_id, action, count(*) AS n FROM alert_events GROUP BY alert_id, action HAVING n > 1');
    const duplicateChanges = await db.all(
      "SELECT event, payload->>'id' AS alert, count(*) AS n FROM changes WHERE event IN ('alert.opened', 'alert.resolved') GROUP BY event, alert HAVING n > 1",
    );
    const alerts = (await db.get<{ n: number }>('SELECT count(*) AS n FROM alerts'))!.n;
    assert.deepEqual(duplicateAlerts, [], 'one alert per device and type');
    assert.deepEqual(duplicateHistory, [], 'each transition recorded once');
    assert.deepEqual(duplicateChanges, [], 'each alert announced once on the stream');

    const refs = psa.tickets.map((t) => t.externalRef);
    assert.equal(psa.tickets.length, expectedTickets);
    assert.equal(new Set(refs).size, refs.length, 'one ticket per alert');
    const isReminder = (text: string | null) => /^Reminder \d+:/.test(text ?? '');
    const triggers = oncall.pages.filter((p) => p.action === 'trigger' && !isReminder(p.summary)).map((p) => p.dedupKey);
    const resolves = oncall.pages.filter((p) => p.action === 'resolve').map((p) => p.dedupKey);
    assert.equal(new Set(triggers).size, stale.length);
    assert.equal(triggers.length, stale.length, 'one page per breach');
    // Each reminder once: per ticket and per page, no reminder number twice.
    const twice = (texts: string[]) => texts.filter((text, i) => texts.indexOf(text) !== i);
    let reminders = 0;
    for (const ticket of psa.tickets) {
      const numbers = ticket.notes.filter((note) => isReminder(note.text)).map((note) => note.text!.slice(0, note.text!.indexOf(':')));
      reminders += numbers.length;
      assert.deepEqual(twice(numbers), [], `ticket ${ticket.id}: each reminder noted once`);
    }
    for (const key of new Set(triggers)) {
      const numbers = oncall.pages.filter((p) => p.dedupKey === key && isReminder(p.summary)).map((p) => p.summary.slice(0, p.summary.indexOf(':')));
      reminders += numbers.length;
      assert.deepEqual(twice(numbers), [], `page ${key}: each reminder re-triggered once`);
    }
    report.set('reminders', reminders);
    assert.deepEqual([...resolves].sort(), [...triggers].sort(), 'each page resolved once');
    const replays = [...psa.received, ...oncall.received].filter((r) => r.replayed);
    assert.equal(replays.length, 0, 'no outbox item was delivered twice');
    assert.equal(smtp.received.length, 1, 'one weekly e-mail');
    assert.equal(await db.get<{ n: number }>('SELECT count(*) AS n FROM weekly_reports').then((r) => r!.n), 1);

    const exits = await Promise.all(instances.map((instance) => instance.stop()));
    assert.deepEqual(exits, [0, 0], 'both shut down cleanly');
    for (const instance of instances) {
      const failures = instance.logs().filter((line) => line.level === 'error');
      assert.deepEqual(failures, [], `${instance.name} logged no errors`);
    }
    report.set('alerts', alerts);
    report.set('tickets', psa.tickets.length);
    report.set('pages', oncall.pages.length);
    report.set('mails', smtp.received.length);
    report.set('duplicates', duplicateAlerts.length + duplicateHistory.length + duplicateChanges.length + (refs.length - new Set(refs).size) + replays.length + (smtp.received.length - 1));
  } finally {
    await db.close();
    await Promise.all([psa.close(), oncall.close(), smtp.close()]);
  }
});

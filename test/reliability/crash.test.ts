/**
 * Crash safety (issue #8 §2): `bff/server.ts` processes on a temporary database
 * file, killed with SIGKILL in the middle of a stream of ingest batches, in the
 * middle of an outbox delivery to the PSA, and in the middle of sending the weekly
 * e-mail — then restarted on the same file.
 *
 * A claim on an outbox item lasts 30 s (CLAIM_MS); a killed instance's claims are
 * expired by hand here (the row's `claimed_until` set to 0: what 30 s of waiting
 * does). `RELIABILITY_REAL_TIME=1` (npm run test:soak) waits the 30 s instead, and
 * `RELIABILITY_CRASHES` sets how often the ingest stream is killed (default 2).
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Database } from '../../bff/db/client.ts';
import { startPsaStandIn } from '../../demo/standins/psa.ts';
import { BOOTSTRAP_KEY, call, startBff, tempDatabase, type Instance, type TempDatabase } from './support/bff-process.ts';
import { startCrashGate } from './support/crash-gate.ts';
import { figures } from './support/figures.ts';
import { enrollServers, expectStatus, HOUR, jobEvent, storageEvent } from './support/process-fleet.ts';
import { startSmtpTrap } from './support/smtp-trap.ts';
import { countIn, eventually, withDatabase } from './support/wait.ts';

const report = figures('crash');
const REAL_TIME = process.env.RELIABILITY_REAL_TIME === '1';
const processes: Instance[] = [];
const databases: TempDatabase[] = [];

after(async () => {
  await Promise.allSettled(processes.map((p) => p.kill9()));
  for (const database of databases) database.remove();
});

async function start(database: TempDatabase, env: Record<string, string> = {}) {
  const instance = await startBff(database, env);
  processes.push(instance);
  return instance;
}

async function kill9(instance: Instance) {
  if (!instance.alive) return;
  await instance.kill9();
  report.add('crashes');
}

/** What a killed instance left claimed in the outbox expires (see the file comment). */
async function expireClaims(database: TempDatabase): Promise<number> {
  if (REAL_TIME) {
    const until = await withDatabase(database, (db) => db.get<{ until: number | null }>("SELECT MAX(claimed_until) AS until FROM outbox WHERE status = 'sending'"));
    const wait = (until?.until ?? 0) - Date.now() + 50;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return 0;
  }
  return withDatabase(database, async (db) => (await db.run("UPDATE outbox SET claimed_until = 0 WHERE status = 'sending'")).changes);
}

/** A seeded pseudo-random source (mulberry32), so the kill points repeat from run to run. */
function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('kill -9 in the middle of a stream of ingest batches', () => {
  interface Batch {
    events: object[];
    jobIds: string[];
    storageKeys: [string, number][];
    /** 202, or 'no answer' when the instance died first. */
    outcome: number | 'no answer' | null;
  }

  test('every batch acknowledged with 202 is stored; an unacknowledged one is stored whole or not at all, and its replay is idempotent', async () => {
    const database = tempDatabase();
    databases.push(database);
    let bff = await start(database);
    const devices = await enrollServers(bff, 'crash-dev', 16);
    const random = seeded(8);
    const BATCH = 400;
    const CONCURRENCY = 3;
    const CRASHES = Number(process.env.RELIABILITY_CRASHES ?? 2);
    const base = Date.now() - 6 * HOUR;
    let sequence = 0;
    const batches: Batch[] = [];

    const makeBatch = (): Batch => {
      const batch: Batch = { events: [], jobIds: [], storageKeys: [], outcome: null };
      for (let i = 0; i < BATCH; i++) {
        const n = ++sequence;
        const deviceId = devices[n % devices.length]!;
        const at = base + n * 100;
        if (i % 10 === 9) {
          batch.events.push(storageEvent(deviceId, at, n * 1000));
          batch.storageKeys.push([deviceId, at]);
        } else {
          const id = `crash-job-${n}`;
          batch.events.push(jobEvent(id, deviceId, n % 7 === 0 ? 'failed' : 'success', at));
          batch.jobIds.push(id);
        }
      }
      return batch;
    };

    const storedCount = (db: Database, batch: Batch) =>
      db
        .get<{ n: number }>(
          `SELECT (SELECT count(*) FROM jobs WHERE tenant_id = 'default' AND id IN (SELECT value FROM json_each(?))) +
            (SELECT count(*) FROM json_each(?) j JOIN storage_reports s ON s.tenant_id = 'default' AND s.device_id = j.value->>0 AND s.at = j.value->>1) AS n`,
          [JSON.stringify(batch.jobIds), JSON.stringify(batch.storageKeys)],
        )
        .then((row) => row!.n);

    const post = (instance: Instance, batch: Batch) =>
      fetch(`${instance.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ events: batch.events }),
      });

    for (let crash = 0; crash < CRASHES; crash++) {
      const killAfter = 3 + Math.floor(random() * 8);
      let acknowledged = 0;
      let killing: Promise<void> | null = null;
      const sent: Batch[] = [];
      const worker = async () => {
        while (!killing) {
          const batch = makeBatch();
          sent.push(batch);
          try {
            const response = await post(bff, batch);
            // The answer is written after the transaction committed: a 202 status line means stored.
            batch.outcome = response.status;
            assert.equal(response.status, 202, await response.text());
            await response.arrayBuffer().catch(() => undefined);
            if (++acknowledged >= killAfter) killing ??= kill9(bff);
          } catch (error) {
            if (!killing) throw error;
            batch.outcome ??= 'no answer';
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await killing;
      batches.push(...sent);

      // The file after the crash: intact, every acknowledged batch whole, the others whole or absent.
      const unanswered = await withDatabase(database, async (db) => {
        assert.equal((await db.get<{ integrity_check: string }>('PRAGMA integrity_check'))!.integrity_check, 'ok');
        const pending: { batch: Batch; stored: number }[] = [];
        for (const batch of sent) {
          const stored = await storedCount(db, batch);
          if (batch.outcome === 202) assert.equal(stored, BATCH, 'an acknowledged batch is stored whole');
          else {
            assert.ok(stored === 0 || stored === BATCH, `an unacknowledged batch is all or nothing, found ${stored} of ${BATCH}`);
            pending.push({ batch, stored });
          }
        }
        return pending;
      });
      report.add('batchesAcknowledged', sent.filter((b) => b.outcome === 202).length);
      report.add('batchesInFlightAtKill', unanswered.length);
      report.add('inFlightButCommitted', unanswered.filter((u) => u.stored === BATCH).length);

      // Restart on the same file; the sender replays what was not acknowledged.
      bff = await start(database);
      for (const { batch, stored } of unanswered) {
        const response = await post(bff, batch);
        assert.equal(response.status, 202);
        const { accepted, duplicates } = (await response.json()) as { accepted: number; duplicates: number };
        assert.deepEqual({ accepted, duplicates }, stored === BATCH ? { accepted: 0, duplicates: BATCH } : { accepted: BATCH, duplicates: 0 });
        batch.outcome = 202;
      }
    }

    await withDatabase(database, async (db) => {
      const expectedJobs = batches.reduce((n, b) => n + b.jobIds.length, 0);
      const jobs = (await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE tenant_id = 'default'"))!.n;
      assert.equal(jobs, expectedJobs, 'every job once, none lost, none doubled');
      const expectedStorage = batches.reduce((n, b) => n + b.storageKeys.length, 0);
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM storage_reports WHERE tenant_id = 'default'"))!.n, expectedStorage);
    });
    const devicesPage = await expectStatus(call(bff, 'GET', 'devices?limit=50'), 200);
    assert.equal(devicesPage.items.length, devices.length);
    // Marks the killed instances left are drained by the restarted one.
    await eventually(async () => (await countIn(database, 'SELECT count(*) AS n FROM evaluation_queue')) === 0 || null, 'the evaluation queue to drain');
    report.add('eventsIngested', batches.length * BATCH);
    await bff.stop();
  });
});

describe('kill -9 between the 202 and the evaluation', () => {
  test('the stored events of an acknowledged batch are evaluated after the restart: every alert opens, once', async () => {
    const database = tempDatabase();
    databases.push(database);
    // An ingest-only instance: it stores and marks, and never gets to evaluate.
    let bff = await start(database, { BHM_DRAIN_EVALUATIONS: 'off' });
    const devices = await enrollServers(bff, 'queued', 6);
    const now = Date.now();
    const events = devices.map((deviceId, i) => jobEvent(`queued-${i}`, deviceId, i % 2 === 0 ? 'failed' : 'success', now - HOUR));
    const answer = await expectStatus(call(bff, 'POST', 'events', { body: { events } }), 202);
    assert.equal(answer.evaluation, 'queued');
    assert.equal(await countIn(database, 'SELECT count(*) AS n FROM evaluation_queue'), devices.length);
    await kill9(bff);

    bff = await start(database);
    await eventually(async () => (await countIn(database, 'SELECT count(*) AS n FROM evaluation_queue')) === 0 || null, 'the evaluation queue to drain');
    const alerts = await expectStatus(call(bff, 'GET', 'alerts?state=active&limit=100'), 200);
    assert.deepEqual(
      alerts.items.map((a: { device: { id: string }; type: string }) => `${a.device.id} ${a.type}`).sort(),
      devices.filter((_, i) => i % 2 === 0).map((id) => `${id} backup_failed`).sort(),
    );
    const listed = await expectStatus(call(bff, 'GET', 'devices?limit=50'), 200);
    assert.ok(listed.items.every((d: { lastJobStatus: string | null }) => d.lastJobStatus !== null), 'every device shows the job it reported');
    report.add('queuedEvaluationsAfterKill', devices.length);
    await bff.stop();
  });
});

describe('kill -9 during outbox delivery to the PSA', () => {
  test('a ticket whose answer was lost in the crash is neither lost nor duplicated (Idempotency-Key), nor is its resolution', async () => {
    const database = tempDatabase();
    databases.push(database);
    const psaKey = 'crash-psa-integration-key-0123456789';
    const psa = await startPsaStandIn({ key: psaKey });
    const gate = await startCrashGate(psa.url);
    try {
      let bff = await start(database);
      const devices = await enrollServers(bff, 'ticket-dev', 5);
      await expectStatus(call(bff, 'PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: gate.url, integrationKey: psaKey } }), 200);

      // The PSA creates the first ticket; the BFF dies before it hears the ticket id.
      const doomed = bff;
      gate.holdNextAnswer((method, path) => method === 'POST' && path.startsWith('/tickets'), () => kill9(doomed));
      const now = Date.now();
      const failures = devices.flatMap((id) => [
        jobEvent(`${id}-ok`, id, 'success', now - 3 * HOUR),
        ...[2, 1, 0.5].map((hoursAgo, i) => jobEvent(`${id}-fail-${i}`, id, 'failed', now - hoursAgo * HOUR)),
      ]);
      await expectStatus(call(bff, 'POST', 'events', { body: { events: failures } }), 202);
      await eventually(() => gate.held === 1 && !doomed.alive, 'the crash during the first ticket');
      assert.equal(psa.tickets.length, 1, 'the PSA did the work before the crash');
      assert.ok((await expireClaims(database)) >= 1 || REAL_TIME);

      bff = await start(database);
      await eventually(async () => psa.tickets.length === devices.length && (await outboxPending(database)) === 0, 'every ticket after the restart');

      // The same again for the resolutions.
      const doomedAgain = bff;
      gate.holdNextAnswer((method, path) => method === 'PATCH' && path.startsWith('/tickets/'), () => kill9(doomedAgain));
      await expectStatus(call(bff, 'POST', 'events', { body: { events: devices.map((id) => jobEvent(`${id}-recovered`, id, 'success', Date.now() - 60_000)) } }), 202);
      await eventually(() => gate.held === 2 && !doomedAgain.alive, 'the crash during the first resolution');
      await expireClaims(database);
      bff = await start(database);
      await eventually(async () => psa.tickets.every((t) => t.status === 'resolved') && (await outboxPending(database)) === 0, 'every resolution after the restart');

      const refs = psa.tickets.map((t) => t.externalRef);
      assert.equal(psa.tickets.length, devices.length, 'one ticket per alert');
      assert.equal(new Set(refs).size, refs.length, 'no alert ticketed twice');
      const replays = psa.received.filter((r) => r.replayed);
      assert.deepEqual(replays.map((r) => r.method).sort(), ['PATCH', 'POST'], 'each retried call was recognised by its Idempotency-Key');
      const stored = await withDatabase(database, (db) => db.all<{ alert_id: string; external_id: string }>('SELECT alert_id, external_id FROM tickets ORDER BY alert_id'));
      assert.deepEqual(
        stored.map((r) => [r.alert_id, r.external_id]),
        psa.tickets.map((t) => [t.externalRef, t.id]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        'the BFF knows the id of every ticket',
      );
      report.add('ticketsDelivered', psa.tickets.length);
      report.add('idempotentReplays', replays.length);
      report.add('duplicates', refs.length - new Set(refs).size);
      await bff.stop();
    } finally {
      await gate.close();
      await psa.close();
    }
  });
});

const outboxPending = (database: TempDatabase) => countIn(database, "SELECT count(*) AS n FROM outbox WHERE status <> 'delivered'");

describe('the weekly e-mail across kill -9 and restarts', () => {
  test('it is sent for the week once; a crash between the SMTP acceptance and the record re-sends the same message (same Message-ID), never another', async () => {
    const database = tempDatabase();
    databases.push(database);
    const smtp = await startSmtpTrap();
    const env = { SMTP_URL: smtp.url };
    try {
      // Whichever instance sends the mail first dies before it hears the SMTP server's "250 OK".
      const started: Instance[] = [];
      smtp.holdNextReply(() => Promise.all(started.filter((p) => p.alive).map(kill9)).then(() => undefined));
      let bff = await start(database, env);
      started.push(bff);
      // The delivery slot passed two minutes ago (UTC), so the schedule sends at its next turn.
      const slot = new Date(Date.now() - 2 * 60_000);
      const deliveryDay = slot.toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' }).toLowerCase();
      const deliveryTime = slot.toISOString().slice(11, 16);
      await expectStatus(
        call(bff, 'PUT', 'settings/reports', { body: { weeklyEnabled: true, recipients: ['noc@msp.example'], deliveryDay, deliveryTime, timezone: 'UTC' } }),
        200,
      );
      // The schedule's first turn is a second after start: a restart makes the next instance send at once.
      await kill9(bff);
      if (smtp.received.length === 0) started.push((bff = await start(database, env)));
      await smtp.waitForCount(1);
      await eventually(() => started.every((p) => !p.alive), 'the crash while sending');
      await expireClaims(database);

      bff = await start(database, env);
      await smtp.waitForCount(2);
      await eventually(async () => (await outboxPending(database)) === 0, 'the mail recorded as sent');

      // One more hard restart: the week is taken, nothing more goes out.
      await kill9(bff);
      bff = await start(database, env);
      // The schedule runs one second after start and the outbox every second after that.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await bff.stop();

      const ids = new Set(smtp.received.map((m) => m.messageId));
      assert.equal(ids.size, 1, `one weekly e-mail (Message-ID), got ${[...ids].join(', ')}`);
      assert.equal(smtp.received.length, 2, 'sent once, and once more only because the crash hid the first acceptance');
      const weeks = await withDatabase(database, (db) => db.all("SELECT week_key FROM weekly_reports WHERE tenant_id = 'default'"));
      assert.equal(weeks.length, 1);
      report.add('weeklyMailsDistinct', ids.size);
      report.add('weeklyMailResentInCrashWindow', smtp.received.length - ids.size);
    } finally {
      await smtp.close();
    }
  });
});

/**
 * Operational safety (issue #8 §7): a graceful stop (SIGTERM) finishes the work in
 * flight — a large ingest request still answers 202 and is stored, an outbox
 * delivery in progress is completed and recorded — and new connections are refused
 * meanwhile; /healthz is liveness, /readyz reports database reachability and the
 * sweep and outbox lag; the structured logs of every process carry no secret.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { DEFAULT_CONFIG } from '../../bff/context.ts';
import { openDatabase } from '../../bff/db/client.ts';
import { log } from '../../bff/log.ts';
import { enqueue } from '../../bff/services/outbox/outbox.ts';
import { startPsaStandIn } from '../../demo/standins/psa.ts';
import { HOUR, T0, testApp } from '../bff/harness.ts';
import { BOOTSTRAP_KEY, call, leakedSecrets, startBff, tempDatabase, type Instance, type TempDatabase } from './support/bff-process.ts';
import { startCrashGate } from './support/crash-gate.ts';
import { figures } from './support/figures.ts';
import { enrollServers, expectStatus, jobEvent } from './support/process-fleet.ts';
import { startSmtpTrap } from './support/smtp-trap.ts';
import { countIn, eventually } from './support/wait.ts';

const report = figures('operations');
const processes: Instance[] = [];
const databases: TempDatabase[] = [];
/** Every secret any process of this file was given or handed out, by label. */
const secrets: Record<string, string> = { 'admin key (BHM_BOOTSTRAP_KEY)': BOOTSTRAP_KEY };

after(async () => {
  await Promise.allSettled(processes.map((p) => p.kill9()));
  for (const database of databases) database.remove();
});

async function start(env: Record<string, string> = {}, database = tempDatabase()) {
  if (!databases.includes(database)) databases.push(database);
  const instance = await startBff(database, env);
  processes.push(instance);
  return { instance, database };
}

describe('health endpoints', () => {
  test('/healthz is liveness; /readyz reports the database and the sweep and outbox lag, read from the database', async () => {
    const t = await testApp();
    try {
      t.clock.set(T0 - 2 * 24 * HOUR);
      for (const [method, path, body] of [
        ['PUT', 'clients/c', { name: 'C' }],
        ['PUT', 'policies/hourly', { name: 'Hourly', intervalHours: 1 }],
        ['PUT', 'devices/d', { clientId: 'c', name: 'D', kind: 'server', policyId: 'hourly' }],
      ] as const) {
        assert.ok((await t.request(method, path, { body })).status < 300);
      }
      t.clock.set(T0);
      let ready = await t.request('GET', '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.json.database, 'ok');
      // The device was enrolled two days ago and never evaluated since: its check is overdue.
      const due = (await t.db.get<{ at: number }>('SELECT next_check_at AS at FROM devices'))!.at;
      assert.ok(due < T0);
      assert.deepEqual(ready.json.lag.sweep, { dueDevices: 1, lagMs: T0 - due });
      assert.deepEqual(ready.json.lag.outbox, { due: 0, lagMs: 0, oldestUndeliveredAgeMs: 0 });

      // An outbox item waiting four minutes; the sweep catches up.
      await t.db.transaction((tx) => enqueue(tx, { tenantId: t.tenant.id, channel: 'psa', kind: 'create', dedupKey: 'lag-probe', payload: {}, now: T0 }));
      assert.equal((await t.request('POST', 'admin/evaluate')).status, 200);
      t.clock.advance(4 * 60_000);
      ready = await t.request('GET', '/readyz');
      assert.deepEqual(ready.json.lag.sweep, { dueDevices: 0, lagMs: 0 });
      assert.deepEqual(ready.json.lag.outbox, { due: 1, lagMs: 4 * 60_000, oldestUndeliveredAgeMs: 4 * 60_000 });
      assert.ok('sweep' in ready.json && 'outbox' in ready.json, 'the areas keep their own readiness details');
    } finally {
      await t.close();
    }
  });

  test('/readyz is 503 when the database cannot be reached, while /healthz stays 200', async () => {
    // A libSQL server URL where nothing listens.
    const db = openDatabase({ url: 'http://127.0.0.1:9' });
    const { app } = createApp({ db, clock: () => T0, config: { ...DEFAULT_CONFIG, integrationNetworks: 'any' }, instanceId: 'unreachable' });
    try {
      const ready = await app.request('/readyz');
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { database: string }).database, 'unreachable');
      assert.equal((await app.request('/healthz')).status, 200);
    } finally {
      await db.close();
    }
  });
});

describe('graceful shutdown', () => {
  test('SIGTERM in the middle of a 5,000-event ingest: the request completes with 202, the data is stored, new connections are refused, exit 0', async () => {
    const { instance, database } = await start();
    const [device] = await enrollServers(instance, 'drain', 1);
    const now = Date.now();
    const body = Buffer.from(JSON.stringify({ events: Array.from({ length: 5_000 }, (_, i) => jobEvent(`drain-${i}`, device!, 'success', now - HOUR + i * 100)) }));
    const url = new URL(instance.url);
    const half = Math.floor(body.length / 2);

    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/api/v1/events', method: 'POST', agent: false, headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json', 'content-length': body.length } },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode!, text }));
        },
      );
      req.on('error', reject);
      req.write(body.subarray(0, half));
      // The server reads the first half; the signal comes while the rest is still on its way.
      setTimeout(async () => {
        instance.process.kill('SIGTERM');
        await eventually(() => instance.logs().some((line) => line.message === 'shutting down'), 'the shutdown to begin');
        const refused = await fetch(`${instance.url}/healthz`).then(
          () => false,
          () => true,
        );
        assert.ok(refused, 'a new connection is refused while draining');
        req.end(body.subarray(half));
      }, 300);
    });
    const reply = await answer;
    assert.equal(reply.status, 202, reply.text);
    assert.deepEqual(JSON.parse(reply.text), { accepted: 5_000, duplicates: 0, evaluation: 'queued' });
    assert.equal(await instance.stop(), 0, 'exit code 0');
    assert.equal(await countIn(database, "SELECT count(*) AS n FROM jobs WHERE id LIKE 'drain-%'"), 5_000);
    // Acknowledged is never lost: either the device was evaluated before the exit or its mark waits for the next start.
    const evaluatedOrQueued = await countIn(
      database,
      `SELECT (SELECT count(*) FROM devices WHERE id = '${device}' AND last_success_at IS NOT NULL) + (SELECT count(*) FROM evaluation_queue WHERE device_id = '${device}') AS n`,
    );
    assert.equal(evaluatedOrQueued, 1);
    report.add('gracefulStops');
    report.add('eventsDrained', 5_000);
  });

  test('SIGTERM while the outbox is waiting for the PSA: the delivery completes and is recorded, nothing is sent again after a restart', async () => {
    const psaKey = 'drain-psa-integration-key-0123456789';
    secrets['PSA integration key (drain)'] = psaKey;
    const psa = await startPsaStandIn({ key: psaKey });
    const gate = await startCrashGate(psa.url);
    try {
      const { instance, database } = await start();
      const devices = await enrollServers(instance, 'drain-ticket', 1);
      await expectStatus(call(instance, 'PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: gate.url, integrationKey: psaKey } }), 200);
      let signalled = false;
      gate.holdNextAnswer(
        (method) => method === 'POST',
        async () => {
          instance.process.kill('SIGTERM');
          signalled = true;
          await eventually(() => instance.logs().some((line) => line.message === 'shutting down'), 'the shutdown to begin');
        },
        { thenAnswer: true },
      );
      const now = Date.now();
      await expectStatus(
        call(instance, 'POST', 'events', { body: { events: [jobEvent('t-ok', devices[0]!, 'success', now - 3 * HOUR), ...[2, 1, 0.5].map((h, i) => jobEvent(`t-f${i}`, devices[0]!, 'failed', now - h * HOUR))] } }),
        202,
      );
      await eventually(() => signalled, 'the delivery to start');
      assert.equal(await instance.stop(), 0);
      assert.equal(await countIn(database, "SELECT count(*) AS n FROM outbox WHERE status = 'delivered'"), 1, 'the delivery in flight was recorded before exit');
      assert.equal(await countIn(database, 'SELECT count(*) AS n FROM tickets WHERE external_id IS NOT NULL'), 1);

      const { instance: restarted } = await start({}, database);
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // two dispatcher turns
      assert.equal(psa.received.length, 1, 'nothing sent again');
      assert.equal(psa.tickets.length, 1);
      await restarted.stop();
      report.add('gracefulStops');
    } finally {
      await gate.close();
      await psa.close();
    }
  });
});

describe('structured logs', () => {
  test('no process log carries the admin, platform, integration or SMTP secrets, nor an API key or embed token, even when deliveries fail and tokens are refused', async () => {
    const smtp = await startSmtpTrap();
    const platformKey = 'platform-key-that-must-not-be-logged-0123';
    const smtpPassword = 'smtp-password-that-must-not-be-logged';
    const psaKey = 'psa-key-that-must-not-be-logged-0123';
    const oncallKey = 'oncall-key-that-must-not-be-logged-0123';
    Object.assign(secrets, { 'platform key': platformKey, 'SMTP password': smtpPassword, 'PSA integration key': psaKey, 'On-Call integration key': oncallKey });
    const psa = await startPsaStandIn({ key: 'a-different-key-so-every-call-is-401' });
    try {
      const { instance } = await start({
        BHM_PLATFORM_KEY: platformKey,
        SMTP_URL: smtp.url.replace('smtp://', `smtp://relay-user:${smtpPassword}@`),
        BHM_LOG_LEVEL: 'debug',
      });
      const devices = await enrollServers(instance, 'logs', 2);
      await expectStatus(call(instance, 'PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: psa.url, integrationKey: psaKey } }), 200);
      await expectStatus(
        call(instance, 'PUT', 'settings/integrations/oncall', {
          body: { enabled: true, baseUrl: 'http://127.0.0.1:9', integrationKey: oncallKey, escalationPolicy: 'p', businessHours: { days: [] } },
        }),
        200,
      );
      const apiKey = (await expectStatus(call(instance, 'POST', 'api-keys', { body: { name: 'reader', scopes: ['read'] } }), 201)).key as string;
      const token = (await expectStatus(call(instance, 'POST', 'embed-tokens', { body: { ttlSeconds: 60 } }), 201)).token as string;
      const tenant = (await expectStatus(call(instance, 'POST', 'tenants', { token: platformKey, body: { name: 'Second MSP' } }), 201)).adminKey as string;
      Object.assign(secrets, { 'API key': apiKey, 'embed token': token, 'new tenant admin key': tenant, 'embed token signature': token.split('.')[1]! });

      // Use and misuse every credential; make deliveries fail (PSA 401, On-Call unreachable); send mail with SMTP AUTH.
      await expectStatus(call(instance, 'GET', 'devices', { token: apiKey }), 200);
      await expectStatus(call(instance, 'GET', 'devices', { token }), 200);
      await expectStatus(call(instance, 'GET', 'devices', { token: token.slice(0, -3) + 'xyz' }), 401);
      await expectStatus(call(instance, 'GET', 'devices', { token: apiKey + 'x' }), 401);
      await expectStatus(call(instance, 'GET', 'devices', { token: null, headers: { 'x-integration-key': psaKey + 'x' } }), 401);
      await expectStatus(call(instance, 'GET', 'devices', { token: null, headers: { 'x-integration-key': psaKey } }), 200);
      await expectStatus(call(instance, 'PUT', 'settings/reports', { body: { recipients: ['noc@msp.example'] } }), 200);
      await expectStatus(call(instance, 'POST', 'reports/weekly/send'), 202);
      const now = Date.now();
      await expectStatus(
        call(instance, 'POST', 'events', {
          body: { events: devices.flatMap((id) => [jobEvent(`${id}-ok`, id, 'success', now - 30 * HOUR), ...[3, 2, 1].map((h, i) => jobEvent(`${id}-f${i}`, id, 'failed', now - h * HOUR))]) },
        }),
        202,
      );
      await smtp.waitForCount(1);
      await eventually(async () => (await call(instance, 'GET', 'settings/integrations/psa')).json.status.failed >= 1, 'the refused PSA call');
      await eventually(async () => (await call(instance, 'GET', 'settings/integrations/oncall')).json.status.lastError !== null, 'the failed page');
      await instance.stop();
      report.add('logLines', instance.logs().length);

      // Every process this file started, not only this one.
      const leaked = processes.flatMap((p) => leakedSecrets(p.output(), secrets).map((label) => `${p.name}: ${label}`));
      report.set('secretsChecked', Object.keys(secrets).length);
      report.set('processesChecked', processes.length);
      report.set('secretLeaksInLogs', leaked.length);
      assert.deepEqual(leaked, [], 'no secret in any log');
      assert.ok(instance.logs().some((line) => line.level === 'warn'), 'the failures were logged (without their secrets)');
    } finally {
      await Promise.all([smtp.close(), psa.close()]);
    }
  });
  test(
    'a receiver that echoes the integration key in its error answer does not get the key into the logs or the integration status',
    async () => {
      const key = 'echoed-integration-key-0123456789';
      const echo = createServer((request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: `unknown integration key ${String(request.headers['x-integration-key'])}` }));
      });
      echo.listen(0, '127.0.0.1');
      await once(echo, 'listening');
      const t = await testApp();
      const written: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(String(chunk));
        return write(chunk as string, ...(rest as []));
      }) as typeof process.stderr.write;
      log.setLevel('debug');
      try {
        t.clock.set(T0 - 24 * HOUR);
        for (const [path, body] of [
          ['clients/c', { name: 'C' }],
          ['policies/daily', { name: 'Daily', intervalHours: 24 }],
          ['devices/d', { clientId: 'c', name: 'D', kind: 'server', policyId: 'daily' }],
          ['settings/integrations/psa', { enabled: true, baseUrl: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`, integrationKey: key }],
        ] as const) {
          assert.ok((await t.request('PUT', path, { body })).status < 300);
        }
        t.clock.set(T0);
        const events = [jobEvent('ok', 'd', 'success', T0 - 3 * HOUR), ...[2, 1, 0.5].map((h, i) => jobEvent(`f${i}`, 'd', 'failed', T0 - h * HOUR))];
        assert.equal((await t.request('POST', 'events', { body: { events } })).status, 202);
        await t.services.integrations.dispatchDue(T0);
        const status = await t.request('GET', 'settings/integrations/psa');
        assert.equal(status.json.status.failed, 1, 'the 400 was recorded');
        assert.ok(!JSON.stringify(status.json).includes(key), 'the status does not show the key');
        assert.ok(!written.join('').includes(key), 'the log does not carry the key');
      } finally {
        process.stderr.write = write;
        log.setLevel('error');
        echo.close();
        await t.close();
      }
    },
  );
});

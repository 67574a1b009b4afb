/**
 * Scale-out: two BFF instances (separate OS processes, `bff/server.ts` as `npm run
 * serve` runs it) over one real sqld. Everything written through one instance is
 * read through the other; events are posted to both alternately; alerts, the live
 * stream and sweeps work across instances without duplicates; an instance killed
 * with SIGKILL loses nothing it acknowledged and a new one joins.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { eventually, expectStatus, openStream, startCluster, startInstance, request, type Cluster, type Reply } from './cluster.ts';

const A = 0;
const B = 1;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** PUT upserts answer 201 when they create and 200 when they update. */
const UPSERTED = [200, 201];


describe('two BFF instances over one sqld', () => {
  let cluster: Cluster;
  /** Direct access to the same database, for assertions only. */
  let db: Database;
  const now = Date.now();
  const req = (i: number, method: string, path: string, options?: Parameters<Cluster['request']>[3]) => cluster.request(i, method, path, options);

  before(async () => {
    cluster = await startCluster({ instances: 2, env: { BHM_SWEEP_INTERVAL_S: '2' } });
    db = openDatabase({ url: cluster.sqld.url });
  });
  after(async () => {
    await db?.close();
    await cluster?.stop();
  });

  test('started at once, the two instances applied the migrations exactly once', async () => {
    const applied = cluster.instances.flatMap((i) => i.logs().filter((l) => l.message === 'migrations applied').flatMap((l) => l.applied as string[]));
    const journal = (await db.all<{ tag: string }>('SELECT tag FROM __migrations ORDER BY tag')).map((r) => r.tag);
    assert.ok(journal.length > 0);
    assert.deepEqual([...applied].sort(), journal);
  });

  test('both are live and ready, with the database reachable', async () => {
    for (const i of [A, B]) {
      expectStatus(await req(i, 'GET', '/healthz'), 200, 'healthz');
      const ready = await req(i, 'GET', '/readyz');
      expectStatus(ready, 200, 'readyz');
      assert.equal(ready.json.database, 'ok');
    }
  });

  test('the bootstrap admin key works on both (one default tenant, one key)', async () => {
    for (const i of [A, B]) {
      const me = await req(i, 'GET', 'me');
      expectStatus(me, 200, 'GET /me');
      assert.equal(me.json.tenant.id, 'default');
      assert.ok(me.json.scopes.includes('admin'));
    }
    assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM api_keys WHERE tenant_id = 'default'"))!.n, 1);
  });

  test('a tenant created on A, and the keys and embed tokens it mints on either, work on both', async () => {
    const created = await req(A, 'POST', 'tenants', { token: cluster.platformKey, body: { name: 'Scale MSP' } });
    expectStatus(created, 201, 'POST /tenants on A');
    const me = await req(B, 'GET', 'me', { token: created.json.adminKey });
    expectStatus(me, 200, 'GET /me on B with the key minted on A');
    assert.equal(me.json.tenant.name, 'Scale MSP');

    const key = await req(B, 'POST', 'api-keys', { token: created.json.adminKey, body: { name: 'reader', scopes: ['read'] } });
    expectStatus(key, 201, 'POST /api-keys on B');
    expectStatus(await req(A, 'GET', 'devices', { token: key.json.key }), 200, 'read key from B used on A');
    expectStatus(await req(A, 'PUT', 'settings/sla', { token: key.json.key, body: {} }), 403, 'read key may not write settings');

    const embed = await req(A, 'POST', 'embed-tokens', { token: created.json.adminKey, body: {} });
    expectStatus(embed, 201, 'POST /embed-tokens on A');
    const page = await req(B, 'GET', 'devices', { token: embed.json.token });
    expectStatus(page, 200, 'embed token from A used on B');
    assert.deepEqual(page.json.items, []);
    // Another tenant's admin key sees nothing of `default`.
    expectStatus(await req(B, 'GET', 'settings/sla', { token: 'bhk_not-a-key' }), 401, 'unknown key');
  });

  test('settings written on A are read on B (within the per-instance settings cache TTL)', async () => {
    const put = await req(A, 'PUT', 'settings/sla', { body: { tenant: { workstationHours: 30, serverHours: 20, saasHours: 40 } } });
    expectStatus(put, 200, 'PUT /settings/sla on A');
    await eventually(async () => {
      const got = await req(B, 'GET', 'settings/sla');
      return got.status === 200 && got.json.tenant.serverHours === 20 && got.json;
    }, 'the SLA settings written on A to show on B', 8000);
  });

  describe('fleet data through both instances', () => {
    const devices = ['d-1', 'd-2', 'd-3', 'd-4', 'd-5', 'd-6'];

    test('a client, a policy and devices written on A are read on B, and the other way round', async () => {
      expectStatus(await req(A, 'PUT', 'clients/c-scale', { body: { name: 'Scale Client', timezone: 'UTC' } }), UPSERTED, 'PUT client on A');
      expectStatus(await req(B, 'PUT', 'policies/p-daily', { body: { name: 'Daily', intervalHours: 24 } }), UPSERTED, 'PUT policy on B');
      for (const [n, id] of devices.entries()) {
        const put = await req(n % 2 ? B : A, 'PUT', `devices/${id}`, { body: { clientId: 'c-scale', name: `Server ${id}`, kind: 'server', policyId: 'p-daily' } });
        expectStatus(put, 201, `PUT device ${id} (new)`);
      }
      const client = await req(B, 'GET', 'clients/c-scale');
      expectStatus(client, 200, 'GET client on B');
      assert.equal(client.json.name, 'Scale Client');
      for (const [n, id] of devices.entries()) {
        const detail = await req(n % 2 ? A : B, 'GET', `devices/${id}`);
        expectStatus(detail, 200, `GET device ${id} on the other instance`);
        assert.equal(detail.json.client.name, 'Scale Client');
        assert.equal(detail.json.policy.intervalHours, 24);
      }
      const [onA, onB] = await Promise.all([req(A, 'GET', 'devices?limit=500'), req(B, 'GET', 'devices?limit=500')]);
      assert.deepEqual(onA.json.items.map((d: { id: string }) => d.id).sort(), devices);
      assert.deepEqual(onB.json, onA.json);
    });

    test('events posted alternately to A and B all land; both report the same device state', async () => {
      let n = 0;
      for (const id of devices) {
        for (let k = 3; k >= 1; k--) {
          const started = now - k * 20 * HOUR;
          // The states are read right after: the documented way to read one's own writes.
          const reply = await req(n++ % 2, 'POST', 'events', {
            body: { type: 'job', id: `job-${id}-${k}`, deviceId: id, status: 'success', startedAt: iso(started), endedAt: iso(started + 600_000), bytes: 1_000_000 },
            headers: { prefer: 'wait=evaluated' },
          });
          expectStatus(reply, 202, 'POST /events');
          assert.equal(reply.json.accepted, 1);
        }
      }
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE tenant_id = 'default'"))!.n, devices.length * 3);
      // The 202s came before evaluation (the queue): the states are compared once it is empty.
      await eventually(async () => (await req(A, 'GET', '/readyz')).json.lag.evaluation.pendingDevices === 0, 'the evaluation queue to drain');
      const [onA, onB] = await Promise.all([req(A, 'GET', 'devices?limit=500'), req(B, 'GET', 'devices?limit=500')]);
      assert.deepEqual(onB.json, onA.json);
      for (const item of onA.json.items) {
        assert.equal(item.status, 'healthy', `${item.id} healthy`);
        assert.equal(item.lastSuccessAt, iso(now - 20 * HOUR + 600_000));
      }
    });

    test('replaying one batch on A and B at the same time stores it once', async () => {
      const events = devices.map((id) => ({ type: 'checkin', deviceId: id, at: iso(now - HOUR) }));
      events.push(...devices.map((id) => ({ type: 'job', id: `replay-${id}`, deviceId: id, status: 'success', startedAt: iso(now - 2 * HOUR), endedAt: iso(now - 2 * HOUR + 60_000) })) as never[]);
      const replies = await Promise.all([A, B, A, B].map((i) => req(i, 'POST', 'events', { body: { events } })));
      for (const reply of replies) expectStatus(reply, 202, 'POST /events (replay)');
      const accepted = replies.reduce((sum, r) => sum + r.json.accepted, 0);
      const duplicates = replies.reduce((sum, r) => sum + r.json.duplicates, 0);
      assert.equal(accepted + duplicates, events.length * 4);
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE tenant_id = 'default' AND id LIKE 'replay-%'"))!.n, devices.length);
    });

    test('forty small batches posted at once to both instances are all accepted and stored', async () => {
      const replies = await Promise.all(
        Array.from({ length: 40 }, (_, b) =>
          req(b % 2, 'POST', 'events', {
            body: {
              events: devices.map((id, k) => {
                const started = now - 10 * HOUR + b * 60_000 + k;
                return { type: 'job', id: `burst-${b}-${id}`, deviceId: id, status: 'success', startedAt: iso(started), endedAt: iso(started + 1000) };
              }),
            },
          }),
        ),
      );
      const statuses = replies.map((r) => r.status);
      assert.deepEqual(statuses, statuses.map(() => 202), replies.find((r) => r.status !== 202)?.text);
      assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE tenant_id = 'default' AND id LIKE 'burst-%'"))!.n, 40 * devices.length);
    });

    test('an alert opened by events on A is visible on B, and the stream on B receives it', async () => {
      const stream = await openStream(cluster.instances[B]!.url, cluster.adminKey);
      try {
        for (let k = 1; k <= 3; k++) {
          const started = now - HOUR + k * 60_000;
          const reply = await req(A, 'POST', 'events', {
            body: { type: 'job', id: `fail-d-1-${k}`, deviceId: 'd-1', status: 'failed', startedAt: iso(started), endedAt: iso(started + 30_000), message: 'disk full' },
          });
          expectStatus(reply, 202, 'POST failed job on A');
        }
        const opened = await stream.next((e) => e.event === 'alert.opened' && e.data.device?.id === 'd-1');
        const updated = await stream.next((e) => e.event === 'device.updated' && e.data.id === 'd-1' && e.data.status === 'critical');
        assert.equal(updated.data.consecutiveFailures, 3);
        const alerts = await req(B, 'GET', 'alerts?device=d-1');
        expectStatus(alerts, 200, 'GET /alerts on B');
        const active = alerts.json.items.filter((a: { state: string }) => a.state !== 'resolved');
        assert.ok(active.some((a: { id: string }) => a.id === opened.data.id), 'the alert from the stream is listed on B');
        const detail = await req(B, 'GET', 'devices/d-1');
        assert.equal(detail.json.status, 'critical');
        assert.ok(detail.json.openAlerts.length >= 1);
      } finally {
        stream.close();
      }
    });

    test('sweeping on both instances at once (and in the background) opens no alert twice', async () => {
      // A shorter policy interval puts every device past it (last success about 2 h ago).
      expectStatus(await req(A, 'PUT', 'policies/p-daily', { body: { name: 'Daily', intervalHours: 1 } }), 200, 'PUT policy (update)');
      // Due for the background sweeps (every 2 s on both) as well.
      await db.run("UPDATE devices SET next_check_at = 0 WHERE tenant_id = 'default'");
      const sweeps = await Promise.all([A, B, A, B].map((i) => req(i, 'POST', 'admin/evaluate')));
      for (const reply of sweeps) expectStatus(reply, 200, 'POST /admin/evaluate');
      const openedBySweeps = sweeps.flatMap((r) => r.json.alertsOpened.map((a: { id: string }) => a.id));
      assert.equal(new Set(openedBySweeps).size, openedBySweeps.length, 'an alert reported opened by two sweeps');
      await new Promise((r) => setTimeout(r, 2500));

      const duplicates = await db.all(
        "SELECT device_id, type, count(*) AS n FROM alerts WHERE tenant_id = 'default' AND state <> 'resolved' GROUP BY device_id, type HAVING n > 1",
      );
      assert.deepEqual(duplicates, []);
      const openedTwice = await db.all("SELECT alert_id, count(*) AS n FROM alert_events WHERE action = 'opened' GROUP BY alert_id HAVING n > 1");
      assert.deepEqual(openedTwice, []);
      const streamedTwice = await db.all(
        "SELECT json_extract(payload, '$.id') AS id, count(*) AS n FROM changes WHERE event = 'alert.opened' GROUP BY 1 HAVING n > 1",
      );
      assert.deepEqual(streamedTwice, []);
      const missed = await db.all<{ device_id: string }>(
        "SELECT device_id FROM alerts WHERE tenant_id = 'default' AND type = 'backup_missed_schedule' AND state <> 'resolved' ORDER BY device_id",
      );
      assert.deepEqual(missed.map((r) => r.device_id), devices, 'every device past its interval has one missed-schedule alert');
      const [onA, onB] = await Promise.all([req(A, 'GET', 'alerts?limit=500'), req(B, 'GET', 'alerts?limit=500')]);
      assert.deepEqual(onB.json, onA.json);
    });
  });

  test('kill -9 of A in the middle of ingest: B keeps answering, every acknowledged event is stored, a new instance joins', async (t) => {
    expectStatus(await req(B, 'PUT', 'devices/d-crash', { body: { clientId: 'c-scale', name: 'Crash', kind: 'workstation', policyId: 'p-daily' } }), 201, 'PUT device');
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const pump = async (i: number) => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, (_, k) => {
          const started = now - 10 * HOUR + sent * 20_000 + k * 1000;
          return { type: 'job', id: `crash-${i}-${sent}-${k}`, deviceId: 'd-crash', status: 'success', startedAt: iso(started), endedAt: iso(started + 500) };
        });
        sent++;
        const reply = await request(cluster.instances[i]!.url, 'POST', 'events', { token: cluster.adminKey, body: { events: batch } }).catch(() => null);
        if (!reply) break; // the instance is gone
        if (reply.status === 202) acknowledged.push(...batch.map((e) => e.id));
      }
    };
    const pumps = [pump(A), pump(B)];
    await new Promise((r) => setTimeout(r, 700));
    await cluster.instances[A]!.kill9();
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await Promise.all(pumps);
    assert.equal(cluster.instances[A]!.alive, false);
    assert.ok(acknowledged.length > 0);

    expectStatus(await req(B, 'GET', '/readyz'), 200, 'B still ready');
    const stored = new Set((await db.all<{ id: string }>("SELECT id FROM jobs WHERE tenant_id = 'default' AND id LIKE 'crash-%'")).map((r) => r.id));
    const lost = acknowledged.filter((id) => !stored.has(id));
    assert.deepEqual(lost, [], `${lost.length} acknowledged events missing`);
    t.diagnostic(`${acknowledged.length} events acknowledged (202) across the kill, ${stored.size} stored, 0 lost`);

    // A replacement instance joins (no migration left to apply) and sees everything.
    const joined = await startInstance('bff-2', {
      DATABASE_URL: cluster.sqld.url,
      BHM_BOOTSTRAP_KEY: cluster.adminKey,
      BHM_PLATFORM_KEY: cluster.platformKey,
    });
    cluster.instances.push(joined);
    assert.equal(joined.logs().filter((l) => l.message === 'migrations applied').length, 0);
    const [onB, onNew] = await Promise.all([req(B, 'GET', 'devices/d-crash'), req(2, 'GET', 'devices/d-crash')]);
    expectStatus(onNew, 200, 'GET device on the new instance');
    assert.deepEqual(onNew.json, onB.json);
  });
});

/**
 * Load attacks of issue #18 (findings 2, 3 and 4), each against a real BFF process
 * (`bff/server.ts` as `npm run serve` runs it) over a fleet written straight into its
 * database, with the figures docs/limits.md quotes:
 *
 * 2a. 50 client-scoped streams resuming from `lastEventId` (half far behind, half with
 *     a few thousand changes of their client to replay): `/healthz` p99 ≤ 50 ms.
 * 2b. three large compliance PDFs at once: `/healthz` p99 ≤ 50 ms; a fourth is a 429.
 * 2c. every sort of `GET /devices` walks an index (EXPLAIN QUERY PLAN) and answers
 *     `limit=500` with p99 ≤ 100 ms.
 * 3.  a subscriber more than the backlog limit behind gets `reset`, then live events.
 * 4.  streams beyond the per-token and per-tenant caps are 429 problems; the stream
 *     gauge of /metrics counts exactly the open ones.
 *
 * `npm test` runs a short form (20k devices, 30k changes); `BHM_SOAK=1` (npm run
 * test:soak) the sizes: 100k devices, 20k-device PDFs, 200k changes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../bff/db/client.ts';
import { DEVICE_SORTS, listStatement } from '../../bff/services/device-queries.ts';
import { BOOTSTRAP_KEY, call, startBff, tempDatabase, type Instance, type TempDatabase } from './support/bff-process.ts';
import { seedAttackFleet, seedChangeBacklog, type AttackFleet } from './support/attack-load-fleet.ts';
import { openStream, percentile, probeHealth, timedRequests, type OpenStream } from './support/attack-load-probe.ts';
import { figures } from './support/figures.ts';

const SOAK = process.env.BHM_SOAK === '1';
const SIZE = SOAK ? { devices: 100_000, clients: 5, changes: 200_000, sortRounds: 12 } : { devices: 20_000, clients: 4, changes: 30_000, sortRounds: 6 };
/**
 * A latency figure is measured again once when it misses (the short form shares the
 * machine with other test runs); both attempts are reported. Today's main misses by
 * seconds, every time.
 */
const ATTEMPTS = 2;
const STREAMS = 50;
const HEALTH_P99_MS = 50;
/**
 * The machine's own share: /healthz p99 measured idle just before each attack is added
 * to the 50 ms budget. Idle it is 1–2 ms on a quiet machine; on one shared with other
 * work (two cores, several test runs) the OS alone delays requests by tens of ms, which
 * no server code can remove. Today's main misses the budget by seconds either way.
 */
async function idleHealthP99(url: string): Promise<number> {
  const probe = probeHealth(url);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  return percentile(await probe.stop(), 99);
}
const SORT_P99_MS = 100;
/** The BFF's default backlog limit (bff/services/change-tail.ts). */
const MAX_BACKLOG = 5_000;
const TENANT = 'default';
const fig = figures('attack-load');

/** CPU time (user + system) a process has used, in seconds (Linux /proc). */
const cpuSeconds = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const p = (values: number[]) => Math.round(percentile(values, 99) * 10) / 10;
const clientId = (i: number) => `client-${String(i).padStart(4, '0')}`;

describe('hostile load: streams, heavy renders and sorts (issue #18)', { timeout: SOAK ? 900_000 : 120_000 }, () => {
  let database: TempDatabase;
  let bff: Instance;
  let fleet: AttackFleet;

  before(async () => {
    database = tempDatabase('bh-attack-load-');
    // Three renders per tenant at once for finding 2b (the default is 2).
    bff = await startBff(database, { BHM_HEAVY_PER_TENANT: '3', BHM_LOG_LEVEL: 'warn' });
    const started = Date.now();
    fleet = await seedAttackFleet(database.url, TENANT, SIZE.devices, SIZE.clients, Date.now());
    await seedChangeBacklog(database.url, TENANT, fleet, SIZE.changes, Date.now());
    fig.set('devices', SIZE.devices);
    fig.set('changes', SIZE.changes);
    fig.set('seed_s', ((Date.now() - started) / 1000).toFixed(1));
  });

  after(async () => {
    await bff?.stop();
    database?.remove();
  });

  /**
   * The BFF's own event-loop delay since the last call (prom-client's figures, reset at
   * every scrape): what blocks it, without the client's or the network's share.
   */
  async function eventLoopDelay(): Promise<{ p99: number; max: number }> {
    const text = (await call(bff, 'GET', '/metrics', { token: null })).text;
    const read = (name: string) => Math.round(Number(new RegExp(`^bhm_process_nodejs_eventloop_lag_${name}_seconds (\\S+)$`, 'm').exec(text)?.[1]) * 1000);
    return { p99: read('p99'), max: read('max') };
  }

  async function embedToken(client: string): Promise<string> {
    const reply = await call(bff, 'POST', 'embed-tokens', { body: { clientId: client, scopes: ['read'] } });
    assert.equal(reply.status, 201, reply.text);
    return reply.json.token;
  }

  test('2a. 50 client-scoped streams resuming from old ids leave /healthz p99 ≤ 50 ms; each reads only its client', async () => {
    const db = openDatabase({ url: database.url });
    const newest = (await db.get<{ id: number }>('SELECT MAX(id) AS id FROM changes'))!.id;
    await db.close();
    // Per client, ~SIZE.changes / clients changes after 0 (more than the backlog limit: reset),
    // and 2,000 after `recent` (a replay, read a page at a time).
    const perClientRecent = 2_000;
    const recent = newest - perClientRecent * SIZE.clients;
    const tokens = await Promise.all(Array.from({ length: 5 }, (_, i) => embedToken(clientId(i % SIZE.clients))));
    for (let attempt = 1; ; attempt++) {
      const idle = await idleHealthP99(bff.url);
      await eventLoopDelay();
      const probe = probeHealth(bff.url);
      const started = performance.now();
      const cpu0 = cpuSeconds(bff.process.pid!);
      const streams: { stream: OpenStream; client: string; far: boolean }[] = [];
      await Promise.all(
        Array.from({ length: STREAMS }, async (_, i) => {
          const token = tokens[i % tokens.length]!;
          const far = i % 2 === 0;
          const stream = await openStream(bff.url, token, `?lastEventId=${far ? 0 : recent}`);
          assert.equal(stream.status, 200, stream.body);
          streams.push({ stream, client: clientId((i % tokens.length) % SIZE.clients), far });
        }),
      );
      try {
        for (const { stream, client, far } of streams) {
          if (far) {
            const reset = await stream.until((event) => event.event === 'reset', 30_000);
            assert.equal(Number(reset.id), newest, 'a reset resumes from the current position');
          } else {
            await stream.until(() => stream.events.length >= perClientRecent, 30_000);
            assert.ok(stream.events.every((event) => event.event === 'device.updated' && JSON.parse(event.data).client.id === client), 'only its client is replayed');
          }
        }
        fig.set('replay_all_s', ((performance.now() - started) / 1000).toFixed(2));
        fig.set('replay_bff_cpu_s', (cpuSeconds(bff.process.pid!) - cpu0).toFixed(2));
      } finally {
        for (const { stream } of streams) stream.close();
      }
      const latencies = await probe.stop();
      const loop = await eventLoopDelay();
      fig.set('streams_loop_delay_p99_ms', loop.p99);
      fig.set('streams_loop_delay_max_ms', loop.max);
      fig.set('streams_healthz_p99_ms', p(latencies));
      fig.set('streams_healthz_samples', latencies.length);
      fig.set('streams_idle_healthz_p99_ms', Math.round(idle * 10) / 10);
      const within = p(latencies) <= HEALTH_P99_MS + idle;
      fig.set(`streams_attempt_${attempt}`, `${p(latencies)}ms/idle${idle.toFixed(1)}ms`);
      if (within || attempt >= ATTEMPTS) {
        assert.ok(within, `/healthz p99 ${p(latencies)} ms during the replays (idle ${idle.toFixed(1)} ms)`);
        break;
      }
    }
  });

  test('2b. three large PDF exports at once leave /healthz p99 ≤ 50 ms; one more for the tenant is a 429', async () => {
    const devicesPerClient = SIZE.devices / SIZE.clients;
    for (let attempt = 1; ; attempt++) {
      const idle = await idleHealthP99(bff.url);
      await eventLoopDelay();
      const probe = probeHealth(bff.url);
      const started = performance.now();
      const replies = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          fetch(`${bff.url}/api/v1/compliance/export?format=pdf&client=${clientId(i % SIZE.clients)}`, { headers: { authorization: `Bearer ${BOOTSTRAP_KEY}` } }).then(async (response) => ({
            status: response.status,
            type: response.headers.get('content-type') ?? '',
            retryAfter: response.headers.get('retry-after'),
            bytes: (await response.arrayBuffer()).byteLength,
          })),
        ),
      );
      fig.set('pdf_render_s', ((performance.now() - started) / 1000).toFixed(2));
      const latencies = await probe.stop();
      const loop = await eventLoopDelay();
      fig.set('pdf_loop_delay_p99_ms', loop.p99);
      fig.set('pdf_loop_delay_max_ms', loop.max);
      const rendered = replies.filter((reply) => reply.status === 200);
      const refused = replies.filter((reply) => reply.status === 429);
      assert.equal(rendered.length, 3, JSON.stringify(replies));
      assert.equal(refused.length, 1, JSON.stringify(replies));
      for (const reply of rendered) assert.equal(reply.type, 'application/pdf');
      assert.match(refused[0]!.type, /application\/problem\+json/);
      assert.ok(Number(refused[0]!.retryAfter) > 0, 'Retry-After');
      fig.set('pdf_devices', devicesPerClient);
      fig.set('pdf_kb', Math.round(rendered[0]!.bytes / 1024));
      fig.set('pdf_healthz_p99_ms', p(latencies));
      fig.set('pdf_idle_healthz_p99_ms', Math.round(idle * 10) / 10);
      const within = p(latencies) <= HEALTH_P99_MS + idle;
      fig.set(`pdf_attempt_${attempt}`, `${p(latencies)}ms/idle${idle.toFixed(1)}ms`);
      if (within || attempt >= ATTEMPTS) {
        assert.ok(within, `/healthz p99 ${p(latencies)} ms while three PDFs render (idle ${idle.toFixed(1)} ms)`);
        break;
      }
    }
  });

  test('2c. every sort of GET /devices walks an index and answers limit=500 with p99 ≤ 100 ms', async () => {
    const db = openDatabase({ url: database.url });
    try {
      for (const sort of DEVICE_SORTS) {
        for (const order of ['asc', 'desc'] as const) {
          const plan = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${listStatement(false, 0, 0, false, sort, order, 'none')}`, [TENANT, 501]);
          const details = plan.map((row) => row.detail).join(' | ');
          assert.doesNotMatch(details, /TEMP B-TREE/, `sort=${sort}&order=${order} sorts instead of walking an index: ${details}`);
        }
      }
    } finally {
      await db.close();
    }
    const paths = Array.from({ length: SIZE.sortRounds }, () => DEVICE_SORTS.flatMap((sort) => [`devices?sort=${sort}&order=asc&limit=500`, `devices?sort=${sort}&order=desc&limit=500`])).flat();
    for (let attempt = 1; ; attempt++) {
      // One client's requests, one after another (the p99 a dashboard sees), then four at once.
      const { latencies, failures } = await timedRequests(bff.url, BOOTSTRAP_KEY, paths, 1);
      const busy = await timedRequests(bff.url, BOOTSTRAP_KEY, paths, 4);
      assert.deepEqual([...failures, ...busy.failures], []);
      fig.set('sort_requests', latencies.length);
      fig.set('sort_p50_ms', Math.round(percentile(latencies, 50) * 10) / 10);
      fig.set('sort_p99_ms', p(latencies));
      fig.set('sort_4_connections_p99_ms', p(busy.latencies));
      fig.set(`sort_attempt_${attempt}`, `${p(latencies)}ms`);
      const within = p(latencies) <= SORT_P99_MS;
      if (within || attempt >= ATTEMPTS) {
        assert.ok(within, `limit=500 p99 ${p(latencies)} ms over every sort`);
        break;
      }
    }
  });

  test('3. a stream more than the backlog limit behind gets reset at the current position, then live changes', async () => {
    const token = await embedToken(clientId(0));
    const stream = await openStream(bff.url, token, '?lastEventId=0');
    try {
      assert.equal(stream.status, 200);
      const reset = await stream.until((event) => event.event === 'reset');
      assert.deepEqual(JSON.parse(reset.data), { reason: 'behind' });
      assert.equal(stream.events.filter((event) => event.event !== 'reset').length, 0, `nothing of the ${SIZE.changes / SIZE.clients} changes behind is queued`);
      assert.ok(SIZE.changes / SIZE.clients > MAX_BACKLOG);
      // Live again: a change of its client after the reset arrives, with a newer id.
      const device = 'dev-000000';
      const posted = await call(bff, 'POST', 'events', { body: { events: [{ type: 'storage', deviceId: device, at: new Date().toISOString(), usedBytes: 4242 }] } });
      assert.equal(posted.status, 202, posted.text);
      const live = await stream.until((event) => event.event === 'device.updated' && JSON.parse(event.data).id === device);
      assert.ok(Number(live.id) > Number(reset.id));
    } finally {
      stream.close();
    }
  });
});

describe('hostile load: stream caps (issue #18, finding 4)', { timeout: 60_000 }, () => {
  let database: TempDatabase;
  let bff: Instance;
  const PER_TOKEN = 3;
  const PER_TENANT = 5;

  before(async () => {
    database = tempDatabase('bh-attack-caps-');
    bff = await startBff(database, { BHM_STREAMS_PER_TOKEN: String(PER_TOKEN), BHM_STREAMS_PER_TENANT: String(PER_TENANT), BHM_LOG_LEVEL: 'warn' });
  });

  after(async () => {
    await bff?.stop();
    database?.remove();
  });

  const gauge = async () => Number(/^bhm_stream_subscribers (\d+)$/m.exec((await call(bff, 'GET', '/metrics', { token: null })).text)?.[1]);

  async function until(predicate: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  test('4. the stream after the per-token and per-tenant caps is a 429 problem with Retry-After; the gauge counts the open ones', async () => {
    await call(bff, 'PUT', 'clients/acme', { body: { name: 'Acme' } });
    const scoped = (await call(bff, 'POST', 'embed-tokens', { body: { clientId: 'acme', scopes: ['read'] } })).json.token as string;
    const open: OpenStream[] = [];
    try {
      for (let i = 0; i < PER_TOKEN; i++) open.push(await openStream(bff.url, scoped));
      assert.deepEqual(open.map((stream) => stream.status), Array(PER_TOKEN).fill(200));
      const refused = await openStream(bff.url, scoped);
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('content-type')!, /application\/problem\+json/);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.match(JSON.parse(refused.body).detail, /credential has 3 open streams/);

      // Another credential of the tenant: the tenant's cap is reached at PER_TENANT.
      for (let i = PER_TOKEN; i < PER_TENANT; i++) open.push(await openStream(bff.url, BOOTSTRAP_KEY));
      const tenantRefused = await openStream(bff.url, BOOTSTRAP_KEY);
      assert.equal(tenantRefused.status, 429);
      assert.match(JSON.parse(tenantRefused.body).detail, /tenant has 5 open streams/);
      assert.equal(await gauge(), PER_TENANT);

      // Closing streams frees their places; the gauge follows.
      for (const stream of open.splice(0, PER_TOKEN)) stream.close();
      await until(async () => (await gauge()) === PER_TENANT - PER_TOKEN, 'gauge after closing');
      open.push(await openStream(bff.url, scoped));
      assert.equal(open.at(-1)!.status, 200);
      assert.equal(await gauge(), PER_TENANT - PER_TOKEN + 1);
    } finally {
      for (const stream of open) stream.close();
    }
    await until(async () => (await gauge()) === 0, 'gauge back to 0');
  });
});

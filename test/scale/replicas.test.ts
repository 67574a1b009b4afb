/**
 * Scale-out reads from embedded replicas (bff/db/replicated.ts) against a real sqld.
 * Instance A keeps a replica; its primary connection and its replication stream each go
 * through a loopback TCP proxy the test can cut, so which copy answered is provable:
 * with the primary cut, only the replica can answer; with the sync cut, the replica is
 * frozen and only the primary can know a newer row. Instance B writes without a replica.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { readEnvironment } from '../../bff/env.ts';
import { startBff, type RunningBff } from '../../bff/start.ts';
import { BOOTSTRAP_KEY, PLATFORM_KEY, eventually, expectStatus, request } from './cluster.ts';
import { startSqld, type RunningSqld } from './sqld.ts';

/**
 * A TCP proxy to `port` on loopback that can be cut (listener closed, sockets destroyed)
 * and restored on the same port. It runs in a worker thread: the driver opens a replica
 * with a blocking handshake, which a proxy on this thread's event loop could not answer.
 */
const PROXY = `
const { parentPort, workerData } = require('node:worker_threads');
const { createServer, connect } = require('node:net');
const sockets = new Set();
let server;
let listenPort = 0;
const open = () => {
  server = createServer((inbound) => {
    const outbound = connect(workerData.port, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  server.listen(listenPort, '127.0.0.1', () => {
    listenPort = server.address().port;
    parentPort.postMessage(listenPort);
  });
};
parentPort.on('message', (command) => {
  if (command === 'cut') {
    server.close(() => parentPort.postMessage('cut'));
    for (const socket of sockets) socket.destroy();
  } else open();
});
open();
`;

async function cuttableProxy(port: number) {
  const worker = new Worker(PROXY, { eval: true, workerData: { port } });
  const reply = () => new Promise<unknown>((resolve) => worker.once('message', resolve));
  const listenPort = (await reply()) as number;
  let isCut = false;
  return {
    url: () => `http://127.0.0.1:${listenPort}`,
    async cut() {
      const done = reply();
      worker.postMessage('cut');
      await done;
      isCut = true;
    },
    async restore() {
      if (!isCut) return;
      const done = reply();
      worker.postMessage('open');
      await done;
      isCut = false;
    },
    stop: () => worker.terminate(),
  };
}

const req = (bff: RunningBff, method: string, path: string, options: Parameters<typeof request>[3] = {}) =>
  request(bff.url, method, path, { token: BOOTSTRAP_KEY, ...options });

describe('reads from an embedded replica (sqld primary)', () => {
  let sqld: RunningSqld;
  let primaryLink: Awaited<ReturnType<typeof cuttableProxy>>;
  let syncLink: Awaited<ReturnType<typeof cuttableProxy>>;
  let A: RunningBff;
  let B: RunningBff;
  let dir: string;

  before(async () => {
    sqld = await startSqld();
    primaryLink = await cuttableProxy(sqld.port);
    syncLink = await cuttableProxy(sqld.port);
    dir = mkdtempSync(join(tmpdir(), 'bh-replica-'));
    const common = { PORT: '0', HOST: '127.0.0.1', BHM_BOOTSTRAP_KEY: BOOTSTRAP_KEY, BHM_PLATFORM_KEY: PLATFORM_KEY, DATABASE_TIMEOUT_S: '3' };
    B = await startBff(readEnvironment({ ...common, DATABASE_URL: sqld.url }), { background: false });
    A = await startBff(readEnvironment({ ...common, DATABASE_URL: primaryLink.url(), DATABASE_REPLICA_PATH: join(dir, 'replica.db') }), {
      background: false,
      replica: { syncUrl: syncLink.url() },
    });
    // The replica is used once its first sync succeeded.
    await eventually(() => A.deps.db.replica!.readsReplica(), 'the replica to sync past A’s start-up writes');
  });

  after(async () => {
    await primaryLink?.restore().catch(() => undefined);
    await syncLink?.restore().catch(() => undefined);
    await A?.close();
    await B?.close();
    await sqld?.stop();
    await primaryLink?.stop();
    await syncLink?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('rows written through the primary by another instance are served from the replica once it synced', async () => {
    expectStatus(await req(B, 'PUT', 'clients/c-elsewhere', { body: { name: 'Written on B', timezone: 'UTC' } }), [200, 201], 'PUT client on B');
    await eventually(async () => A.deps.db.replica!.readsReplica() && (await req(A, 'GET', 'clients/c-elsewhere')).status === 200, 'the client written on B to be read from A’s replica', 15_000);
    const servedBefore = A.deps.db.replica!.reads().replica;
    await primaryLink.cut();
    try {
      // Only the replica can answer now.
      const got = await req(A, 'GET', 'clients/c-elsewhere');
      expectStatus(got, 200, 'GET client on A with its primary unreachable');
      assert.equal(got.json.name, 'Written on B');
    } finally {
      await primaryLink.restore();
    }
    // /metrics counts the reads the replica served.
    assert.ok(A.deps.db.replica!.reads().replica > servedBefore);
    const metrics = await (await fetch(`${A.url}/metrics`)).text();
    const counted = Number(/^bhm_replica_reads_total\{source="replica"\} (\S+)/m.exec(metrics)?.[1]);
    assert.ok(counted > servedBefore, `bhm_replica_reads_total{source="replica"} = ${counted}`);
  });

  test('a request that wrote reads its own writes at once, though the replica has not synced them', async () => {
    await syncLink.cut();
    try {
      expectStatus(await req(A, 'PUT', 'clients/c-own', { body: { name: 'Mine', timezone: 'UTC' } }), [200, 201], 'PUT client on A');
      const got = await req(A, 'GET', 'clients/c-own');
      expectStatus(got, 200, 'GET the client A just wrote (the frozen replica cannot have it)');
      assert.equal(got.json.name, 'Mine');
      const list = await req(A, 'GET', 'clients');
      assert.ok(list.json.items.some((client: { id: string }) => client.id === 'c-own'), 'the list shows it too');
    } finally {
      await syncLink.restore();
    }
  });

  test('replica reads never show another tenant’s data', async () => {
    const created = await req(B, 'POST', 'tenants', { token: PLATFORM_KEY, body: { name: 'Other MSP' } });
    expectStatus(created, 201, 'POST /tenants on B');
    const other = created.json.adminKey as string;
    expectStatus(await req(B, 'PUT', 'clients/c-other', { token: other, body: { name: 'Other client', timezone: 'UTC' } }), [200, 201], 'PUT client of the other tenant');
    expectStatus(await req(B, 'PUT', 'policies/p-other', { token: other, body: { name: 'Daily', intervalHours: 24 } }), [200, 201], 'PUT policy of the other tenant');
    expectStatus(await req(B, 'PUT', 'devices/d-other', { token: other, body: { clientId: 'c-other', name: 'Other server', kind: 'server', policyId: 'p-other' } }), 201, 'PUT device of the other tenant');
    await eventually(async () => A.deps.db.replica!.readsReplica() && (await req(A, 'GET', 'devices/d-other', { token: other })).status === 200, 'the other tenant’s device on A’s replica', 15_000);
    await primaryLink.cut();
    try {
      // From the replica alone: each tenant sees its own rows and nothing of the other's.
      const mine = await req(A, 'GET', 'clients');
      expectStatus(mine, 200, 'GET /clients of default from the replica');
      assert.ok(!mine.json.items.some((client: { id: string }) => client.id === 'c-other'));
      expectStatus(await req(A, 'GET', 'clients/c-other'), 404, 'the other tenant’s client by id');
      expectStatus(await req(A, 'GET', 'devices/d-other'), 404, 'the other tenant’s device by id');
      const devices = await req(A, 'GET', 'devices?limit=500');
      assert.ok(!devices.json.items.some((device: { id: string }) => device.id === 'd-other'));
      const theirs = await req(A, 'GET', 'clients', { token: other });
      assert.deepEqual(theirs.json.items.map((client: { id: string }) => client.id), ['c-other']);
      expectStatus(await req(A, 'GET', 'clients/c-own', { token: other }), 404, 'default’s client with the other tenant’s key');
    } finally {
      await primaryLink.restore();
    }
  });

  test('a replica that cannot sync for more than 10 s makes /readyz 503, is not read meanwhile, and recovers', async () => {
    const ready = await request(A.url, 'GET', '/readyz');
    expectStatus(ready, 200, '/readyz while syncing');
    assert.equal(ready.json.replica.maxLagMs, 10_000);
    await syncLink.cut();
    try {
      const lagging = await eventually(async () => {
        const reply = await request(A.url, 'GET', '/readyz');
        return reply.status === 503 && reply;
      }, '/readyz to answer 503', 20_000);
      assert.equal(lagging.json.database, 'replica_lagging');
      assert.ok(lagging.json.replica.lagMs > 10_000);
      const metrics = await request(A.url, 'GET', '/metrics');
      const lag = Number(/^bhm_replica_lag_seconds (\S+)$/m.exec(metrics.text)?.[1]);
      assert.ok(lag > 10, `bhm_replica_lag_seconds = ${lag}`);
      // Past the bound reads go to the primary: a row written on B now is seen on A.
      expectStatus(await req(B, 'PUT', 'clients/c-late', { body: { name: 'Late', timezone: 'UTC' } }), [200, 201], 'PUT client on B');
      expectStatus(await req(A, 'GET', 'clients/c-late'), 200, 'GET on A past the lag bound reads the primary');
    } finally {
      await syncLink.restore();
    }
    await eventually(async () => (await request(A.url, 'GET', '/readyz')).status === 200, '/readyz to recover', 10_000);
    assert.ok(A.deps.db.replica!.lagMs() <= 2000);
    await eventually(() => A.deps.db.replica!.readsReplica(), 'replica reads to resume', 15_000);
  });
});

/**
 * Load (issue #8 §6): autocannon on loopback against a `bff/server.ts` process,
 * every connection cycling through an ingest batch and five reads (device list,
 * client roll-ups, alert feed, a device's detail, compliance), with the sweep
 * running every 5 s. No errors, no timeouts, no non-2xx answers, every accepted
 * event stored, and resident memory flat over the run.
 *
 * `npm test` runs 10 s; `RELIABILITY_LOAD_SECONDS=60` (npm run test:soak) the full minute.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import autocannon from 'autocannon';
import { openDatabase } from '../../bff/db/client.ts';
import { BOOTSTRAP_KEY, call, rssBytes, startBff, tempDatabase, type Instance } from './support/bff-process.ts';
import { figures } from './support/figures.ts';
import { expectStatus, HOUR, jobEvent } from './support/process-fleet.ts';

const report = figures('load');
const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 10);
const CONNECTIONS = 8;
const DEVICES = 200;
const BATCH = 25;
const database = tempDatabase();
let bff: Instance | undefined;

after(async () => {
  await bff?.kill9();
  database.remove();
});

const MB = 1024 * 1024;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

test(`${SECONDS} s of mixed ingest and reads: no errors, every accepted event stored, memory flat`, async () => {
  bff = await startBff(database, { BHM_SWEEP_INTERVAL_S: '5', NODE_OPTIONS: '--max-old-space-size=128' });
  const server = bff;
  const ids = Array.from({ length: DEVICES }, (_, i) => `load-${i}`);
  const csv = ['id,name,clientId,kind,policyId,clientName,policyName,intervalHours', ...ids.map((id, i) => `${id},${id.toUpperCase()},client-${i % 5},${i % 3 ? 'workstation' : 'server'},daily,Client ${i % 5},Daily,24`)].join('\n');
  await expectStatus(call(server, 'POST', 'import/devices', { raw: csv, headers: { 'content-type': 'text/csv' } }), 200);
  const start = Date.now();
  await expectStatus(call(server, 'POST', 'events', { body: { events: ids.map((id, i) => jobEvent(`seed-${i}`, id, i % 7 ? 'success' : 'failed', start - 2 * HOUR)) } }), 202);

  let sequence = 0;
  let posted = 0;
  let eventsAccepted = 0;
  const base = Date.now() - HOUR;
  const headers = { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' };
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  const samples: { at: number; rss: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), rss: rssBytes(server.process.pid!) }), 250);

  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/events',
        setupRequest: (request) => {
          const events = Array.from({ length: BATCH }, () => {
            const n = ++sequence;
            return jobEvent(`load-job-${n}`, pick(), n % 11 ? 'success' : 'failed', base + n);
          });
          posted += BATCH;
          return { ...request, body: JSON.stringify({ events }) };
        },
        onResponse: (status, body) => {
          if (status === 202) eventsAccepted += (JSON.parse(body) as { accepted: number }).accepted;
        },
      },
      { method: 'GET', path: '/api/v1/devices?limit=50&sort=score' },
      { method: 'GET', path: '/api/v1/clients' },
      { method: 'GET', path: '/api/v1/alerts?state=active&limit=50' },
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/devices/${pick()}` }) },
      { method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/compliance?client=client-${Math.floor(Math.random() * 5)}` }) },
    ],
  });
  clearInterval(sampler);

  const stored = await (async () => {
    const db = openDatabase({ url: database.url });
    try {
      return (await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE id LIKE 'load-job-%'"))!.n;
    } finally {
      await db.close();
    }
  })();

  // Memory: the median of the last quarter against the median of the second quarter (after warm-up).
  const quarter = Math.floor(samples.length / 4);
  const warm = median(samples.slice(quarter, 2 * quarter).map((s) => s.rss));
  const end = median(samples.slice(3 * quarter).map((s) => s.rss));
  const growthMb = (end - warm) / MB;
  const peakMb = Math.max(...samples.map((s) => s.rss)) / MB;

  report.set('seconds', SECONDS);
  report.set('requests', result.requests.total);
  report.set('reqPerSec', Math.round(result.requests.average));
  report.set('p99Ms', result.latency.p99);
  report.set('errors', result.errors);
  report.set('timeouts', result.timeouts);
  report.set('non2xx', result.non2xx);
  report.set('eventsAccepted', eventsAccepted);
  report.set('eventsStored', stored);
  report.set('rssWarmMb', Math.round(warm / MB));
  report.set('rssEndMb', Math.round(end / MB));
  report.set('rssPeakMb', Math.round(peakMb));
  report.set('rssGrowthMb', Math.round(growthMb * 10) / 10);

  assert.equal(result.errors, 0, 'no connection errors');
  assert.equal(result.timeouts, 0, 'no timeouts');
  assert.equal(result.non2xx, 0, 'no answer other than 2xx');
  assert.ok(result.requests.total > SECONDS * 50, `a useful load: ${result.requests.total} requests`);
  // A batch in flight when the run ends may be stored without its answer being counted.
  assert.ok(stored >= eventsAccepted, `every accepted event is stored (${stored} stored, ${eventsAccepted} accepted)`);
  assert.ok(stored - eventsAccepted <= CONNECTIONS * BATCH && stored <= posted, 'only batches cut off by the end of the run are unaccounted for');
  assert.ok(growthMb < 40, `resident memory flat after warm-up: grew ${growthMb.toFixed(1)} MB (warm ${Math.round(warm / MB)} MB, end ${Math.round(end / MB)} MB)`);
  const health = await call(server, 'GET', '/readyz');
  assert.equal(health.status, 200);
  assert.equal(await server.stop(), 0);
  assert.deepEqual(server.logs().filter((line) => line.level === 'error'), []);
});

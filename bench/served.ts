/**
 * served: the server exactly as users run it — `npm run serve` (the compiled
 * `dist/server/server.js`, background work on: evaluation queue, sweep, outbox) —
 * with autocannon in its own process: `GET /devices` against the bare page measured
 * right before it, and `POST /events` (100 new job events per request, 50 connections)
 * against the raw insert rate of the ingest benchmark, with the evaluation lag sampled
 * from /readyz while the load runs and the time until the queue is empty again.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FleetInfo } from './fleet.ts';
import { makeEvents, rawInsert } from './ingest.ts';
import { runJson, startChild } from './lib/children.ts';
import { postWhileSampling, startServedServer, type SampledPostLoad } from './lib/served-server.ts';
import { rssOf } from './lib/util.ts';
import type { LoadFigures, ServerInfo } from './reads.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const LOAD_CHILD = here('./children/load.mjs');
const BARE_CHILD = here('./children/bare.ts');

export interface ServedResult {
  reads: { figures: LoadFigures; bare: LoadFigures; ratio: number };
  ingest: {
    events: number;
    perRequest: number;
    /** Events/s answered 202 (stored). */
    eventsPerSecond: number;
    /** Events/s until the evaluation queue was empty again (stored and evaluated). */
    evaluatedEventsPerSecond: number;
    /** /readyz's queue lag sampled every 100 ms during the load: p99 and max (ms). */
    lagP99Ms: number;
    lagMaxMs: number;
    non2xx: number;
    /** The same rows inserted raw (one prepared statement, one transaction), measured in this run. */
    rawRowsPerSecond: number;
  };
  rssBytes: number;
}

export interface ServedOptions {
  durationSeconds: number;
  events: number;
  log?: (message: string) => void;
}

async function startServed(dbPath: string): Promise<{ info: ServerInfo; stop(): Promise<void> }> {
  const server = await startServedServer({ DATABASE_URL: `file:${dbPath}` });
  return { info: { url: server.url, pid: server.pid }, stop: server.stop };
}

export async function benchServed(fleet: FleetInfo, options: ServedOptions): Promise<ServedResult> {
  const log = options.log ?? (() => undefined);
  const tenant = fleet.big;
  const headers = { authorization: `Bearer ${tenant.adminKey}` };
  const load = (url: string, extra: object = {}) =>
    runJson<LoadFigures & { seconds: number }>(LOAD_CHILD, JSON.stringify({ url, headers, connections: 50, durationSeconds: options.durationSeconds, warmupSeconds: 2, ...extra }));

  const perRequest = 100;
  const base = Math.max(fleet.now - 14 * 60_000, Date.now() - 3 * 60_000);
  const events = makeEvents(fleet, options.events, `srv${Date.now().toString(36)}`, base);
  const raw = await rawInsert(fleet, events, log);
  const rawRowsPerSecond = raw.rows.length / (raw.rawMs / 1000);

  const bare = await startChild<ServerInfo>(BARE_CHILD, [fleet.path, tenant.id]);
  let bareFigures: LoadFigures;
  try {
    bareFigures = await runJson<LoadFigures>(LOAD_CHILD, JSON.stringify({ url: `${bare.info.url}/devices`, headers: {}, connections: 50, durationSeconds: options.durationSeconds, warmupSeconds: 2 }));
  } finally {
    await bare.stop();
  }
  const server = await startServed(fleet.path);
  try {
    const figures = await load(`${server.info.url}/api/v1/devices?limit=50&sort=score`);
    const ratio = figures.rps / bareFigures.rps;
    log(`served reads: ${Math.round(figures.rps)} req/s, p99 ${figures.p99} ms (${(ratio * 100).toFixed(0)} % of bare ${Math.round(bareFigures.rps)} req/s)`);

    const bodies: string[] = [];
    for (let i = 0; i < events.length; i += perRequest) bodies.push(JSON.stringify({ events: events.slice(i, i + perRequest) }));
    const bodiesFile = `bench/tmp/served-bodies-${process.pid}.json`;
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    let sampled: SampledPostLoad;
    try {
      sampled = await postWhileSampling(LOAD_CHILD, `${server.info.url}/api/v1/events`, { headers, connections: 50, bodiesFile });
    } finally {
      rmSync(bodiesFile, { force: true });
    }
    const { load: ingest, evaluatedMs, lags } = sampled;
    const done = ingest.requests * perRequest;
    const result: ServedResult['ingest'] = {
      events: done,
      perRequest,
      eventsPerSecond: done / ingest.seconds,
      evaluatedEventsPerSecond: done / (evaluatedMs / 1000),
      lagP99Ms: lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? 0,
      lagMaxMs: lags[lags.length - 1] ?? 0,
      non2xx: ingest.non2xx,
      rawRowsPerSecond,
    };
    log(`served ingest: ${Math.round(result.eventsPerSecond)} events/s stored (${((result.eventsPerSecond / rawRowsPerSecond) * 100).toFixed(0)} % of raw), ${Math.round(result.evaluatedEventsPerSecond)} evaluated; queue lag p99 ${result.lagP99Ms} ms`);
    return { reads: { figures, bare: bareFigures, ratio }, ingest: result, rssBytes: await rssOf(server.info.pid) };
  } finally {
    await server.stop();
  }
}

/**
 * Counts the HTTP requests (round trips) the BFF makes to sqld for one `POST /events`
 * of 100 new job events and for one evaluation-queue drain of the devices they marked,
 * and lists what each request carried (statements sent in one turn share a request).
 * The BFF runs in process (`startBff`, background off) over sqld started on a copy of a
 * 10k-device fleet; `globalThis.fetch` is wrapped to see the driver's requests.
 *
 *   npx tsx bench/scale/round-trips.ts
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSqld } from '../../test/scale/sqld.ts';
import { generateFleet, removeFleet } from '../fleet.ts';
import { makeEvents } from '../ingest.ts';
import { openNative } from '../lib/util.ts';

process.chdir(fileURLToPath(new URL('../../', import.meta.url)));
const fleetPath = join('bench/tmp', `rt-fleet-${process.pid}.db`);
const sqldDir = join('bench/tmp', `rt-sqld-${process.pid}`);
const fleet = await generateFleet({ path: fleetPath, devices: 10_000 });
const native = openNative(fleetPath);
native.exec('PRAGMA wal_checkpoint(TRUNCATE)');
native.close();
mkdirSync(join(sqldDir, 'dbs', 'default'), { recursive: true });
copyFileSync(fleetPath, join(sqldDir, 'dbs', 'default', 'data'));
const sqld = await startSqld({ dbPath: sqldDir });

type Step = { stmt?: { sql?: string; sql_id?: number } };
type HranaRequest = { type: string; sql?: string; sql_id?: number; stmt?: { sql?: string; sql_id?: number }; batch?: { steps: Step[] } };
const names = new Map<number, string>();
const describe = (stmt: { sql?: string; sql_id?: number } | undefined) => (stmt?.sql ?? names.get(stmt?.sql_id ?? -1) ?? '?').replace(/\s+/g, ' ').slice(0, 70);
let requests: string[] = [];
const plainFetch = globalThis.fetch;
globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  if (url.startsWith(sqld.url) && url.includes('pipeline')) {
    const body = JSON.parse(input instanceof Request ? await input.clone().text() : String(init?.body ?? '{}')) as { requests?: HranaRequest[] };
    const parts: string[] = [];
    for (const r of body.requests ?? []) {
      if (r.type === 'store_sql') names.set(r.sql_id!, r.sql!);
      else if (r.type === 'execute') parts.push(describe(r.stmt));
      else if (r.type === 'batch') parts.push(`[${r.batch!.steps.map((s) => describe(s.stmt)).join(' ; ')}]`);
      else if (r.type !== 'close') parts.push(r.type);
    }
    requests.push(parts.join(' | '));
  }
  return plainFetch(input, init);
}) as typeof fetch;

const { readEnvironment } = await import('../../bff/env.ts');
const { startBff } = await import('../../bff/start.ts');
const bff = await startBff(readEnvironment({ DATABASE_URL: sqld.url, PORT: '0', HOST: '127.0.0.1', BHM_LOG_LEVEL: 'warn' }), { background: false });
// Drained below, by hand: the kick after the 202 would mix the drain's requests into the POST's.
(bff.services.evaluationQueue as unknown as { options: { autoDrain: boolean } }).options.autoDrain = false;
try {
  const events = makeEvents(fleet, 300, 'rt', fleet.now - 14 * 60_000);
  const post = (slice: unknown[]) =>
    plainFetch(`${bff.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${fleet.big.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: slice }) });
  await post(events.slice(0, 100)); // warm-up (statement names, caches)
  await bff.services.evaluationQueue.drain();
  requests = [];
  const reply = await post(events.slice(100, 200));
  console.log(`POST /events (100 job events): ${reply.status}, ${requests.length} requests to sqld:\n  ${requests.join('\n  ')}`);
  requests = [];
  const summary = await bff.services.evaluationQueue.drain();
  console.log(`\nevaluation drain (${summary.evaluated} devices): ${requests.length} requests to sqld:\n  ${requests.join('\n  ')}`);
} finally {
  await bff.close();
  await sqld.stop();
  removeFleet(fleetPath);
  rmSync(sqldDir, { recursive: true, force: true });
}

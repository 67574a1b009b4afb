/**
 * Where a `GET /devices` page's time goes, in process: a 10k-device fleet, 3,000
 * requests through `app.request` under the CPU profiler, then the top self times.
 *   npx tsx bench/profile-reads.ts ['/api/v1/devices?limit=50&sort=score']
 * The profile is written to bench/tmp/profiles/reads.cpuprofile (Chrome DevTools → Performance).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createApp } from '../bff/app.ts';
import { DEFAULT_CONFIG } from '../bff/context.ts';
import { openDatabase } from '../bff/db/client.ts';
import { generateFleet, removeFleet } from './fleet.ts';
import { formatHotspots, summarize } from './lib/profile.ts';

const path = process.argv[2] ?? '/api/v1/devices?limit=50&sort=score';
mkdirSync('bench/tmp/profiles', { recursive: true });
const fleet = await generateFleet({ path: 'bench/tmp/profile-reads.db', devices: 10_000 });
const db = openDatabase({ url: `file:${fleet.path}` });
const { app } = createApp({ db, clock: Date.now, config: { ...DEFAULT_CONFIG, drainEvaluations: false }, instanceId: 'profile-reads' });
const headers = { authorization: `Bearer ${fleet.big.adminKey}` };
const once = async () => {
  const response = await app.request(path, { headers });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  await response.text();
};
for (let i = 0; i < 300; i++) await once(); // JIT and statement cache
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const started = performance.now();
const requests = 3_000;
for (let i = 0; i < requests; i++) await once();
const ms = performance.now() - started;
const { profile } = await session.post('Profiler.stop');
writeFileSync('bench/tmp/profiles/reads.cpuprofile', JSON.stringify(profile));
console.log(`${path}: ${(ms / requests).toFixed(3)} ms per request in process (profiler on)`);
console.log(formatHotspots(summarize(profile as never, 20)));
await db.close();
removeFleet(fleet.path);

/**
 * Where a ping's time goes, in process: the BFF over a fresh database with 100 devices,
 * pings through `app.request` in waves of 50 at once (as 50 keep-alive connections
 * deliver them), the evaluation queue draining as in production; prints ms per ping,
 * the per-statement SQL time and, with `--profile`, the top self times.
 *   npx tsx bench/profile-ping.ts [pings] [--profile]
 * The profile is written to bench/tmp/profiles/ping.cpuprofile.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createApp } from '../bff/app.ts';
import { DEFAULT_CONFIG } from '../bff/context.ts';
import { startCheckpointer } from '../bff/db/checkpointer.ts';
import { openDatabase } from '../bff/db/client.ts';
import { migrate } from '../bff/db/migrate.ts';
import { bootstrapTenant } from '../bff/services/tenants.ts';
import { formatHotspots, summarize } from './lib/profile.ts';
import { formatStatements, instrument } from './lib/sql-timing.ts';

const pings = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20_000);
const profiling = process.argv.includes('--profile');
const WAVE = 50;
const DEVICES = 100;
mkdirSync('bench/tmp/profiles', { recursive: true });
const path = `bench/tmp/profile-ping-${process.pid}.db`;
// Removed on exit however the run ends.
process.on('exit', () => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
});
const plain = openDatabase({ url: `file:${path}` });
await migrate(plain);
await bootstrapTenant(plain, 'bhk_profile_ping', Date.now());
// As the server runs (bff/start.ts): WAL checkpoints in a worker thread, not in the COMMITs.
const checkpointer = await startCheckpointer(plain, path);
const timing = instrument(plain);
const { app, services } = createApp(
  { db: timing.db, databaseOptions: { url: `file:${path}` }, clock: Date.now, config: DEFAULT_CONFIG, instanceId: 'profile-ping' },
  { ping: { rateLimit: { perSecond: 1e9, burst: 1e9, maxKeys: 10_000 } } },
);
const headers = { Authorization: 'Bearer bhk_profile_ping', 'Content-Type': 'application/json' };
const put = async (p: string, body: unknown) => {
  const response = await app.request(`/api/v1/${p}`, { method: 'PUT', headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${p}: ${response.status} ${await response.text()}`);
};
await put('clients/bench', { name: 'Bench' });
await put('policies/hourly', { name: 'Hourly', intervalHours: 1 });
for (let n = 0; n < DEVICES; n++) await put(`devices/bench-ping-${n}`, { clientId: 'bench', name: `BENCH-PING-${n}`, kind: 'server', policyId: 'hourly', pingSlug: `bench-ping-${n}` });
const { pingKey } = (await (await app.request('/api/v1/settings/ingest', { headers })).json()) as { pingKey: string };

let sent = 0;
const wave = () =>
  Promise.all(
    Array.from({ length: WAVE }, async () => {
      const response = await app.request(`/ping/${pingKey}/bench-ping-${sent++ % DEVICES}`);
      if (response.status !== 200) throw new Error(`ping answered ${response.status}: ${await response.text()}`);
      await response.text();
    }),
  );
for (let i = 0; i < 2_000 / WAVE; i++) await wave(); // JIT and statement cache
await services.evaluationQueue.drain();
timing.reset();
const session = new Session();
if (profiling) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < pings / WAVE; i++) await wave();
await services.evaluationQueue.drain();
const ms = performance.now() - started;
const { user, system } = process.cpuUsage(cpu);
console.log(`${pings} pings: ${((ms * 1000) / pings).toFixed(0)} µs per ping in process, ${((user + system) / pings).toFixed(0)} µs CPU (${Math.round((pings * 1000) / ms)} pings/s${profiling ? ', profiler on' : ''}), queue drained`);
console.log(formatStatements(timing.report(14)));
if (profiling) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync('bench/tmp/profiles/ping.cpuprofile', JSON.stringify(profile));
  console.log(formatHotspots(summarize(profile as never, 25)));
}
await services.evaluationQueue.stop();
await checkpointer.stop();
await plain.close();
process.exit(0);

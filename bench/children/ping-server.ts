/**
 * The BFF as the ping benchmark runs it: `startBff` in its own process on a fresh
 * database, with one client, a policy and DEVICES devices pinged as `bench-ping-{n}`, and the
 * per-key rate limit lifted (it exists to stop one tenant's runaway script, and would
 * otherwise be all a single-key load measures; the limiter's own work stays in).
 *   node --import tsx bench/children/ping-server.ts <db file>
 * Prints `READY {"url", "pid", "pingKey", "devices"}`; SIGTERM closes it.
 */
import { randomBytes } from 'node:crypto';
import { readEnvironment } from '../../bff/env.ts';
import { startBff } from '../../bff/start.ts';

const [dbPath] = process.argv.slice(2);
if (!dbPath) throw new Error('usage: ping-server.ts <db file>');
const adminKey = `bhk_bench_${randomBytes(16).toString('hex')}`;
const environment = readEnvironment({ DATABASE_URL: `file:${dbPath}`, PORT: '0', HOST: '127.0.0.1', BHM_BOOTSTRAP_KEY: adminKey, BHM_LOG_LEVEL: 'warn' });
const bff = await startBff(environment, { background: false, ping: { rateLimit: { perSecond: 1e9, burst: 1e9, maxKeys: 10_000 } } });

const put = async (path: string, body: unknown) => {
  const response = await fetch(`${bff.url}/api/v1/${path}`, { method: 'PUT', headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
};
await put('clients/bench', { name: 'Bench' });
await put('policies/hourly', { name: 'Hourly', intervalHours: 1 });
const DEVICES = 100;
for (let n = 0; n < DEVICES; n++) await put(`devices/bench-ping-${n}`, { clientId: 'bench', name: `BENCH-PING-${n}`, kind: 'server', policyId: 'hourly', pingSlug: `bench-ping-${n}` });
const ingest = (await (await fetch(`${bff.url}/api/v1/settings/ingest`, { headers: { Authorization: `Bearer ${adminKey}` } })).json()) as { pingKey: string };

process.stdout.write(`READY ${JSON.stringify({ url: bff.url, pid: process.pid, pingKey: ingest.pingKey, devices: DEVICES })}\n`);
process.on('SIGTERM', () => {
  bff.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});

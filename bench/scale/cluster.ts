/**
 * HTTP throughput through 1, 2 and 3 BFF instances (separate processes) over one sqld,
 * with one instance over a local libSQL file measured in the same run as the baseline.
 * autocannon spreads its connections round-robin over the instances' URLs, as a load
 * balancer would.
 *
 *   npx tsx bench/scale/cluster.ts [--duration 10] [--connections 50] [--ingest-connections 4] [--devices 2000] [--max 3]
 *
 * Figures:
 *   - GET /api/v1/devices?limit=50 (a 50-row page, sorted by score): req/s, p50/p99 latency
 *   - POST /api/v1/events, 100 new job events per request: events/s
 * Note the machine: every instance, sqld and autocannon share its cores (printed).
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOTSTRAP_KEY, request, startInstance, type Instance } from '../../test/scale/cluster.ts';
import { startSqld } from '../../test/scale/sqld.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<AutocannonResult>;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 10);
const CONNECTIONS = arg('connections', 50);
const DEVICES = arg('devices', 2000);
const MAX = arg('max', 3);
/** Writers serialize in the database: a few concurrent ingest clients saturate it. */
const INGEST_CONNECTIONS = arg('ingest-connections', 4);
const CLIENTS = 20;
const now = Date.now();

/** Seeds `default`'s fleet through the API: CSV import of the devices, then one day of jobs each. */
async function seed(url: string) {
  const lines = ['id,name,clientId,clientName,kind,policyId,policyName,intervalHours'];
  for (let d = 0; d < DEVICES; d++) lines.push(`dev-${d},Device ${d},c${d % CLIENTS},Client ${d % CLIENTS},${d % 5 ? 'workstation' : 'server'},daily,Daily,24`);
  const imported = await request(url, 'POST', 'import/devices', { token: BOOTSTRAP_KEY, raw: lines.join('\n'), headers: { 'content-type': 'text/csv' } });
  if (imported.status >= 300) throw new Error(`import failed: ${imported.status} ${imported.text}`);
  const events = [];
  for (let d = 0; d < DEVICES; d++) {
    const started = now - (22 + (d % 30)) * 3_600_000;
    const status = d % 7 === 0 ? 'failed' : 'success';
    events.push({ type: 'job', id: `seed-${d}`, deviceId: `dev-${d}`, status, startedAt: new Date(started).toISOString(), endedAt: new Date(started + 600_000).toISOString() });
  }
  // 100-event batches: over sqld a batch costs ~4.5 round trips per event inside one write
  // transaction, and sqld rolls back a transaction that holds the lock > 5 s while another waits.
  for (let i = 0; i < events.length; i += 100) {
    const reply = await request(url, 'POST', 'events', { token: BOOTSTRAP_KEY, body: { events: events.slice(i, i + 100) } });
    if (reply.status !== 202) throw new Error(`seed events failed: ${reply.status} ${reply.text}`);
  }
}

/** Seeds through one instance; on failure, shows what the instance logged. */
async function seedThrough(instance: Instance) {
  try {
    await seed(instance.url);
  } catch (error) {
    const errors = instance.logs().filter((l) => l.level === 'error').slice(0, 3);
    throw new Error(`${String(error)}\n${errors.map((l) => JSON.stringify(l)).join('\n')}`);
  }
}

async function load(urls: string[], options: { path: string; method?: string; body?: () => string; seconds?: number; connections?: number }): Promise<AutocannonResult> {
  const method = options.method ?? 'GET';
  return autocannon({
    url: urls,
    headers: { authorization: `Bearer ${BOOTSTRAP_KEY}`, 'content-type': 'application/json' },
    requests: [
      {
        method,
        path: options.path,
        ...(options.body ? { setupRequest: (req: object) => ({ ...req, body: options.body!() }) } : {}),
      },
    ],
    connections: options.connections ?? CONNECTIONS,
    duration: options.seconds ?? DURATION,
    timeout: 30,
  });
}

const env = (databaseUrl: string) => ({ DATABASE_URL: databaseUrl, BHM_BOOTSTRAP_KEY: BOOTSTRAP_KEY, BHM_SWEEP_INTERVAL_S: '3600' });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

let batchNo = 0;
/**
 * 100 new job events (fresh ids) for devices spread over the fleet. Times move forward
 * batch by batch from 20 h ago (as real agents report), so each event is a device's
 * newest and folds incrementally; out-of-order history takes the slower rebuild path.
 */
function eventsBody(): string {
  const n = batchNo++;
  const events = Array.from({ length: 100 }, (_, k) => {
    const started = now - 20 * 3_600_000 + n * 1000 + k;
    return { type: 'job', id: `bench-${n}-${k}`, deviceId: `dev-${(n * 37 + k * 101) % DEVICES}`, status: 'success', startedAt: new Date(started).toISOString(), endedAt: new Date(started + 500).toISOString() };
  });
  return JSON.stringify({ events });
}

interface Row {
  setup: string;
  reads: AutocannonResult;
  ingest?: AutocannonResult;
  /** Server-side errors logged during the run, by first line. */
  errors: Map<string, number>;
}

async function measure(setup: string, running: Instance[], withIngest: boolean): Promise<Row> {
  const urls = running.map((i) => i.url);
  const marks = running.map((i) => i.logs().length);
  await load(urls, { path: '/api/v1/devices?limit=50', seconds: 2 }); // warm-up
  const reads = await load(urls, { path: '/api/v1/devices?limit=50' });
  let ingest: AutocannonResult | undefined;
  if (withIngest) {
    ingest = await load(urls, { path: '/api/v1/events', method: 'POST', body: eventsBody, connections: INGEST_CONNECTIONS });
  }
  const errors = new Map<string, number>();
  running.forEach((instance, n) => {
    for (const line of instance.logs().slice(marks[n])) {
      if (line.level !== 'error') continue;
      const key = `${line.message}: ${String(line.error ?? '').split('\n')[0]!.slice(0, 160)}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  });
  return { setup, reads, ingest, errors };
}

const rows: Row[] = [];
const instances: Instance[] = [];
const sqld = await startSqld();
const dir = mkdtempSync(join(tmpdir(), 'bh-bench-cluster-'));
try {
  // Baseline: one instance over a local file.
  const localUrl = `file:${join(dir, 'local.db')}`;
  const local = await startInstance('local', env(localUrl));
  instances.push(local);
  await seedThrough(local);
  const withIngest = true;
  rows.push(await measure('1 instance, local file', [local], withIngest));
  await local.stop();

  for (let n = 1; n <= MAX; n++) {
    const instance = await startInstance(`bff-${n - 1}`, env(sqld.url));
    instances.push(instance);
    if (n === 1) await seedThrough(instance);
    rows.push(await measure(`${n} instance${n > 1 ? 's' : ''}, sqld`, instances.slice(1).filter((i) => i.alive), withIngest));
  }

  const cpu = cpus();
  console.log(`\n${cpu.length} × ${cpu[0]?.model ?? 'CPU'}; ${CONNECTIONS} connections, ${DURATION} s each; ${fmt(DEVICES)} devices`);
  console.log('\nGET /api/v1/devices?limit=50');
  console.log('setup | req/s | p50 ms | p99 ms | non-2xx | errors | vs 1 sqld instance');
  const base = rows[1]?.reads.requests.average ?? 1;
  for (const r of rows) {
    console.log([r.setup, fmt(r.reads.requests.average), r.reads.latency.p50, r.reads.latency.p99, r.reads.non2xx, r.reads.errors + r.reads.timeouts, `${(r.reads.requests.average / base).toFixed(2)}×`].join(' | '));
  }
  if (withIngest) {
    console.log(`\nPOST /api/v1/events (100 new job events per request, ${INGEST_CONNECTIONS} connections)`);
    console.log('setup | batches/s | events/s | p50 ms | p99 ms | non-2xx | errors');
    for (const r of rows) {
      const i = r.ingest!;
      console.log([r.setup, fmt(i.requests.average), fmt(i.requests.average * 100), i.latency.p50, i.latency.p99, i.non2xx, i.errors + i.timeouts].join(' | '));
    }
  }
  for (const r of rows) {
    if (r.errors.size === 0) continue;
    console.log(`\nserver errors logged, ${r.setup}:`);
    for (const [message, count] of r.errors) console.log(`  ${count} × ${message}`);
  }
} finally {
  await Promise.allSettled(instances.map((i) => i.stop()));
  await sqld.stop();
  rmSync(dir, { recursive: true, force: true });
}

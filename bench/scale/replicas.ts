/**
 * Scale-out with embedded replicas (issue #19), black-box: the compiled server
 * (`dist/server/server.js`, background work on, as `npm run serve` runs it) in its own
 * process, autocannon (bench/children/load.mjs) in its own, over one fleet in three
 * setups measured back to back in the same run:
 *   1. local file      DATABASE_URL=file:… (the baseline of the read target);
 *   2. sqld            DATABASE_URL=http://… (the primary alone: the ingest baseline);
 *   3. sqld + replica  DATABASE_URL=http://… DATABASE_REPLICA_PATH=… (reads from the replica).
 * The fleet is bench/fleet.ts's (generated into a file, then handed to sqld as its
 * database file: sqld rebuilds its replication log from it at start).
 * Per setup: `GET /api/v1/devices?limit=50&sort=score` (50 connections), then
 * `POST /api/v1/events` (100 new job events per request), with /readyz's evaluation
 * lag sampled every 100 ms and the time until the queue is empty again.
 *
 *   npx tsx bench/scale/replicas.ts [--quick] [--devices N] [--events N] [--duration S]
 *                                    [--connections 50] [--ingest-connections 50] [--keep]
 * Writes bench/results-scale.json and bench/results-scale.md (see bench/README.md).
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSqld } from '../../test/scale/sqld.ts';
import { generateFleet, removeFleet, type FleetInfo } from '../fleet.ts';
import { makeEvents } from '../ingest.ts';
import { runJson } from '../lib/children.ts';
import { buildServer, postWhileSampling, startServedServer, type SampledPostLoad, type ServedServer } from '../lib/served-server.ts';
import { openNative, rssOf } from '../lib/util.ts';
import type { LoadFigures } from '../reads.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
process.chdir(root);
const TMP = 'bench/tmp';
const LOAD_CHILD = fileURLToPath(new URL('../children/load.mjs', import.meta.url));
/** The issue's figure for one instance over sqld (cluster.ts, before the evaluation queue). */
const ISSUE_SQLD_EVENTS_PER_S = 2_970;
const PER_REQUEST = 100;

// ------------------------------------------------------------------ flags

function flags(argv: string[]) {
  const has = (name: string) => argv.includes(`--${name}`);
  const number = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return Math.round(n);
  };
  const quick = has('quick');
  return {
    quick,
    devices: number('devices', quick ? 10_000 : 100_000),
    events: number('events', quick ? 20_000 : 50_000),
    durationSeconds: number('duration', quick ? 5 : 10),
    connections: number('connections', 50),
    ingestConnections: number('ingest-connections', 50),
    keep: has('keep'),
  };
}
const options = flags(process.argv.slice(2));
const started = performance.now();
const log = (message: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}\n`);
const round = (n: number) => Math.round(n).toLocaleString('en-US');
const percent = (n: number) => `${Math.round(n * 100)} %`;

// ------------------------------------------------------------------ measures

interface IngestFigures {
  events: number;
  /** Events/s answered 202 (stored and marked for evaluation). */
  storedPerSecond: number;
  /** Events/s until the evaluation queue was empty again (stored and evaluated). */
  evaluatedPerSecond: number;
  /** Time from the last 202 until the queue was empty (ms). */
  drainAfterMs: number;
  /** /readyz's evaluation lag, sampled every 100 ms from the start of the load: p99 and max (ms). */
  lagP99Ms: number;
  lagMaxMs: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

interface SetupResult {
  name: string;
  env: Record<string, string>;
  reads: LoadFigures;
  ingest: IngestFigures;
  rssBytes: number;
  /** Error lines the server logged during the setup (first lines, deduplicated). */
  serverErrors: string[];
  /** Replica only: /readyz's replica lag after the loads (ms). */
  replicaLagMs?: number;
  /** Replica only: the share of the read load's plain reads served by the replica (bhm_replica_reads_total). */
  replicaShare?: number;
}

/** `bhm_replica_reads_total` by source (zeros without a replica). */
async function replicaReads(url: string): Promise<{ replica: number; primary: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (source: string) => Number(new RegExp(`^bhm_replica_reads_total\\{source="${source}"\\} (\\S+)`, 'm').exec(text)?.[1] ?? 0);
  return { replica: value('replica'), primary: value('primary') };
}

const readyz = async (url: string) => (await (await fetch(`${url}/readyz`)).json()) as { status: string; replica?: { lagMs: number } };

/** Waits until the replica has synced (its lag fell between two samples) and is fresh. */
async function replicaSynced(server: ServedServer): Promise<number> {
  const since = performance.now();
  let previous = Number.POSITIVE_INFINITY;
  for (;;) {
    const body = await readyz(server.url).catch(() => null);
    const lag = body?.replica?.lagMs;
    if (lag !== undefined && lag < previous && lag < 2_000 && body?.status === 'ready' && previous !== Number.POSITIVE_INFINITY) return performance.now() - since;
    if (lag !== undefined) previous = lag;
    if (performance.now() - since > 600_000) throw new Error(`the replica did not sync within 10 min:\n${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function readLoad(fleet: FleetInfo, url: string): Promise<LoadFigures> {
  return runJson<LoadFigures>(
    LOAD_CHILD,
    JSON.stringify({
      url: `${url}/api/v1/devices?limit=50&sort=score`,
      headers: { authorization: `Bearer ${fleet.big.adminKey}` },
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: 2,
    }),
  );
}

async function ingestLoad(fleet: FleetInfo, url: string, tag: string, base: number): Promise<IngestFigures> {
  const events = makeEvents(fleet, options.events, tag, base);
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += PER_REQUEST) bodies.push(JSON.stringify({ events: events.slice(i, i + PER_REQUEST) }));
  const bodiesFile = join(TMP, `scale-bodies-${process.pid}.json`);
  writeFileSync(bodiesFile, JSON.stringify(bodies));
  let sampled: SampledPostLoad;
  try {
    sampled = await postWhileSampling(LOAD_CHILD, `${url}/api/v1/events`, { headers: { authorization: `Bearer ${fleet.big.adminKey}` }, connections: options.ingestConnections, bodiesFile });
  } finally {
    rmSync(bodiesFile, { force: true });
  }
  const { load, evaluatedMs, lags } = sampled;
  const storedMs = load.seconds * 1000;
  // Only 202s count as stored events.
  const stored = (load.requests - load.non2xx - load.errors) * PER_REQUEST;
  return {
    events: stored,
    storedPerSecond: stored / load.seconds,
    evaluatedPerSecond: stored / (evaluatedMs / 1000),
    drainAfterMs: Math.max(0, evaluatedMs - storedMs),
    lagP99Ms: lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))] ?? 0,
    lagMaxMs: lags[lags.length - 1] ?? 0,
    p50: load.p50,
    p99: load.p99,
    non2xx: load.non2xx,
    errors: load.errors + load.timeouts,
  };
}

const errorLines = (stderr: string) => [
  ...new Set(
    stderr
      .split('\n')
      .filter((line) => line.includes('"level":"error"'))
      .map((line) => line.slice(0, 240)),
  ),
];

async function measureSetup(fleet: FleetInfo, name: string, env: Record<string, string>, events: { tag: string; base: number }): Promise<SetupResult> {
  log(`${name}: starting dist/server/server.js`);
  const server = await startServedServer(env);
  children.add(server.child);
  try {
    if (env.DATABASE_REPLICA_PATH) log(`${name}: replica synced after ${round(await replicaSynced(server))} ms`);
    const before = await replicaReads(server.url);
    const reads = await readLoad(fleet, server.url);
    const after = await replicaReads(server.url);
    const fromReplica = after.replica - before.replica;
    const fromPrimary = after.primary - before.primary;
    // The share of plain reads (every query outside a transaction) the replica served during the read load.
    const replicaShare = env.DATABASE_REPLICA_PATH ? fromReplica / Math.max(1, fromReplica + fromPrimary) : undefined;
    log(`${name}: GET /devices ${round(reads.rps)} req/s, p50 ${reads.p50} ms, p99 ${reads.p99} ms${replicaShare === undefined ? '' : `; ${percent(replicaShare)} of reads from the replica`}`);
    const ingest = await ingestLoad(fleet, server.url, events.tag, events.base);
    log(`${name}: POST /events ${round(ingest.storedPerSecond)} events/s stored, ${round(ingest.evaluatedPerSecond)} evaluated; lag p99 ${round(ingest.lagP99Ms)} ms`);
    const replicaLagMs = env.DATABASE_REPLICA_PATH ? (await readyz(server.url)).replica?.lagMs : undefined;
    const rssBytes = await rssOf(server.pid);
    return { name, env, reads, ingest, rssBytes, serverErrors: errorLines(server.stderr()), ...(replicaLagMs !== undefined ? { replicaLagMs, replicaShare } : {}) };
  } finally {
    await server.stop();
    children.delete(server.child);
  }
}

// ------------------------------------------------------------------ run

const loadStart = loadavg();
mkdirSync(TMP, { recursive: true });
buildServer();
const fleetPath = join(TMP, `scale-fleet-${process.pid}.db`);
const sqldDir = join(TMP, `scale-sqld-${process.pid}`);
const replicaPath = join(TMP, `scale-replica-${process.pid}.db`);
const cleanup = () => {
  if (options.keep) return;
  removeFleet(fleetPath);
  rmSync(sqldDir, { recursive: true, force: true });
  for (const suffix of ['', '-wal', '-shm', '-info', '-client_wal_index']) rmSync(replicaPath + suffix, { force: true });
};

/** sqld and the running server: killed when this process is interrupted. */
const children = new Set<import('node:child_process').ChildProcess>();
// Interrupted (Ctrl-C, or a runner's SIGTERM): the temporary databases go too.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of children) child.kill('SIGKILL');
    cleanup();
    process.exit(130);
  });
}

log(`fleet: ${round(options.devices)} devices`);
const fleet = await generateFleet({ path: fleetPath, devices: options.devices, log: () => undefined });
log(`fleet generated in ${fleet.seconds.toFixed(1)} s (${round(fleet.rows.jobs)} jobs)`);

// sqld's database is a copy of the fleet file: checkpointed first so the file is whole.
const native = openNative(fleetPath);
native.exec('PRAGMA wal_checkpoint(TRUNCATE)');
native.close();
mkdirSync(join(sqldDir, 'dbs', 'default'), { recursive: true });
copyFileSync(fleetPath, join(sqldDir, 'dbs', 'default', 'data'));
const sqld = await startSqld({ dbPath: sqldDir, timeoutMs: 120_000 });
children.add(sqld.process);
log(`sqld ${sqld.url} started on a copy of the fleet`);

// Events newer than the fleet's history; the second sqld setup's newer than the first's.
const base = fleet.now - 14 * 60_000;
const rounds = Math.ceil(options.events / fleet.big.devices);
const later = base + rounds * 2_000 + 60_000;
const setups: SetupResult[] = [];
try {
  setups.push(await measureSetup(fleet, 'local file', { DATABASE_URL: `file:${fleetPath}` }, { tag: 'loc', base }));
  setups.push(await measureSetup(fleet, 'sqld', { DATABASE_URL: sqld.url }, { tag: 'sq', base }));
  setups.push(await measureSetup(fleet, 'sqld + replica', { DATABASE_URL: sqld.url, DATABASE_REPLICA_PATH: replicaPath }, { tag: 'rep', base: later }));
} finally {
  await sqld.stop();
  cleanup();
}

// ------------------------------------------------------------------ report

const [local, primary, replica] = setups as [SetupResult, SetupResult, SetupResult];
const ratios = {
  readsReplicaVsLocal: replica.reads.rps / local.reads.rps,
  readsSqldVsLocal: primary.reads.rps / local.reads.rps,
  ingestReplicaVsIssue: replica.ingest.storedPerSecond / ISSUE_SQLD_EVENTS_PER_S,
  ingestReplicaVsSqld: replica.ingest.storedPerSecond / primary.ingest.storedPerSecond,
  ingestSqldVsIssue: primary.ingest.storedPerSecond / ISSUE_SQLD_EVENTS_PER_S,
};
const loadEnd = loadavg();
const cpu = cpus();
const results = {
  at: new Date().toISOString(),
  machine: { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', node: process.version, loadAverageStart: loadStart, loadAverageEnd: loadEnd },
  options,
  fleet: { devices: fleet.devices, bigTenantDevices: fleet.big.devices, rows: fleet.rows },
  seconds: (performance.now() - started) / 1000,
  setups: setups.map(({ env, ...rest }) => ({ ...rest, databaseUrl: env.DATABASE_URL!.startsWith('file:') ? 'file' : 'sqld', replica: Boolean(env.DATABASE_REPLICA_PATH) })),
  ratios,
  targets: {
    readsReplicaVsLocal: { target: 0.8, met: ratios.readsReplicaVsLocal >= 0.8 },
    ingestReplicaVsIssue: { target: 2, met: ratios.ingestReplicaVsIssue >= 2 },
  },
};

const la = (l: number[]) => l.map((n) => n.toFixed(2)).join(' / ');
const md: string[] = [];
md.push(`Scale-out with replicas — ${results.at}, ${cpu.length} × ${results.machine.model}, Node ${process.version}; load average ${la(loadStart)} at start, ${la(loadEnd)} at end.`);
md.push(`Fleet: ${round(fleet.devices)} devices (big tenant ${round(fleet.big.devices)}), ${round(fleet.rows.jobs)} jobs. Server: dist/server/server.js, background on; autocannon in its own process. Total ${results.seconds.toFixed(0)} s.`);
md.push('');
md.push(`| setup | GET /devices?limit=50&sort=score req/s (p50 / p99 ms) | vs local file | POST /events stored events/s (p99 ms) | stored and evaluated events/s | queue lag p99 / max | vs sqld without replica | vs 2,970 (issue #19) |`);
md.push('|---|---|---|---|---|---|---|---|');
for (const s of setups) {
  md.push(
    `| ${s.name} | ${round(s.reads.rps)} (${s.reads.p50} / ${s.reads.p99})${s.reads.non2xx + s.reads.errors ? `, ${s.reads.non2xx + s.reads.errors} failed` : ''} | ${percent(s.reads.rps / local.reads.rps)} | ${round(s.ingest.storedPerSecond)} (${s.ingest.p99})${s.ingest.non2xx + s.ingest.errors ? `, ${s.ingest.non2xx + s.ingest.errors} failed` : ''} | ${round(s.ingest.evaluatedPerSecond)} | ${(s.ingest.lagP99Ms / 1000).toFixed(2)} / ${(s.ingest.lagMaxMs / 1000).toFixed(2)} s | ${s === local ? '–' : `${(s.ingest.storedPerSecond / primary.ingest.storedPerSecond).toFixed(2)}×`} | ${s === local ? '–' : `${(s.ingest.storedPerSecond / ISSUE_SQLD_EVENTS_PER_S).toFixed(2)}×`} |`,
  );
}
md.push('');
if (replica.replicaShare !== undefined) md.push(`During the read load, the replica served ${percent(replica.replicaShare)} of the replica instance's plain reads (the rest went to the primary: after a write of this instance, until the next sync).`);
md.push(`Targets: reads with replica ≥ 80 % of local file: ${percent(ratios.readsReplicaVsLocal)} — ${results.targets.readsReplicaVsLocal.met ? 'met' : '**missed**'}; POST /events with one instance over sqld ≥ 2× 2,970 = 5,940 events/s: ${round(replica.ingest.storedPerSecond)} (${ratios.ingestReplicaVsIssue.toFixed(2)}×) — ${results.targets.ingestReplicaVsIssue.met ? 'met' : '**missed**'}.`);
md.push(`${options.connections} connections for reads (${options.durationSeconds} s after a 2 s warm-up), ${options.ingestConnections} for ingest (${round(options.events)} events, ${PER_REQUEST} per request).`);
for (const s of setups) if (s.serverErrors.length > 0) md.push(`\nServer errors logged, ${s.name}:\n${s.serverErrors.map((line) => `    ${line}`).join('\n')}`);

writeFileSync('bench/results-scale.json', `${JSON.stringify(results, null, 2)}\n`);
writeFileSync('bench/results-scale.md', `${md.join('\n')}\n`);
console.log(`\n${md.join('\n')}\n`);
log('wrote bench/results-scale.json and bench/results-scale.md');

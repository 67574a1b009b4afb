/**
 * ingest: job events/s through POST /api/v1/events on the real app (createApp over the
 * product's database port, `app.request` in process: routing, auth, validation,
 * storage, fold and evaluation included), against the raw insert rate of the same
 * rows with one reused `libsql` prepared statement in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { createApp } from '../bff/app.ts';
import { DEFAULT_CONFIG } from '../bff/context.ts';
import { startCheckpointer } from '../bff/db/checkpointer.ts';
import { openDatabase } from '../bff/db/client.ts';
import { deviceId, type FleetInfo } from './fleet.ts';
import { profiled, type Hotspot } from './lib/profile.ts';
import { instrument, type StatementCost } from './lib/sql-timing.ts';
import { openNative, tick } from './lib/util.ts';

export interface IngestOptions {
  events: number;
  batch: number;
  /** Stop after this long (a slow product must not stall the run); the rate covers the batches done. */
  budgetMs?: number;
  /** Write a CPU profile of the product run here. */
  profileFile?: string | null;
  log?: (message: string) => void;
}

export interface IngestResult {
  events: number;
  batch: number;
  devices: number;
  /** Set when the budget stopped the run: events posted by then (the rate covers those). */
  timedOut: { budgetMs: number; eventsDone: number } | null;
  /** POST /events through app.request until the last 202 (stored and marked; the queue drains meanwhile, as in production). */
  productEventsPerSecond: number;
  productMs: number;
  /** Until the evaluation queue is empty again: stored and evaluated. */
  evaluatedEventsPerSecond: number;
  evaluatedMs: number;
  evaluatedRatio: number;
  /** Per-batch latency (ms): p50 and max. */
  batchP50Ms: number;
  batchMaxMs: number;
  /** The same rows, one prepared statement, one transaction. */
  rawRowsPerSecond: number;
  rawMs: number;
  ratio: number;
  /** Devices whose state the ingest moved (sanity check: every event must have been folded). */
  foldedDevices: number;
  hotspots: Hotspot[] | null;
  /** Time per SQL statement during the profiled run (profile mode only). */
  statements: StatementCost[] | null;
}

interface JobEvent {
  type: 'job';
  id: string;
  deviceId: string;
  status: 'success' | 'warning' | 'failed';
  startedAt: string;
  endedAt: string;
  bytes: number;
  message?: string;
}

/**
 * Events for the big tenant: each round gives every device one new job, newer than
 * anything stored (the generated history ends 15 min before `fleet.now`; an earlier
 * ingest run on a reused fleet used an earlier `base`), so every event takes the
 * incremental path, as live traffic does.
 */
export function makeEvents(fleet: FleetInfo, count: number, tag: string, base: number): JobEvent[] {
  const devices = fleet.big.devices;
  const events: JobEvent[] = [];
  for (let n = 0; n < count; n++) {
    const round = Math.floor(n / devices);
    const index = n % devices;
    const start = base + round * 2_000;
    const failed = n % 37 === 0;
    events.push({
      type: 'job',
      id: `${tag}-r${round}-${index}`,
      deviceId: deviceId(fleet.big.id, index),
      status: failed ? 'failed' : n % 29 === 0 ? 'warning' : 'success',
      startedAt: new Date(start).toISOString(),
      endedAt: new Date(start + 1_000).toISOString(),
      bytes: 1_000_000 + n,
      ...(failed ? { message: 'Destination unreachable' } : {}),
    });
  }
  return events;
}

/** The baseline: the same job rows inserted with one reused prepared statement in one transaction (then removed). */
export async function rawInsert(fleet: FleetInfo, events: readonly JobEvent[], log: (message: string) => void): Promise<{ rawMs: number; rows: unknown[][] }> {
  const native = openNative(fleet.path);
  native.exec('PRAGMA synchronous = NORMAL');
  native.exec('PRAGMA busy_timeout = 10000');
  const insert = native.prepare(`INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const receivedAt = Date.now();
  const rows = events.map((e) => [fleet.big.id, `raw-${e.id}`, e.deviceId, e.status, Date.parse(e.startedAt), Date.parse(e.endedAt), e.bytes, e.message ?? null, null, receivedAt]);
  const started = performance.now();
  native.exec('BEGIN IMMEDIATE');
  for (const row of rows) insert.run(...row);
  native.exec('COMMIT');
  const rawMs = performance.now() - started;
  log(`ingest baseline: ${rows.length.toLocaleString('en-US')} rows in ${rawMs.toFixed(0)} ms`);
  native.exec('BEGIN IMMEDIATE');
  native.prepare("DELETE FROM jobs WHERE tenant_id = ? AND id LIKE 'raw-%'").run(fleet.big.id);
  native.exec('COMMIT');
  native.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  native.close();
  await tick();
  return { rawMs, rows };
}

export async function benchIngest(fleet: FleetInfo, options: IngestOptions): Promise<IngestResult> {
  const log = options.log ?? (() => undefined);
  const budgetMs = options.budgetMs ?? 90_000;
  const tag = `ing${randomUUID().slice(0, 6)}`;
  // Newer than the history and than any earlier run on this fleet; well inside the accepted clock skew.
  const base = Math.max(fleet.now - 14 * 60_000, Date.now() - 3 * 60_000);
  const events = makeEvents(fleet, options.events, tag, base);
  const batches: string[] = [];
  for (let i = 0; i < events.length; i += options.batch) batches.push(JSON.stringify({ events: events.slice(i, i + options.batch) }));

  // Baseline: the same job rows, one prepared statement, one transaction.
  const { rawMs, rows } = await rawInsert(fleet, events, log);

  // Product: POST /api/v1/events through the real app, sequential batches.
  // With a profile, the port is also timed per statement (small overhead: only then).
  const port = openDatabase({ url: `file:${fleet.path}` });
  const timing = options.profileFile ? instrument(port) : null;
  const db = timing?.db ?? port;
  // As `npm run serve` runs: a worker thread checkpoints the WAL (bff/start.ts).
  const checkpointer = await startCheckpointer(port, fleet.path);
  // As `npm run serve` runs: the instance drains its evaluation queue right after each 202.
  const { app, services } = createApp({ db, clock: Date.now, config: { ...DEFAULT_CONFIG }, instanceId: 'bench-ingest' });
  const headers = { authorization: `Bearer ${fleet.big.adminKey}`, 'content-type': 'application/json' };
  const post = async (body: string) => {
    const response = await app.request('/api/v1/events', { method: 'POST', headers, body });
    if (response.status !== 202) throw new Error(`POST /events answered ${response.status}: ${(await response.text()).slice(0, 2000)}`);
    const answer = (await response.json()) as { accepted: number; duplicates: number };
    if (answer.duplicates !== 0) throw new Error(`POST /events saw ${answer.duplicates} duplicates in a batch of new events`);
    return answer.accepted;
  };
  // Warm-up (JIT, statement cache): one small batch of other events, not counted.
  const warm = makeEvents(fleet, Math.min(200, fleet.big.devices), `${tag}w`, base - 1_000);
  await post(JSON.stringify({ events: warm }));
  await services.evaluationQueue.drain();

  const latencies: number[] = [];
  let accepted = 0;
  timing?.reset();
  const run = await profiled(options.profileFile ?? null, async () => {
    const t0 = performance.now();
    for (const body of batches) {
      const b0 = performance.now();
      accepted += await post(body);
      latencies.push(performance.now() - b0);
      if (performance.now() - t0 > budgetMs) break;
    }
    const stored = performance.now() - t0;
    await services.evaluationQueue.drain();
    return { stored, evaluated: performance.now() - t0 };
  });
  const productMs = run.result.stored;
  const evaluatedMs = run.result.evaluated;
  const done = Math.min(events.length, latencies.length * options.batch);
  if (accepted !== done) throw new Error(`accepted ${accepted} of ${done} events`);
  if (done < events.length) log(`ingest stopped at the ${budgetMs / 1000} s budget after ${done.toLocaleString('en-US')} events`);

  const folded = (await db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM devices WHERE tenant_id = ? AND last_job_status IS NOT NULL AND json_extract(state, '$[3]') >= ?`,
    [fleet.big.id, base],
  ))!.n;
  await services.evaluationQueue.stop();
  await checkpointer.stop();
  await db.close();
  // Every device that received an event must show it in its persisted state.
  const expected = Math.min(done, fleet.big.devices);
  if (folded < expected) log(`ingest: warning: only ${folded} of ${expected} devices show the new jobs in their persisted state`);
  latencies.sort((a, b) => a - b);
  const productEventsPerSecond = done / (productMs / 1000);
  const rawRowsPerSecond = rows.length / (rawMs / 1000);
  const evaluatedEventsPerSecond = done / (evaluatedMs / 1000);
  return {
    events: events.length,
    batch: options.batch,
    devices: fleet.big.devices,
    timedOut: done < events.length ? { budgetMs, eventsDone: done } : null,
    productEventsPerSecond,
    productMs,
    batchP50Ms: latencies[Math.floor(latencies.length / 2)] ?? NaN,
    batchMaxMs: latencies[latencies.length - 1] ?? NaN,
    rawRowsPerSecond,
    rawMs,
    ratio: productEventsPerSecond / rawRowsPerSecond,
    evaluatedEventsPerSecond,
    evaluatedMs,
    evaluatedRatio: evaluatedEventsPerSecond / rawRowsPerSecond,
    foldedDevices: folded,
    hotspots: run.hotspots,
    statements: timing?.report() ?? null,
  };
}

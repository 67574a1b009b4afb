/**
 * Database-level figures over a real sqld (loopback HTTP) through the BFF's database
 * port, with the local `file:` path measured in the same run for a ratio:
 *   - batch insert rate (jobs rows; 500-row multi-VALUES statements in one batch)
 *   - one row per statement (awaited one after another)
 *   - point select latency (primary-key lookup), p50 / p99
 *   - small write transactions (interactive: BEGIN, 2 statements, COMMIT), sequential and 32 at once
 *
 *   npx tsx bench/scale/sqld.ts [--rows 200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database, type SqlValue } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { startSqld } from '../../test/scale/sqld.ts';

const argRows = process.argv.indexOf('--rows');
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 200_000;
const T = Date.UTC(2026, 10, 1);
const tick = () => new Promise((resolve) => setImmediate(resolve));

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(db: Database) {
  await migrate(db);
  const jobRow = (i: number): SqlValue[] => ['t1', `job-${i}`, `dev-${i % 1000}`, i % 10 ? 'success' : 'failed', T + i * 1000, T + i * 1000 + 600_000, 1_000_000 + i, null, null, T + i * 1000];

  // Batch insert: 500-row multi-VALUES statements, 10 statements (5,000 rows) per atomic batch.
  const PER_STATEMENT = 500;
  const values = `(${Array(10).fill('?').join(', ')})`;
  const insertMany = `INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at) VALUES ${Array(PER_STATEMENT).fill(values).join(', ')}`;
  let started = performance.now();
  for (let i = 0; i < ROWS; i += PER_STATEMENT * 10) {
    const statements = [];
    for (let s = 0; s < 10 && i + s * PER_STATEMENT < ROWS; s++) {
      const args: SqlValue[] = [];
      for (let r = 0; r < PER_STATEMENT; r++) args.push(...jobRow(i + s * PER_STATEMENT + r));
      statements.push({ sql: insertMany, args });
    }
    await db.batch(statements);
    await tick();
  }
  const batchRowsPerSecond = ROWS / ((performance.now() - started) / 1000);

  // One row per statement, awaited one after another.
  const single = 'INSERT INTO jobs (tenant_id, id, device_id, status, started_at, ended_at, bytes, message, log_url, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
  const SINGLE = 2000;
  started = performance.now();
  for (let i = 0; i < SINGLE; i++) {
    await db.run(single, jobRow(ROWS + i));
    if (i % 1000 === 0) await tick();
  }
  const singleRowsPerSecond = SINGLE / ((performance.now() - started) / 1000);

  // Point selects.
  const latencies: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const id = `job-${(i * 7919) % ROWS}`;
    const t0 = performance.now();
    const row = await db.get('SELECT id, status, started_at, ended_at, bytes FROM jobs WHERE tenant_id = ? AND id = ?', ['t1', id]);
    latencies.push(performance.now() - t0);
    if (!row) throw new Error(`missing ${id}`);
    if (i % 1000 === 0) await tick();
  }
  latencies.sort((a, b) => a - b);

  // Small interactive write transactions.
  await db.run("INSERT INTO leases (name, holder, expires_at) VALUES ('bench', 'x', 0)");
  const TX = 500;
  const tx = (i: number) =>
    db.transaction(async (t) => {
      const lease = await t.get<{ expires_at: number }>("SELECT expires_at FROM leases WHERE name = 'bench'");
      await t.run("UPDATE leases SET expires_at = ?, holder = ? WHERE name = 'bench'", [lease!.expires_at + 1, `h${i}`]);
    });
  started = performance.now();
  for (let i = 0; i < TX; i++) await tx(i);
  const txSequential = TX / ((performance.now() - started) / 1000);
  started = performance.now();
  let txConcurrent: number | string;
  try {
    for (let i = 0; i < TX; i += 32) await Promise.all(Array.from({ length: Math.min(32, TX - i) }, (_, k) => tx(i + k)));
    txConcurrent = TX / ((performance.now() - started) / 1000);
    const final = await db.get<{ expires_at: number }>("SELECT expires_at FROM leases WHERE name = 'bench'");
    if (final!.expires_at !== 2 * TX) throw new Error(`lost transaction updates: ${final!.expires_at}`);
  } catch (error) {
    txConcurrent = `failed: ${String((error as Error).message ?? error)}`;
  }

  return {
    batchRowsPerSecond,
    singleRowsPerSecond,
    pointSelectP50Ms: percentile(latencies, 50),
    pointSelectP99Ms: percentile(latencies, 99),
    txSequential,
    txConcurrent,
  };
}

const sqld = await startSqld();
const dir = mkdtempSync(join(tmpdir(), 'bh-bench-local-'));
try {
  const remote = openDatabase({ url: sqld.url });
  const r = await measure(remote);
  await remote.close();
  const local = openDatabase({ url: `file:${join(dir, 'bench.db')}` });
  const l = await measure(local);
  await local.close();

  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows: [string, string, string, string][] = [
    ['batch insert (500-row statements, 5,000-row batches)', `${fmt(r.batchRowsPerSecond)} rows/s`, `${fmt(l.batchRowsPerSecond)} rows/s`, `${fmt(l.batchRowsPerSecond / r.batchRowsPerSecond, 1)}×`],
    ['one row per statement, awaited', `${fmt(r.singleRowsPerSecond)} rows/s`, `${fmt(l.singleRowsPerSecond)} rows/s`, `${fmt(l.singleRowsPerSecond / r.singleRowsPerSecond, 1)}×`],
    ['point select p50', `${fmt(r.pointSelectP50Ms, 2)} ms`, `${fmt(l.pointSelectP50Ms, 3)} ms`, `${fmt(r.pointSelectP50Ms / l.pointSelectP50Ms, 0)}×`],
    ['point select p99', `${fmt(r.pointSelectP99Ms, 2)} ms`, `${fmt(l.pointSelectP99Ms, 3)} ms`, `${fmt(r.pointSelectP99Ms / l.pointSelectP99Ms, 0)}×`],
    ['write transaction (read + update), sequential', `${fmt(r.txSequential)} tx/s`, `${fmt(l.txSequential)} tx/s`, `${fmt(l.txSequential / r.txSequential, 1)}×`],
    [
      'write transaction, 32 at once',
      typeof r.txConcurrent === 'number' ? `${fmt(r.txConcurrent)} tx/s` : r.txConcurrent,
      typeof l.txConcurrent === 'number' ? `${fmt(l.txConcurrent)} tx/s` : l.txConcurrent,
      typeof r.txConcurrent === 'number' && typeof l.txConcurrent === 'number' ? `${fmt(l.txConcurrent / r.txConcurrent, 1)}×` : '–',
    ],
  ];
  console.log(`\nsqld (${sqld.url}, loopback HTTP) vs local libsql file — ${fmt(ROWS)} job rows, schema and indexes of bff/db/migrations\n`);
  console.log(['measure', 'sqld', 'local file', 'local/sqld'].join(' | '));
  for (const row of rows) console.log(row.join(' | '));
} finally {
  await sqld.stop();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * ping: pings/s through the product's `/ping/{key}/{slug}` (the BFF in its own process:
 * routing, key lookup, interpretation, storage, evaluation; keep-alive, 50 connections,
 * autocannon in its own process) against a bare Hono endpoint of the same run that finds
 * the device and inserts a row with one prepared statement each. Then mail: report
 * mails/s parsed and stored by the mail inbox (in process: MIME parsing, the Veeam
 * parser, the raw message row, the jobs), a three-VM Veeam report each.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApp } from '../bff/app.ts';
import { DEFAULT_CONFIG } from '../bff/context.ts';
import { openDatabase } from '../bff/db/client.ts';
import { migrate } from '../bff/db/migrate.ts';
import { pingKeyOf } from '../bff/inbound/ping/ping-keys.ts';
import { bootstrapTenant } from '../bff/services/tenants.ts';
import { runJson, startChild } from './lib/children.ts';
import type { LoadFigures } from './reads.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const SERVER_CHILD = here('./children/ping-server.ts');
const BARE_CHILD = here('./children/ping-bare.ts');
const LOAD_CHILD = here('./children/load.mjs');
const VEEAM_REPORT = here('../test/fixtures/mail/veeam-br-success-3-vms.eml');

export interface PingOptions {
  dir: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  /** Report mails delivered in the mail part. */
  mails: number;
  log: (message: string) => void;
}

export interface PingResult {
  connections: number;
  durationSeconds: number;
  product: LoadFigures;
  bare: LoadFigures;
  /** product pings/s ÷ bare pings/s (target ≥ 50 %). */
  ratio: number;
  mail: { messages: number; stored: number; jobs: number; ms: number; perSecond: number };
}

export async function benchPing(options: PingOptions): Promise<PingResult> {
  mkdirSync(options.dir, { recursive: true });
  const dbPath = `${options.dir}/ping-${process.pid}.db`;
  const server = await startChild<{ url: string; pid: number; pingKey: string; devices: number }>(SERVER_CHILD, [dbPath], { timeoutMs: 120_000 });
  // Every connection cycles through the devices' ping URLs, as a fleet's cron jobs would.
  const paths = Array.from({ length: server.info.devices }, (_, n) => `/ping/${server.info.pingKey}/bench-ping-${n}`);
  const load = (url: string) => runJson<LoadFigures>(LOAD_CHILD, JSON.stringify({ url, paths, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds }));
  let pings: Omit<PingResult, 'mail'>;
  try {
    const bare = await startChild<{ url: string; pid: number }>(BARE_CHILD, [dbPath]);
    try {
      options.log(`ping: ${server.info.devices} devices, ${options.connections} connections, ${options.durationSeconds} s each, product then bare`);
      const product = await load(server.info.url);
      const bareFigures = await load(bare.info.url);
      const ratio = product.rps / bareFigures.rps;
      options.log(`ping: product ${Math.round(product.rps)} pings/s (p99 ${product.p99} ms, non-2xx ${product.non2xx}) vs bare ${Math.round(bareFigures.rps)} = ${(ratio * 100).toFixed(0)} %`);
      pings = { connections: options.connections, durationSeconds: options.durationSeconds, product, bare: bareFigures, ratio };
    } finally {
      await bare.stop();
    }
  } finally {
    await server.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  }
  // After both servers stopped: the product's drain of the ping backlog no longer shares the cores with the mail part.
  const mail = await benchMail(`${options.dir}/mail-${process.pid}.db`, options.mails);
  options.log(`mail: ${mail.stored} of ${mail.messages} reports stored (${mail.jobs} jobs) at ${Math.round(mail.perSecond)} mails/s`);
  return { ...pings, mail };
}

/** Report mails/s through the inbox, each a distinct Message-ID (so none is a duplicate). */
async function benchMail(path: string, count: number): Promise<PingResult['mail']> {
  const db = openDatabase({ url: `file:${path}` });
  try {
    await migrate(db);
    const now = Date.now();
    await bootstrapTenant(db, `bhk_bench_mail_${process.pid}`, now);
    const app = createApp({ db, databaseOptions: { url: `file:${path}` }, clock: Date.now, config: DEFAULT_CONFIG, instanceId: 'bench-mail' });
    const headers = { Authorization: `Bearer bhk_bench_mail_${process.pid}`, 'Content-Type': 'application/json' };
    const put = (p: string, body: unknown) => app.app.request(`/api/v1/${p}`, { method: 'PUT', headers, body: JSON.stringify(body) });
    await put('clients/contoso', { name: 'Contoso' });
    await put('policies/daily', { name: 'Daily', intervalHours: 24 });
    for (const name of ['DC01', 'SQL01', 'FS01']) await put(`devices/${name.toLowerCase()}`, { clientId: 'contoso', name, kind: 'server', policyId: 'daily' });
    const tenant = (await db.get<{ id: string }>('SELECT id FROM tenants LIMIT 1'))!.id;
    const address = `${await pingKeyOf(db, tenant)}@reports.bench.test`;
    const template = readFileSync(VEEAM_REPORT, 'latin1');
    const started = performance.now();
    for (let n = 0; n < count; n++) {
      const raw = Buffer.from(template.replace(/^Message-ID: <[^>]+>/m, `Message-ID: <bench-${n}-${now}@vbr01.contoso.local>`), 'latin1');
      await app.services.mailInbox.deliver(raw, [address]);
    }
    const ms = performance.now() - started;
    // The queue drains in this process: stop it before the database closes under it.
    await app.services.evaluationQueue.stop();
    const stored = (await db.get<{ n: number }>('SELECT count(*) AS n FROM inbound_mail'))!.n;
    const jobs = (await db.get<{ n: number }>("SELECT count(*) AS n FROM jobs"))!.n;
    return { messages: count, stored, jobs, ms, perSecond: (count * 1000) / ms };
  } finally {
    await db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

// Runnable alone: `node --import tsx bench/ping.ts` (npm run bench -- --only ping runs it too).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await benchPing({ dir: 'bench/tmp', connections: 50, durationSeconds: 5, warmupSeconds: 1, mails: 200, log: (message) => process.stderr.write(`${message}\n`) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(0);
}

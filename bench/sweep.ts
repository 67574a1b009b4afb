/**
 * sweep: the product's sweep (`services.sweeper.sweep(now)`) with every device due,
 * run in its own process with a time budget, against a bare SQL aggregate over the
 * same data (last success and 7-day success rate per device: one GROUP BY over all jobs).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetInfo } from './fleet.ts';
import type { Hotspot } from './lib/profile.ts';
import type { StatementCost } from './lib/sql-timing.ts';
import { DAY, openNative, tick } from './lib/util.ts';

const SWEEP_CHILD = fileURLToPath(new URL('./children/sweep.ts', import.meta.url));

export interface SweepResult {
  devices: number;
  /** Devices the sweep evaluated (all of them must have been due). */
  evaluated: number;
  /** Wall time of the sweep, best of the runs; null when it did not finish within the budget. */
  sweepMs: number | null;
  sweepRunsMs: number[];
  /** Set when the sweep was stopped at the budget: devices it had evaluated by then. */
  timedOut: { budgetMs: number; evaluatedByThen: number } | null;
  /** Devices still due right after the sweep (must be 0). */
  stillDue: number;
  /** Status changes and alert transitions the sweep made (first run). */
  changed: { devices: number; opened: number; escalated: number; resolved: number };
  /** Bare aggregate over all jobs, best of the runs. */
  aggregateMs: number;
  aggregateRunsMs: number[];
  aggregateRows: number;
  jobs: number;
  /** sweep time / aggregate time (< 1: the sweep is faster than one pass over history). */
  ratio: number;
  hotspots: Hotspot[] | null;
  statements: StatementCost[] | null;
}

export const AGGREGATE_SQL = `SELECT tenant_id, device_id,
  MAX(CASE WHEN status <> 'failed' THEN ended_at END) AS last_success_at,
  SUM(CASE WHEN ended_at >= ?1 AND status <> 'failed' THEN 1 ELSE 0 END) * 1.0 / NULLIF(SUM(ended_at >= ?1), 0) AS success_rate_7d
FROM jobs WHERE ended_at IS NOT NULL GROUP BY tenant_id, device_id`;

export interface SweepOptions {
  runs?: number;
  budgetMs?: number;
  profileFile?: string | null;
  log?: (message: string) => void;
  /** Sweep with calendar schedules (docs/schedules.md) on every policy instead of the fleet's intervals. */
  calendar?: boolean;
}

export async function benchSweep(fleet: FleetInfo, options: SweepOptions = {}): Promise<SweepResult> {
  const log = options.log ?? (() => undefined);
  const runs = options.runs ?? 2;
  const budgetMs = options.budgetMs ?? 120_000;

  // Baseline: one pass over every job.
  const native = openNative(fleet.path);
  native.exec('PRAGMA busy_timeout = 10000');
  const aggregate = native.prepare(AGGREGATE_SQL);
  const jobs = (native.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
  const aggregateRunsMs: number[] = [];
  let aggregateRows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    aggregateRows = aggregate.all(Date.now() - 7 * DAY).length;
    aggregateRunsMs.push(performance.now() - t0);
    await tick();
  }
  const aggregateMs = Math.min(...aggregateRunsMs);
  log(`sweep baseline: aggregate over ${jobs.toLocaleString('en-US')} jobs in ${aggregateMs.toFixed(0)} ms`);

  // Product: in a child process, stopped at the budget.
  const child = spawn(process.execPath, ['--import', 'tsx', SWEEP_CHILD, JSON.stringify({ path: fleet.path, runs, profileFile: options.profileFile ?? null, calendar: options.calendar ?? false })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => {
    err = (err + chunk).slice(-20_000);
    for (const line of String(chunk).split('\n')) if (line.startsWith('sweep run')) log(line);
  });
  const started = Date.now();
  let timedOut = false;
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, budgetMs);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });

  if (timedOut) {
    const evaluatedByThen = (native.prepare('SELECT COUNT(*) AS n FROM devices WHERE next_check_at > 0').get() as { n: number }).n;
    native.close();
    log(`sweep stopped at the ${budgetMs / 1000} s budget: ${evaluatedByThen.toLocaleString('en-US')} of ${fleet.devices.toLocaleString('en-US')} devices evaluated`);
    return {
      devices: fleet.devices, evaluated: evaluatedByThen, sweepMs: null, sweepRunsMs: [], timedOut: { budgetMs, evaluatedByThen }, stillDue: fleet.devices - evaluatedByThen,
      changed: { devices: 0, opened: 0, escalated: 0, resolved: 0 }, aggregateMs, aggregateRunsMs, aggregateRows, jobs, ratio: (Date.now() - started) / aggregateMs,
      hotspots: null, statements: null,
    };
  }
  native.close();
  if (code !== 0) throw new Error(`the sweep child failed (${code}):\n${err}`);
  const result = JSON.parse(out.trim().split('\n').pop()!) as {
    runsMs: number[]; evaluated: number; stillDue: number; changed: SweepResult['changed']; hotspots: Hotspot[] | null; statements: StatementCost[] | null;
  };
  const sweepMs = Math.min(...result.runsMs);
  return {
    devices: fleet.devices,
    evaluated: result.evaluated,
    sweepMs,
    sweepRunsMs: result.runsMs,
    timedOut: null,
    stillDue: result.stillDue,
    changed: result.changed,
    aggregateMs,
    aggregateRunsMs,
    aggregateRows,
    jobs,
    ratio: sweepMs / aggregateMs,
    hotspots: result.hotspots,
    statements: result.statements,
  };
}

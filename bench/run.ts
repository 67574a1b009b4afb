/**
 * `npm run bench`: generates a synthetic fleet into bench/tmp/, runs every benchmark
 * against its same-run baseline, prints the table (markdown, for docs/performance.md) and writes
 * bench/results.json and bench/results.md. See bench/README.md.
 *
 *   npm run bench                      100k devices, growth at 10k and 100k (~10 min)
 *   npm run bench -- --quick           10k devices, shorter loads (smoke run, ~2 min)
 *   npm run bench -- --only reads      one benchmark: fleet | ingest | sweep | reads | served | ping | widgets | memory | growth
 *   npm run bench -- --only ping       pings/s through /ping and mails/s (its own small fleet; ~1 min)
 *   npm run bench -- --only period     GET /compliance?period=30d, one tenant of 100k devices × 30 days (--quick: 10k)
 *   npm run bench -- --growth          adds the 300k-device growth point
 *   npm run bench -- --profile         CPU profiles + per-statement SQL time of ingest and sweep (bench/tmp/profiles)
 *   other flags: --devices N, --events N, --batch N, --duration S, --keep (keep the databases)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateFleet, loadFleet, removeFleet, type FleetInfo } from './fleet.ts';
import { benchIngest, type IngestResult } from './ingest.ts';
import { benchPeriod } from './period.ts';
import { benchPing } from './ping.ts';
import { formatHotspots } from './lib/profile.ts';
import { formatStatements } from './lib/sql-timing.ts';
import { fmt, progress, rssOf } from './lib/util.ts';
import { benchReads, startServer } from './reads.ts';
import { benchServed } from './served.ts';
import { markdownReport, rowsOf, type GrowthPoint, type Results } from './report.ts';
import { benchSweep, type SweepResult } from './sweep.ts';
import { benchWidget, bundleSize, ENTRY, WIDGETS_DIR } from './widgets.ts';

const BENCHMARKS = ['fleet', 'ingest', 'sweep', 'reads', 'served', 'ping', 'period', 'widgets', 'memory', 'growth'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
const TMP = 'bench/tmp';
const PROFILES = `${TMP}/profiles`;

// ------------------------------------------------------------------ flags

function parseFlags(argv: string[]) {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) flags.set(name, inline);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) flags.set(name, argv[++i]!);
    else flags.set(name, true);
  }
  const known = ['devices', 'quick', 'only', 'growth', 'profile', 'events', 'batch', 'duration', 'keep', 'reuse', 'help'];
  for (const name of flags.keys()) if (!known.includes(name)) throw new Error(`Unknown flag --${name} (known: ${known.map((k) => `--${k}`).join(', ')})`);
  const number = (name: string, fallback: number) => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number`);
    return Math.round(n);
  };
  const quick = flags.has('quick');
  const only = flags.get('only');
  if (only !== undefined && (only === true || !(BENCHMARKS as readonly string[]).includes(only))) throw new Error(`--only takes one of ${BENCHMARKS.join(', ')}`);
  return {
    help: flags.has('help'),
    quick,
    devices: number('devices', quick ? 10_000 : 100_000),
    only: (only as Benchmark | undefined) ?? null,
    growth300k: flags.has('growth'),
    profile: flags.has('profile'),
    events: number('events', quick ? 20_000 : 100_000),
    batch: Math.min(5_000, number('batch', 2_500)),
    durationSeconds: number('duration', quick ? 5 : 10),
    keep: flags.has('keep') || flags.has('reuse'),
    reuse: flags.has('reuse'),
  };
}

// ------------------------------------------------------------------ run

const options = parseFlags(process.argv.slice(2));
if (options.help) {
  process.stdout.write(readUsage());
  process.exit(0);
}
const wants = (name: Benchmark) => options.only === null || options.only === name;
const startedAt = new Date();
const loadAtStart = loadavg();
const errors: Results['errors'] = [];
const log = (message: string) => progress(message);

const results: Omit<Results, 'table' | 'finishedAt' | 'durationSeconds'> & Partial<Results> = {
  version: 1,
  startedAt: startedAt.toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: [],
  },
  options: { ...options },
  errors,
};

log(`bench: ${fmt.int(options.devices)} devices${options.quick ? ' (quick)' : ''}${options.only ? `, only ${options.only}` : ''}; load average ${loadAtStart.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`);
if (loadAtStart[0]! > cpus().length) log(`warning: the machine is busy (load ${loadAtStart[0]!.toFixed(1)} > ${cpus().length} cores): absolute figures will be low; the same-run ratios are the ones to read`);
mkdirSync(TMP, { recursive: true });

async function attempt<T>(benchmark: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const message = String((error as Error)?.stack ?? error);
    errors.push({ benchmark, message });
    log(`${benchmark} FAILED: ${message.split('\n').slice(0, 6).join('\n')}`);
    return undefined;
  }
}

async function makeFleet(devices: number, name: string): Promise<FleetInfo> {
  if (options.reuse) {
    const kept = loadFleet(`${TMP}/${name}.db`);
    if (kept && kept.devices === devices) {
      log(`reusing the kept fleet ${TMP}/${name}.db (${fmt.int(devices)} devices; earlier runs may have added to it)`);
      return kept;
    }
  }
  log(`generating ${fmt.int(devices)} devices (${name})`);
  const fleet = await generateFleet({ path: `${TMP}/${name}.db`, devices, log });
  log(`fleet ${name}: ${fmt.int(fleet.rows.jobs)} jobs, ${fmt.int(fleet.rows.storageReports)} storage reports, ${fmt.int(fleet.rows.drTests)} DR tests, ${fmt.int(fleet.rows.alerts)} alerts in ${fleet.seconds.toFixed(1)} s (${fmt.int(fleet.rowsPerSecond)} rows/s)`);
  return fleet;
}

function printEvidence(name: string, hotspots: IngestResult['hotspots'], statements: IngestResult['statements']) {
  if (hotspots) log(`${name} CPU profile, top self time:\n${formatHotspots(hotspots)}`);
  if (statements) log(`${name} time per SQL statement:\n${formatStatements(statements)}`);
}

async function ingestAndSweep(
  fleet: FleetInfo,
  label: string,
  which: { ingest: boolean; sweep: boolean } = { ingest: true, sweep: true },
): Promise<{ ingest?: IngestResult; sweep?: SweepResult }> {
  const profile = (name: string) => (options.profile ? `${PROFILES}/${name}-${label}.cpuprofile` : null);
  const ingest = which.ingest
    ? await attempt(`ingest (${label})`, () => benchIngest(fleet, { events: options.events, batch: options.batch, log, profileFile: profile('ingest') }))
    : undefined;
  if (ingest) {
    log(`ingest (${label}): ${fmt.int(ingest.productEventsPerSecond)} events/s vs raw ${fmt.int(ingest.rawRowsPerSecond)} rows/s = ${fmt.pct(ingest.ratio)}`);
    printEvidence(`ingest (${label})`, ingest.hotspots, ingest.statements);
  }
  const sweep = which.sweep
    ? await attempt(`sweep (${label})`, () => benchSweep(fleet, { runs: 2, budgetMs: options.quick ? 60_000 : 150_000, log, profileFile: profile('sweep') }))
    : undefined;
  if (sweep) {
    log(`sweep (${label}): ${sweep.sweepMs === null ? 'not finished' : fmt.s(sweep.sweepMs)} for ${fmt.int(sweep.evaluated)} devices vs aggregate ${fmt.s(sweep.aggregateMs)}`);
    printEvidence(`sweep (${label})`, sweep.hotspots, sweep.statements);
  }
  return { ingest, sweep };
}

function growthPoint(fleet: FleetInfo, ingest?: IngestResult, sweep?: SweepResult): GrowthPoint | null {
  if (!ingest || !sweep) return null;
  return {
    devices: fleet.devices,
    jobs: fleet.rows.jobs,
    ingestEvents: ingest.timedOut?.eventsDone ?? ingest.events,
    ingestEventsPerSecond: ingest.productEventsPerSecond,
    ingestUsPerEvent: 1e6 / ingest.productEventsPerSecond,
    rawRowsPerSecond: ingest.rawRowsPerSecond,
    sweepMs: sweep.sweepMs,
    sweepUsPerDevice: sweep.sweepMs === null ? null : (sweep.sweepMs * 1000) / sweep.evaluated,
    aggregateMs: sweep.aggregateMs,
  };
}

/** Builds the widget module when it is missing (npm run build writes dist/, which git ignores). */
function ensureWidgetBuild(): string | undefined {
  if (existsSync(`${WIDGETS_DIR}/${ENTRY}`)) return undefined;
  if (!['vite.config.ts', 'vite.config.mjs', 'vite.config.js'].some((f) => existsSync(f))) return 'no vite config in the tree yet';
  log('building the widgets (npm run build)');
  try {
    execFileSync('npm', ['run', 'build'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    return `npm run build failed: ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 300)}`;
  }
  return existsSync(`${WIDGETS_DIR}/${ENTRY}`) ? undefined : `the build wrote no ${WIDGETS_DIR}/${ENTRY}`;
}

const growth: GrowthPoint[] = [];
const growthSizes = options.quick ? [] : [10_000, ...(options.growth300k ? [300_000] : [])].filter((n) => n !== options.devices);
// ping builds its own small database: it needs no generated fleet.
const needMain = options.only === null || (options.only !== 'growth' && options.only !== 'ping' && options.only !== 'period');

// Growth points smaller than the main fleet first.
if (wants('growth')) {
  for (const size of growthSizes.filter((n) => n < options.devices)) {
    const fleet = await makeFleet(size, `growth-${size}`);
    const { ingest, sweep } = await ingestAndSweep(fleet, `${size / 1000}k`);
    const point = growthPoint(fleet, ingest, sweep);
    if (point) growth.push(point);
    if (!options.keep) removeFleet(fleet.path);
  }
}

if (needMain || wants('growth')) {
  const fleet = await makeFleet(options.devices, 'fleet');
  results.fleet = {
    devices: fleet.devices, now: fleet.now, rows: fleet.rows, seconds: fleet.seconds, rowsPerSecond: fleet.rowsPerSecond,
    tenants: 2 + fleet.small.length, bigTenantDevices: fleet.big.devices, widgetTenantDevices: fleet.widget.devices,
  };
  try {
    if (wants('ingest') || wants('sweep') || wants('growth')) {
      const { ingest, sweep } = await ingestAndSweep(fleet, `${options.devices / 1000}k`, {
        ingest: wants('ingest') || wants('growth'),
        sweep: wants('sweep') || wants('growth'),
      });
      if (wants('ingest')) results.ingest = ingest;
      if (wants('sweep')) results.sweep = sweep;
      if (wants('sweep')) {
        // The same fleet with calendar schedules on every policy (docs/schedules.md), reported next to the interval sweep.
        const calendar = await attempt(`sweep, calendar schedules (${options.devices / 1000}k)`, () =>
          benchSweep(fleet, { runs: 2, budgetMs: options.quick ? 60_000 : 150_000, log, calendar: true, profileFile: options.profile ? `${PROFILES}/sweep-calendar-${options.devices / 1000}k.cpuprofile` : null }),
        );
        if (calendar) {
          results.sweepCalendar = calendar;
          log(`sweep, calendar schedules: ${calendar.sweepMs === null ? 'not finished' : fmt.s(calendar.sweepMs)} for ${fmt.int(calendar.evaluated)} devices`);
          printEvidence('sweep, calendar schedules', calendar.hotspots, calendar.statements);
        }
      }
      const point = growthPoint(fleet, ingest, sweep);
      if (point && wants('growth') && !options.quick) growth.push(point);
    }

    if (wants('served')) {
      // After the in-process benchmarks, before the read server: the compiled server as `npm run serve` runs it.
      const served = await attempt('served', () => benchServed(fleet, { durationSeconds: options.durationSeconds, events: options.quick ? 20_000 : 50_000, log }));
      if (served) results.served = served;
    }

    if (wants('reads') || wants('widgets') || wants('memory')) {
      const buildProblem = wants('widgets') ? ensureWidgetBuild() : undefined;
      const server = await attempt('server', () => startServer(fleet.path, WIDGETS_DIR));
      if (server) {
        try {
          const rssAtStart = await rssOf(server.info.pid);
          log(`BFF started (pid ${server.info.pid}, ${fmt.mb(rssAtStart)} RSS)`);
          if (wants('reads') || wants('memory')) {
            const reads = await attempt('reads', () =>
              benchReads(fleet, server.info, { connections: 50, durationSeconds: options.durationSeconds, warmupSeconds: 2, log }),
            );
            if (reads && wants('reads')) results.reads = reads;
            if (reads) {
              const status = await import('node:fs/promises').then((fs) => fs.readFile(`/proc/${server.info.pid}/status`, 'utf8')).catch(() => '');
              const peak = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN) * 1024;
              const rss = await rssOf(server.info.pid);
              const bareRss = reads.bareRssBytes;
              results.memory = { rssBytes: rss, peakRssBytes: peak, rssAtStartBytes: rssAtStart, bareRssBytes: bareRss, ratio: rss / bareRss };
              log(`memory: BFF RSS ${fmt.mb(rss)} (peak ${fmt.mb(peak)}), bare endpoint ${fmt.mb(bareRss)}`);
            }
          }
          if (wants('widgets')) {
            const bundle = bundleSize();
            const timing = buildProblem
              ? null
              : ((await attempt('widgets', () => benchWidget(fleet, server.info.url, { runs: options.quick ? 3 : 5, log }))) ?? null);
            results.widgets = { timing, bundle, ...(buildProblem ? { note: buildProblem } : {}) };
            if (bundle) log(`widget module: ${fmt.kb(bundle.gzipBytes)} gzip (${bundle.files.join(', ')})`);
          }
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    if (!options.keep) removeFleet(fleet.path);
  }
}

if (wants('period')) {
  // Its own fleet: one tenant of every device, 30 days of daily backups.
  const period = await attempt('period', () => benchPeriod({ dir: TMP, devices: options.devices, keep: options.keep, log }));
  if (period) results.period = period;
}

if (wants('ping')) {
  const ping = await attempt('ping', () => benchPing({ dir: TMP, connections: 50, durationSeconds: options.durationSeconds, warmupSeconds: 2, mails: options.quick ? 200 : 1_000, log }));
  if (ping) results.ping = ping;
}

if (wants('growth')) {
  for (const size of growthSizes.filter((n) => n > options.devices)) {
    const fleet = await makeFleet(size, `growth-${size}`);
    const { ingest, sweep } = await ingestAndSweep(fleet, `${size / 1000}k`);
    const point = growthPoint(fleet, ingest, sweep);
    if (point) growth.push(point);
    if (!options.keep) removeFleet(fleet.path);
  }
  growth.sort((a, b) => a.devices - b.devices);
  if (growth.length > 0) results.growth = growth;
}

// ------------------------------------------------------------------ report

const finishedAt = new Date();
results.finishedAt = finishedAt.toISOString();
results.durationSeconds = Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000);
results.machine.loadAverageAtEnd = loadavg();
const complete = { ...results, table: rowsOf(results as Results) } as Results;
// A partial run (--only) does not replace the full run's results.
const base = options.only ? `bench/results-${options.only}` : 'bench/results';
writeFileSync(`${base}.json`, JSON.stringify(complete, null, 2) + '\n');
const markdown = markdownReport(complete);
writeFileSync(`${base}.md`, markdown);
process.stdout.write(`\n${markdown}\nWritten: ${base}.json, ${base}.md${options.profile ? `, ${PROFILES}/*.cpuprofile` : ''}\n`);
process.exit(errors.length > 0 ? 1 : 0);

function readUsage(): string {
  return `npm run bench [-- flags]
  --devices N     fleet size (default 100000; --quick: 10000)
  --quick         10k devices, shorter loads: a smoke run
  --only NAME     one of ${BENCHMARKS.join(', ')}
  --growth        add the 300k-device growth point (slow)
  --profile       CPU profiles and per-statement SQL time for ingest and sweep
  --events N      job events posted in the ingest benchmark (default 100000; --quick: 20000)
  --batch N       events per POST /events (default 2500, at most 5000)
  --duration S    seconds of load per read endpoint (default 10; --quick: 5)
  --keep          keep the generated databases in bench/tmp
  --reuse         use the databases an earlier --keep run left (implies --keep): quick iterations
`;
}

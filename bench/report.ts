/**
 * The results table: every figure beside its same-run baseline, the ratio and the
 * target, as markdown for docs/performance.md.
 *
 *   npx tsx bench/report.ts [bench/results.json]   prints the table of a saved run
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FleetInfo } from './fleet.ts';
import type { IngestResult } from './ingest.ts';
import type { ServedResult } from './served.ts';
import type { PeriodResult } from './period.ts';
import type { PingResult } from './ping.ts';
import type { ReadsResult } from './reads.ts';
import type { SweepResult } from './sweep.ts';
import { fmt } from './lib/util.ts';
import type { BundleSize, WidgetTiming } from './widgets.ts';

export interface GrowthPoint {
  devices: number;
  jobs: number;
  ingestEvents: number;
  ingestEventsPerSecond: number;
  ingestUsPerEvent: number;
  rawRowsPerSecond: number;
  /** null: the sweep did not finish within its budget. */
  sweepMs: number | null;
  sweepUsPerDevice: number | null;
  aggregateMs: number;
}

export interface Results {
  version: 1;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  options: Record<string, unknown>;
  fleet?: Omit<FleetInfo, 'big' | 'widget' | 'small' | 'path'> & { tenants: number; bigTenantDevices: number; widgetTenantDevices: number };
  ingest?: IngestResult;
  served?: ServedResult;
  sweep?: SweepResult;
  /** The sweep with calendar schedules (weekly, monthly, cron) on every policy. */
  sweepCalendar?: SweepResult;
  reads?: ReadsResult;
  ping?: PingResult;
  period?: PeriodResult;
  widgets?: { timing: WidgetTiming | null; bundle: BundleSize | null; note?: string };
  memory?: { rssBytes: number; peakRssBytes: number; rssAtStartBytes: number; bareRssBytes: number; ratio: number };
  growth?: GrowthPoint[];
  errors: { benchmark: string; message: string }[];
  table: Row[];
}

export interface Row {
  benchmark: string;
  measured: string;
  baseline: string;
  ratio: string;
  target: string;
  /** true/false when a target applies and was measured; null otherwise. */
  met: boolean | null;
}

const mark = (met: boolean | null) => (met === null ? '—' : met ? 'yes' : '**no**');

/** The table rows of a run. */
export function rowsOf(results: Omit<Results, 'table'>): Row[] {
  const rows: Row[] = [];
  const { ingest, sweep, sweepCalendar, reads, ping, period, widgets, memory, growth, served } = results;
  if (ingest) {
    const partial = ingest.timedOut ? ` (stopped at ${ingest.timedOut.budgetMs / 1000} s after ${fmt.int(ingest.timedOut.eventsDone)})` : '';
    rows.push({
      benchmark: 'ingest: POST /events (stored, 202)',
      measured: `${fmt.int(ingest.productEventsPerSecond)} job events/s (${fmt.int(ingest.events)} events in batches of ${fmt.int(ingest.batch)}, the queue draining meanwhile; batch p50 ${fmt.ms(ingest.batchP50Ms)})${partial}`,
      baseline: `raw insert of the same rows: ${fmt.int(ingest.rawRowsPerSecond)} rows/s`,
      ratio: fmt.pct(ingest.ratio),
      target: '≥ 50 %',
      met: ingest.ratio >= 0.5,
    });
    if (ingest.evaluatedEventsPerSecond !== undefined) {
      rows.push({
        benchmark: 'ingest: stored and evaluated (queue empty again)',
        measured: `${fmt.int(ingest.evaluatedEventsPerSecond)} job events/s (${fmt.s(ingest.evaluatedMs)} for what the 202s took ${fmt.s(ingest.productMs)})`,
        baseline: `raw insert of the same rows: ${fmt.int(ingest.rawRowsPerSecond)} rows/s`,
        ratio: fmt.pct(ingest.evaluatedRatio),
        target: '≥ 35 %',
        met: ingest.evaluatedRatio >= 0.35,
      });
    }
  }
  if (served) {
    const { reads: r, ingest: i } = served;
    rows.push({
      benchmark: 'served (npm run serve): GET /devices?limit=50&sort=score',
      measured: `${fmt.int(r.figures.rps)} req/s, p50 ${fmt.ms(r.figures.p50)}, p99 ${fmt.ms(r.figures.p99)} (compiled server, background work on)`,
      baseline: `bare devices page: ${fmt.int(r.bare.rps)} req/s, p99 ${fmt.ms(r.bare.p99)}`,
      ratio: fmt.pct(r.ratio),
      target: '≥ 60 %, p99 ≤ 25 ms',
      met: r.ratio >= 0.6 && r.figures.p99 <= 25,
    });
    rows.push({
      benchmark: 'served (npm run serve): POST /events, 50 connections',
      measured: `${fmt.int(i.eventsPerSecond)} events/s stored (${fmt.int(i.events)} events, ${i.perRequest} per request, ${i.non2xx} non-2xx); ${fmt.int(i.evaluatedEventsPerSecond)} events/s stored and evaluated; queue lag p99 ${fmt.ms(i.lagP99Ms)} (max ${fmt.ms(i.lagMaxMs)})`,
      baseline: `raw insert of the same rows: ${fmt.int(i.rawRowsPerSecond)} rows/s`,
      ratio: `${fmt.pct(i.eventsPerSecond / i.rawRowsPerSecond)} / ${fmt.pct(i.evaluatedEventsPerSecond / i.rawRowsPerSecond)}`,
      target: '≥ 50 % / ≥ 35 %, lag p99 ≤ 1 s',
      met: i.eventsPerSecond / i.rawRowsPerSecond >= 0.5 && i.evaluatedEventsPerSecond / i.rawRowsPerSecond >= 0.35 && i.lagP99Ms <= 1000,
    });
  }
  for (const [label, sweep] of [['', results.sweep], [', calendar schedules', sweepCalendar]] as const) {
    if (!sweep) continue;
    rows.push({
      benchmark: `sweep: ${fmt.int(sweep.devices)} devices${label}, all due`,
      measured: sweep.sweepMs === null
        ? `not finished in ${fmt.s(sweep.timedOut!.budgetMs)} (${fmt.int(sweep.timedOut!.evaluatedByThen)} devices evaluated by then)`
        : `${fmt.s(sweep.sweepMs)} (${fmt.num((sweep.sweepMs * 1000) / Math.max(sweep.evaluated, 1), 1)} µs/device)`,
      baseline: `bare SQL aggregate over ${fmt.int(sweep.jobs)} jobs: ${fmt.s(sweep.aggregateMs)}`,
      ratio: sweep.sweepMs === null ? `> ${fmt.num(sweep.ratio, 1)}×` : `${fmt.num(sweep.ratio, 2)}×`,
      target: '≤ 2 s',
      met: sweep.sweepMs !== null && sweep.sweepMs <= 2000 && sweep.stillDue === 0,
    });
  }
  if (reads) {
    for (const target of reads.targets) {
      const base = reads.baselines[target.baseline]!;
      const f = target.figures;
      const failures = f.errors + f.non2xx + f.timeouts;
      rows.push({
        benchmark: `reads: ${target.name}`,
        measured: `${fmt.int(f.rps)} req/s, p50 ${fmt.ms(f.p50)}, p99 ${fmt.ms(f.p99)}${failures ? ` (${fmt.int(failures)} failed)` : ''}`,
        baseline: `${target.baseline}: ${fmt.int(base.rps)} req/s, p99 ${fmt.ms(base.p99)}`,
        ratio: fmt.pct(target.ratio),
        // Issue #19 raised the read target from 50 % to 60 %.
        target: '≥ 60 %, p99 ≤ 25 ms',
        met: target.ratio >= 0.6 && f.p99 <= 25 && failures === 0,
      });
    }
  }
  if (ping) {
    const f = ping.product;
    const failures = f.errors + f.non2xx + f.timeouts;
    rows.push({
      benchmark: 'ping: GET /ping/{key}/{slug}',
      measured: `${fmt.int(f.rps)} pings/s, p50 ${fmt.ms(f.p50)}, p99 ${fmt.ms(f.p99)}${failures ? ` (${fmt.int(failures)} failed)` : ''} (${ping.connections} keep-alive connections)`,
      baseline: `bare Hono, find device + insert row: ${fmt.int(ping.bare.rps)} pings/s`,
      ratio: fmt.pct(ping.ratio),
      target: '≥ 50 %',
      met: ping.ratio >= 0.5 && failures === 0,
    });
    rows.push({
      benchmark: 'mail: report mails parsed and stored',
      measured: `${fmt.int(ping.mail.perSecond)} mails/s (${fmt.int(ping.mail.stored)} of ${fmt.int(ping.mail.messages)} three-VM Veeam reports stored, ${fmt.int(ping.mail.jobs)} jobs)`,
      baseline: '—',
      ratio: '—',
      target: '—',
      met: null,
    });
  }
  if (period) {
    rows.push({
      benchmark: `period report: GET /compliance?period=30d (${fmt.int(period.devices)} devices × ${period.days} days, one tenant)`,
      measured: `${fmt.s(period.reportMs)} (${fmt.int(period.jobs)} jobs, ${fmt.mb(period.responseBytes)} JSON); event-loop delay max ${fmt.ms(period.loop.maxMs)}, GET /me meanwhile p50 ${fmt.ms(period.probe.p50Ms)} / max ${fmt.ms(period.probe.maxMs)}`,
      baseline: `idle server, same probe: loop max ${fmt.ms(period.idleLoop.maxMs)}, GET /me max ${fmt.ms(period.idleProbe.maxMs)}`,
      ratio: '—',
      // Off the event loop: the loop's worst delay during the report stays near the idle server's (the machine's own noise).
      target: '≤ 10 s; loop max ≤ idle + 50 ms',
      met: period.reportMs <= 10_000 && period.loop.maxMs <= period.idleLoop.maxMs + 50,
    });
  }
  if (widgets) {
    const t = widgets.timing;
    rows.push({
      benchmark: `widgets: <backup-health-table> first rows${t ? ` (${fmt.int(t.devices)} devices)` : ''}`,
      measured: t ? `${fmt.ms(t.firstRowMs)} from element creation (painted ${fmt.ms(t.firstRowPaintedMs)}; ${fmt.ms(t.fromNavigationMs)} from navigation)` : `not measured${widgets.note ? `: ${widgets.note}` : ''}`,
      baseline: t ? `plain page, same first request + DOM rows: ${fmt.ms(t.baselineMs)}` : '—',
      ratio: t ? `${fmt.num(t.ratio, 2)}×` : '—',
      target: '≤ 150 ms',
      met: t ? t.firstRowMs <= 150 : null,
    });
    const b = widgets.bundle;
    rows.push({
      benchmark: 'widgets: module size (gzip, without lazy chunks)',
      measured: b ? `${fmt.kb(b.gzipBytes)} (${b.files.join(' + ')}; ${fmt.kb(b.rawBytes)} minified)` : `not built${widgets.note ? `: ${widgets.note}` : ''}`,
      baseline: b && b.lazy.length ? `lazy chunks, not counted: ${b.lazy.map((l) => `${l.file} ${fmt.kb(l.gzipBytes)}`).join(', ')}` : '—',
      ratio: b ? fmt.pct(b.gzipBytes / (35 * 1024)) + ' of budget' : '—',
      target: '≤ 35 KB',
      met: b ? b.gzipBytes <= 35 * 1024 : null,
    });
  }
  if (memory) {
    rows.push({
      benchmark: 'memory: BFF RSS after the read benchmark',
      measured: `${fmt.mb(memory.rssBytes)} (peak ${fmt.mb(memory.peakRssBytes)}; ${fmt.mb(memory.rssAtStartBytes)} after start)`,
      baseline: `bare endpoint process after the same load: ${fmt.mb(memory.bareRssBytes)}`,
      ratio: `${fmt.num(memory.ratio, 1)}×`,
      target: '≤ 300 MB',
      met: memory.rssBytes <= 300 * 1048576,
    });
  }
  if (growth && growth.length > 0) {
    const first = growth[0]!;
    for (const point of growth) {
      const ingestGrowth = point.ingestUsPerEvent / first.ingestUsPerEvent;
      const sweepGrowth = point.sweepUsPerDevice !== null && first.sweepUsPerDevice !== null ? point.sweepUsPerDevice / first.sweepUsPerDevice : NaN;
      rows.push({
        benchmark: `growth: ${fmt.int(point.devices)} devices (${fmt.int(point.jobs)} jobs)`,
        measured: `ingest ${fmt.num(point.ingestUsPerEvent, 1)} µs/event; sweep ${point.sweepUsPerDevice === null ? 'not finished' : `${fmt.num(point.sweepUsPerDevice, 1)} µs/device (${fmt.s(point.sweepMs!)})`}`,
        baseline: point === first ? 'smallest fleet' : `${fmt.int(first.devices)} devices: ${fmt.num(first.ingestUsPerEvent, 1)} µs/event, ${first.sweepUsPerDevice === null ? 'n/a' : `${fmt.num(first.sweepUsPerDevice, 1)} µs/device`}`,
        ratio: point === first ? '1.00× / 1.00×' : `${fmt.num(ingestGrowth, 2)}× / ${fmt.num(sweepGrowth, 2)}×`,
        target: 'per-unit cost flat (linear or better)',
        met: point === first ? null : Number.isFinite(sweepGrowth) ? ingestGrowth <= 1.5 && sweepGrowth <= 1.5 : false,
      });
    }
  }
  for (const error of results.errors) {
    rows.push({ benchmark: `${error.benchmark}: failed`, measured: error.message.split('\n')[0]!.slice(0, 200), baseline: '—', ratio: '—', target: '—', met: false });
  }
  return rows;
}

const escape = (text: string) => text.replaceAll('|', '\\|');

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| Benchmark | Measured | Same-run baseline | Ratio | Target | Met |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${[r.benchmark, r.measured, r.baseline, r.ratio, r.target, mark(r.met)].map(escape).join(' | ')} |`);
  return lines.join('\n');
}

/** The table with a line on the machine and the fleet, ready for docs/performance.md. */
export function markdownReport(results: Results): string {
  const m = results.machine;
  const f = results.fleet;
  const head = [
    `Run ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}; load average ${m.loadAverageAtStart.map((l) => l.toFixed(1)).join(' / ')} at start. ` +
      (f ? `Fleet: ${fmt.int(f.devices)} devices in ${f.tenants} tenants (hot tenant ${fmt.int(f.bigTenantDevices)}), ${fmt.int(f.rows.jobs)} jobs, ${fmt.int(f.rows.storageReports)} storage reports, ${fmt.int(f.rows.drTests)} DR tests, ${fmt.int(f.rows.alerts)} open alerts; generated in ${fmt.num(f.seconds, 1)} s (${fmt.int(f.rowsPerSecond)} rows/s). ` : '') +
      `Total ${fmt.num(results.durationSeconds / 60, 1)} min.`,
    '',
  ];
  return head.join('\n') + markdownTable(results.table) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2] ?? 'bench/results.json';
  process.stdout.write(markdownReport(JSON.parse(readFileSync(file, 'utf8')) as Results));
}

/**
 * A render thread of the RenderPool: builds the compliance report from its own
 * database connection (20k devices: a sort and a fold of every device's state, a
 * second or more) and renders it as PDF or CSV, all off the event loop. It runs at a
 * lower CPU priority than the event loop's thread where the OS allows it. Started with
 * tsx registered under tests and `serve:dev`, and as dist/server/render-worker.js when
 * compiled (scripts/build-server.mjs).
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { totalBreachHours } from '../../../core/compliance-period.ts';
import { openDatabase, type Database, type DatabaseOptions } from '../../db/client.ts';
import { ProblemError } from '../../http/problem.ts';
import { buildComplianceReport } from '../compliance.ts';
import { periodReportFor } from '../compliance-period.ts';
import { SettingsStore } from '../settings-store.ts';
import { viewTimeZone } from '../tenants.ts';
import { complianceCsv, periodCsv } from './csv.ts';
import { compliancePdf } from './pdf.ts';
import { exportFilename } from './report-text.ts';
import { buildPeriodExport } from './period-export.ts';
import { periodFilename, periodPdf } from './period-pdf.ts';
import type { PeriodFigures, RenderReply, RenderRequest, Rendered } from './render-pool.ts';

// Linux: /proc/thread-self names this thread; nice 10 leaves the CPU to the event loop first.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid)) setPriority(tid, 10);
} catch {
  // Not Linux, or not allowed: the worker runs at the process's priority.
}

const database = (workerData as { database: DatabaseOptions | null } | undefined)?.database ?? null;
let db: Database | null = null;

const port = parentPort!;
port.on('message', (request: RenderRequest) => {
  render(request).then(
    (rendered) => port.postMessage({ id: request.id, rendered } satisfies RenderReply),
    (error: unknown) =>
      port.postMessage(
        error instanceof ProblemError
          ? ({ id: request.id, problem: { status: error.status, problem: error.problem } } satisfies RenderReply)
          : ({ id: request.id, error: String((error as Error)?.stack ?? error) } satisfies RenderReply),
      ),
  );
});

async function render({ job }: RenderRequest): Promise<Rendered> {
  if (job.period && job.format === 'json') return periodJson(job);
  if (job.period) return renderPeriod(job);
  if (job.format === 'json') throw new Error('JSON is rendered for a period only.');
  let report = job.report;
  let timeZone = job.timeZone ?? 'UTC';
  if (!report) {
    if (!database) throw new Error('No database to build the report from.');
    db ??= openDatabase(database);
    report = await buildComplianceReport(db, new SettingsStore(db, () => job.now), job.tenantId, job.clientId, job.now);
    timeZone = await viewTimeZone(db, job.tenantId, job.clientId);
  }
  const filename = exportFilename(report, job.format);
  if (job.format === 'csv') return { filename, output: complianceCsv(report) };
  const pdf = await compliancePdf(report, timeZone);
  return { filename, output: new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength) };
}

/** `GET /compliance?period|from&to`: the period report, built and serialized here so the server's event loop only passes the text on. */
async function periodJson(job: RenderRequest['job']): Promise<Rendered> {
  let report = job.periodReport;
  if (!report) {
    if (!database) throw new Error('No database to build the report from.');
    db ??= openDatabase(database);
    report = await periodReportFor(db, new SettingsStore(db, () => job.now), job.tenantId, job.clientId, job.period!, job.now);
  }
  return { filename: '', output: JSON.stringify(report) };
}

/** The report over a period (GET /compliance?period|from&to) with its weekly chart and the MSP's branding. */
async function renderPeriod(job: RenderRequest['job']): Promise<Rendered> {
  let data = job.periodExport;
  if (!data) {
    if (!database) throw new Error('No database to build the report from.');
    db ??= openDatabase(database);
    data = await buildPeriodExport(db, new SettingsStore(db, () => job.now), job.tenantId, job.clientId, job.period!, job.now);
  }
  const { report } = data;
  const filename = periodFilename(report, job.format === 'csv' ? 'csv' : 'pdf');
  if (job.format === 'csv') return { filename, output: periodCsv(report) };
  const pdf = await periodPdf(data);
  const breaches = report.devices.flatMap((device) => device.breaches);
  const figures: PeriodFigures = {
    client: report.client,
    timezone: report.timezone,
    ...report.summary,
    breaches: breaches.length,
    breachHours: totalBreachHours(breaches),
    mspName: data.branding.mspName,
  };
  return { filename, output: new Uint8Array(pdf.buffer as ArrayBuffer, pdf.byteOffset, pdf.byteLength), figures };
}

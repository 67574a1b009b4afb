/**
 * Heavy renders (the compliance PDF and CSV of a whole fleet: seconds of CPU at 20k
 * devices) run on worker threads, never on the event loop that answers every other
 * request: the worker reads the report from its own database connection too (the
 * 20k-row query and fold alone block for a second or more). Only an in-memory
 * database (tests), which another thread cannot open, has its report built here and
 * passed over. A tenant may have `perTenant` renders running or waiting and the
 * process `perProcess`; beyond either the caller gets a 429 with Retry-After.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ComplianceReport, Problem } from '../../../core/api.ts';
import type { HeavyWorkLimits } from '../../context.ts';
import type { Database, DatabaseOptions } from '../../db/client.ts';
import { ProblemError, tooManyRequests } from '../../http/problem.ts';
import { Admission } from '../admission.ts';
import { buildComplianceReport } from '../compliance.ts';
import { periodReportFor, type PeriodQuery, type PeriodReport } from '../compliance-period.ts';
import { buildPeriodExport, type PeriodExport } from './period-export.ts';
import type { SettingsStore } from '../settings-store.ts';
import { viewTimeZone } from '../tenants.ts';

/** What to render: the compliance report of a tenant (or one client) at `now`, or over `period`. */
export interface ExportJob {
  /** `json`: the period report of `GET /compliance?period|from&to`, serialized where it is built (off the event loop). */
  format: 'pdf' | 'csv' | 'json';
  tenantId: string;
  clientId: string | null;
  now: number;
  period?: PeriodQuery;
}
type RenderJob = ExportJob & { report?: ComplianceReport; periodExport?: PeriodExport; periodReport?: PeriodReport; timeZone?: string };
export interface Rendered {
  filename: string;
  output: Uint8Array<ArrayBuffer> | string;
  /** A period export's figures, for the e-mail that carries it. */
  figures?: PeriodFigures;
}
export interface PeriodFigures {
  client: { id: string; name: string } | null;
  timezone: string;
  meetingPct: number | null;
  devices: number;
  devicesWithBreach: number;
  breaches: number;
  breachHours: number;
  mspName: string;
}
export interface RenderRequest {
  id: number;
  job: RenderJob;
}
export type RenderReply =
  | { id: number; rendered: Rendered }
  | { id: number; problem: { status: ContentfulStatusCode; problem: Problem } }
  | { id: number; error: string };

interface Task {
  id: number;
  job: RenderJob;
  resolve(rendered: Rendered): void;
  reject(error: Error): void;
}

// Compiled, the worker is a sibling bundle of the server (dist/server/render-worker.js).
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './render-worker.ts' : './render-worker.js', import.meta.url);
/** A refused render is retried after this long (a 20k-device PDF takes a few seconds). */
const RETRY_AFTER_S = 5;

/**
 * Compiled, the worker is plain JavaScript. Under tsx (tests, `serve:dev`) its entry is
 * TypeScript, which Node 20 does not load in a worker even with the parent's
 * `--import tsx`: a two-line bootstrap registers tsx in the worker first.
 */
function startWorker(database: DatabaseOptions | null): Worker {
  const workerData = { database };
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Where the report's data comes from: the worker's own connection, or (in-memory database) the event loop's. */
export interface ReportSource {
  /** The database a worker can open; null for `:memory:`. */
  database: DatabaseOptions | null;
  db: Database;
  settings: SettingsStore;
}

export class RenderPool {
  private readonly admission: Admission<'tenant' | 'process'>;
  private readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    limits: HeavyWorkLimits,
    private readonly source: ReportSource,
  ) {
    this.size = Math.max(1, Math.min(limits.workers, availableParallelism()));
    this.admission = new Admission({ tenant: limits.perTenant, process: limits.perProcess });
  }

  /** Renders running or waiting. */
  get running(): number {
    return this.busy.size + this.waiting.length;
  }

  /**
   * Builds and renders the compliance export on a worker; throws a 429 problem when
   * the tenant or the process is at its cap, a 404 problem for an unknown client.
   */
  async render(job: ExportJob): Promise<Rendered> {
    if (this.closed) throw new Error('The render pool is shut down.');
    const admitted = this.admission.admit({ tenant: job.tenantId, process: '' });
    if ('full' in admitted) {
      const who = admitted.full === 'tenant' ? 'This tenant has' : 'This server has';
      throw tooManyRequests(`${who} ${this.admission.limits[admitted.full]} reports rendering, the most allowed at once; retry when one is done.`, RETRY_AFTER_S);
    }
    try {
      const { database, db, settings } = this.source;
      const built: Partial<RenderJob> = {};
      if (!database && job.period && job.format === 'json') built.periodReport = await periodReportFor(db, settings, job.tenantId, job.clientId, job.period, job.now);
      else if (!database && job.period) built.periodExport = await buildPeriodExport(db, settings, job.tenantId, job.clientId, job.period, job.now);
      else if (!database) {
        built.report = await buildComplianceReport(db, settings, job.tenantId, job.clientId, job.now);
        built.timeZone = await viewTimeZone(db, job.tenantId, job.clientId);
      }
      return await new Promise<Rendered>((resolve, reject) => {
        this.waiting.push({ id: this.nextId++, job: { ...job, ...built }, resolve, reject });
        this.dispatch();
      });
    } finally {
      admitted.release();
    }
  }

  /** Stops every worker (shutdown); waiting renders fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.waiting.splice(0)) task.reject(new Error('The render pool is shut down.'));
    const workers = [...this.idle.splice(0), ...this.busy.keys()];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : null);
      if (!worker) return;
      const task = this.waiting.shift()!;
      this.busy.set(worker, task);
      // Only a worker with work keeps the process alive.
      worker.ref();
      worker.postMessage({ id: task.id, job: task.job } satisfies RenderRequest);
    }
  }

  private spawn(): Worker {
    const worker = startWorker(this.source.database);
    worker.on('message', (reply: RenderReply) => {
      const task = this.busy.get(worker);
      if (!task || task.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ('rendered' in reply) task.resolve(reply.rendered);
      else if ('problem' in reply) task.reject(problemOf(reply.problem.status, reply.problem.problem));
      else task.reject(new Error(`Render failed: ${reply.error}`));
      this.dispatch();
    });
    // A crashed worker fails its render and is replaced by the next dispatch.
    const fail = (error: Error) => {
      const task = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      task?.reject(error);
      if (!this.closed) this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The render worker exited (${code}).`)));
    return worker;
  }
}

/** A problem the worker answered (a 404 for an unknown client), thrown again here. */
function problemOf(status: ContentfulStatusCode, problem: Problem): ProblemError {
  const slug = problem.type.slice(problem.type.lastIndexOf('/') + 1);
  return new ProblemError(status, slug, problem.title, problem.detail, problem.errors);
}

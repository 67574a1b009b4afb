/**
 * Heavy renders (the compliance PDF and CSV of a whole fleet: seconds of CPU at 20k
 * devices) run on worker threads, never on the event loop that answers every other
 * request. A tenant may have `perTenant` renders running or waiting and the process
 * `perProcess`; beyond either the caller gets a 429 with Retry-After.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ComplianceReport } from '../../../core/api.ts';
import type { HeavyWorkLimits } from '../../context.ts';
import { tooMany } from '../../http/problem.ts';
import { Admission } from '../admission.ts';

export type RenderJob = { format: 'pdf' | 'csv'; report: ComplianceReport };
export interface RenderRequest {
  id: number;
  job: RenderJob;
}
export type RenderReply = { id: number; output: Uint8Array<ArrayBuffer> | string } | { id: number; error: string };

interface Task {
  id: number;
  job: RenderJob;
  resolve(output: Uint8Array | string): void;
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
function startWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

export class RenderPool {
  private readonly admission: Admission<'tenant' | 'process'>;
  private readonly size: number;
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private nextId = 1;
  private closed = false;

  constructor(limits: HeavyWorkLimits) {
    this.size = Math.max(1, Math.min(limits.workers, availableParallelism()));
    this.admission = new Admission({ tenant: limits.perTenant, process: limits.perProcess });
  }

  /** Renders running or waiting. */
  get running(): number {
    return this.busy.size + this.waiting.length;
  }

  /** Renders `job` on a worker; throws a 429 problem when the tenant or the process is at its cap. */
  async render(tenantId: string, job: { format: 'pdf'; report: ComplianceReport }): Promise<Uint8Array<ArrayBuffer>>;
  async render(tenantId: string, job: { format: 'csv'; report: ComplianceReport }): Promise<string>;
  async render(tenantId: string, job: RenderJob): Promise<Uint8Array | string> {
    if (this.closed) throw new Error('The render pool is shut down.');
    const admitted = this.admission.admit({ tenant: tenantId, process: '' });
    if ('full' in admitted) {
      const who = admitted.full === 'tenant' ? 'This tenant has' : 'This server has';
      throw tooMany(`${who} ${this.admission.limits[admitted.full]} reports rendering, the most allowed at once; retry when one is done.`, RETRY_AFTER_S);
    }
    try {
      return await new Promise<Uint8Array | string>((resolve, reject) => {
        this.waiting.push({ id: this.nextId++, job, resolve, reject });
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
    const worker = startWorker();
    worker.on('message', (reply: RenderReply) => {
      const task = this.busy.get(worker);
      if (!task || task.id !== reply.id) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if ('error' in reply) task.reject(new Error(`Render failed: ${reply.error}`));
      else task.resolve(reply.output);
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

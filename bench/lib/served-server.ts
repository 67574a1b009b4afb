/**
 * The server exactly as users run it (`npm run serve`): the compiled
 * `dist/server/server.js` (built by scripts/build-server.mjs when a source changed) in
 * its own process, background work on, configured by environment only. Used by the
 * `served` benchmark and by bench/scale/replicas.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { LoadFigures } from '../reads.ts';
import { runJson, stopChild } from './children.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SERVER_JS = fileURLToPath(new URL('../../dist/server/server.js', import.meta.url));

export interface ServedServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** The last 10 kB of stderr (warnings and errors: BHM_LOG_LEVEL=warn). */
  stderr(): string;
  stop(): Promise<void>;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Builds dist/server when a source changed (a no-op otherwise). */
export function buildServer(): void {
  execFileSync(process.execPath, ['scripts/build-server.mjs', '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts `node dist/server/server.js` with `env` (DATABASE_URL, DATABASE_REPLICA_PATH, …) and waits for /healthz. */
export async function startServedServer(env: Record<string, string>): Promise<ServedServer> {
  buildServer();
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER_JS], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', BHM_LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-10_000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`dist/server/server.js exited (${child.exitCode}):\n${stderr}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dist/server/server.js did not answer /healthz:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    stderr: () => stderr,
    stop: () => stopChild(child),
  };
}

/** /readyz's evaluation queue: devices waiting and the age of the oldest mark. */
export async function evaluationQueueOf(url: string): Promise<{ pendingDevices: number; lagMs: number }> {
  const body = (await (await fetch(`${url}/readyz`)).json()) as { lag?: { evaluation?: { pendingDevices: number; lagMs: number } } };
  return body.lag?.evaluation ?? { pendingDevices: 0, lagMs: 0 };
}

/** A POST load's figures, with the wall-clock instants of its start and last response (epoch ms). */
export type PostLoadFigures = LoadFigures & { seconds: number; startedAt: number; lastResponseAt: number };

/** What `postWhileSampling` measured: the load, when the queue was empty again, and the lag during the load. */
export interface SampledPostLoad {
  load: PostLoadFigures;
  /** From the load's first request until the queue was first seen empty after its last response. */
  evaluatedMs: number;
  /** /readyz's evaluation lag, sampled every 20 ms while the load ran, ascending. */
  lags: number[];
}

/**
 * Runs a POST load (autocannon in its own process, `load.mjs`) while sampling the
 * server's evaluation queue every 20 ms. The stored rate is timed by the load's own
 * clock (first request to last response: autocannon's duration is whole seconds), the
 * evaluated one until the first sample after the last response that finds the queue empty.
 */
export async function postWhileSampling(loadChild: string, url: string, options: object, limitMs = 300_000): Promise<SampledPostLoad> {
  const origin = new URL(url).origin;
  const samples: { at: number; pending: number; lagMs: number }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const queue = await evaluationQueueOf(origin).catch(() => ({ pendingDevices: 1, lagMs: 0 }));
      samples.push({ at: Date.now(), pending: queue.pendingDevices, lagMs: queue.lagMs });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    const load = await runJson<PostLoadFigures>(loadChild, JSON.stringify({ url, ...options }));
    const deadline = Date.now() + limitMs;
    const drained = () => samples.find((sample) => sample.at >= load.lastResponseAt && sample.pending === 0);
    while (!drained()) {
      if (Date.now() > deadline) throw new Error(`the evaluation queue did not empty within ${limitMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lags = samples.filter((sample) => sample.at <= load.lastResponseAt).map((sample) => sample.lagMs);
    return { load, evaluatedMs: drained()!.at - load.startedAt, lags: lags.sort((a, b) => a - b) };
  } finally {
    sampling = false;
    await sampler;
  }
}

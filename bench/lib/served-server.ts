/**
 * The server exactly as users run it (`npm run serve`): the compiled
 * `dist/server/server.js` (built by scripts/build-server.mjs when a source changed) in
 * its own process, background work on, configured by environment only. Used by the
 * `served` benchmark and by bench/scale/replicas.ts.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { stopChild } from './children.ts';

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

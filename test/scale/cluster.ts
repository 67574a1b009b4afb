import assert from 'node:assert/strict';
/**
 * Scale-out harness: one sqld and N BFF instances (`bff/server.ts`, each its own OS
 * process, exactly as `npm run serve` runs it) over it. Instances are started as
 * `node --import tsx bff/server.ts` (not `npx tsx …`: npx and the tsx CLI each add a
 * parent process, so a kill -9 would hit the wrapper and orphan the server).
 *
 *   const cluster = await startCluster({ instances: 2 });
 *   await cluster.request(0, 'PUT', 'clients/c1', { body: { name: 'Acme' } });
 *   await cluster.instances[1].kill9();
 *   await cluster.stop();
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSqld, type RunningSqld } from './sqld.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const BOOTSTRAP_KEY = 'bhk_scale-bootstrap-key-0123456789';
export const PLATFORM_KEY = 'scale-platform-key-0123456789abcdef';

export interface LogLine {
  at?: string;
  level?: string;
  message?: string;
  [field: string]: unknown;
}

export interface Instance {
  name: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  process: ChildProcess;
  readonly alive: boolean;
  /** Structured log lines so far (stderr JSON), plus any other output. */
  logs(): LogLine[];
  output(): string;
  /** SIGKILL: no graceful shutdown, in-flight work is lost mid-way. */
  kill9(): Promise<void>;
  /** SIGTERM: graceful shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body (e.g. CSV), sent as is. */
  raw?: string;
  /** Bearer token; default the bootstrap admin key, null for none. */
  token?: string | null;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

export interface Cluster {
  sqld: RunningSqld;
  instances: Instance[];
  /** The admin key of tenant `default` (BHM_BOOTSTRAP_KEY). */
  adminKey: string;
  platformKey: string;
  /** Starts one more instance over the same sqld. */
  addInstance(env?: Record<string, string>): Promise<Instance>;
  /** A request to instance `i` (relative paths go under /api/v1/). */
  request(i: number, method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** Stops every instance (SIGTERM, then SIGKILL) and sqld. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances?: number;
  /** Extra environment for every instance (e.g. BHM_SWEEP_INTERVAL_S, SMTP_URL). */
  env?: Record<string, string>;
  /** Use this sqld instead of starting one (it is then not stopped by `stop()`). */
  sqld?: RunningSqld;
  /** Print instance logs to the test's stderr as they come (debugging). */
  echo?: boolean;
  /** How long an instance may take to listen and be ready (ms). */
  startTimeoutMs?: number;
}

const LISTENING = 'Backup Health BFF listening';

export async function startInstance(
  name: string,
  env: Record<string, string>,
  options: { echo?: boolean; startTimeoutMs?: number } = {},
): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bff/server.ts'], {
    cwd: root,
    // The harness reads the "listening" line (info) to learn the port: never above info.
    // The PSA/On-Call stand-ins listen on loopback, which a default BFF refuses to call.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BHM_INTEGRATION_NETWORKS: 'any', ...env, BHM_LOG_LEVEL: env.BHM_LOG_LEVEL === 'debug' ? 'debug' : 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const lines: LogLine[] = [];
  let partial = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : code);
      resolve(code);
    }),
  );
  let onListening: ((url: string) => void) | undefined;
  const onData = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (options.echo) process.stderr.write(text.replace(/^(?=.)/gm, `[${name}] `));
    partial += text;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    for (const part of parts) {
      if (!part.trim()) continue;
      try {
        const line = JSON.parse(part) as LogLine;
        lines.push(line);
        if (line.message === LISTENING && typeof line.url === 'string') onListening?.(line.url);
      } catch {
        lines.push({ message: part });
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    onListening = (u) => {
      clearTimeout(timer);
      resolve(u);
    };
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${output}`));
    });
  });
  // Listening means migrated and bootstrapped; readiness also checks the database.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`${name} never became ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  let stopping: Promise<number | null> | undefined;
  return {
    name,
    url,
    process: child,
    get alive() {
      return exitCode === undefined;
    },
    logs: () => lines,
    output: () => output,
    async kill9() {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    },
    stop: () =>
      (stopping ??= (async () => {
        if (exitCode !== undefined) return exitCode;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      })()),
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const ownSqld = !options.sqld;
  const sqld = options.sqld ?? (await startSqld());
  const instances: Instance[] = [];
  const baseEnv = {
    DATABASE_URL: sqld.url,
    BHM_BOOTSTRAP_KEY: BOOTSTRAP_KEY,
    BHM_PLATFORM_KEY: PLATFORM_KEY,
    ...options.env,
  };
  const cluster: Cluster = {
    sqld,
    instances,
    adminKey: BOOTSTRAP_KEY,
    platformKey: PLATFORM_KEY,
    async addInstance(env = {}) {
      const instance = await startInstance(`bff-${instances.length}`, { ...baseEnv, ...env }, options);
      instances.push(instance);
      return instance;
    },
    async request(i, method, path, opts = {}) {
      const instance = instances[i];
      if (!instance) throw new Error(`no instance ${i}`);
      return request(instance.url, method, path, { token: BOOTSTRAP_KEY, ...opts });
    },
    async stop() {
      await Promise.allSettled(instances.map((instance) => instance.stop()));
      if (ownSqld) await sqld.stop();
    },
  };
  try {
    // All at once: migrations and the bootstrap tenant must cope with concurrent starts.
    const started = await Promise.all(
      Array.from({ length: options.instances ?? 2 }, (_, i) => startInstance(`bff-${i}`, baseEnv, options)),
    );
    instances.push(...started);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}

/** One HTTP request to a BFF; JSON in and (when the answer is JSON) out. */
export async function request(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const url = base + (path.startsWith('/') ? path : `/api/v1/${path}`);
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  let json: unknown;
  if (type.includes('json') && text) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, json, text };
}

/**
 * Opens GET /api/v1/stream on an instance and collects Server-Sent Events.
 * `next(predicate)` resolves with the first event (already received or coming) that matches.
 */
export async function openStream(base: string, token: string, query = '') {
  const controller = new AbortController();
  const response = await fetch(`${base}/api/v1/stream${query}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  interface StreamEvent {
    id?: string;
    event: string;
    data: any;
  }
  const events: StreamEvent[] = [];
  const waiters: { predicate: (e: StreamEvent) => boolean; resolve: (e: StreamEvent) => void }[] = [];
  const deliver = (event: StreamEvent) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let id: string | undefined;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event = value;
            else if (field === 'id') id = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length === 0 && event === 'message') continue;
          const raw = data.join('\n');
          let parsed: unknown = raw;
          try {
            parsed = JSON.parse(raw);
          } catch {
            // not JSON
          }
          deliver({ id, event, data: parsed });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    next(predicate: (e: StreamEvent) => boolean, timeoutMs = 10_000): Promise<StreamEvent> {
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching stream event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}`));
        }, timeoutMs);
        const waiter = {
          predicate,
          resolve: (e: StreamEvent) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        waiters.push(waiter);
      });
    },
    close: () => controller.abort(),
  };
}

/** Asserts the reply's status, showing the body when it is not one of `status`. */
export function expectStatus(reply: Reply, status: number | number[], what: string): void {
  const expected = Array.isArray(status) ? status : [status];
  assert.ok(expected.includes(reply.status), `${what}: expected ${expected.join(' or ')}, got ${reply.status} ${reply.text.slice(0, 500)}`);
}

/** Polls `probe` every 100 ms until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

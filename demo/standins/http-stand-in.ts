/**
 * The shared machinery of the PSA and On-Call stand-ins: a real HTTP server on
 * loopback that checks `X-Integration-Key`, replays the stored answer for a repeated
 * `Idempotency-Key` (so a retried call never does the work twice), records every
 * request, and can be told to misbehave for the next N requests (an error status,
 * a hang until the caller's timeout, a dropped connection, or a lost answer after
 * the work was done).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the next requests fail. */
export type Fault =
  /** Answer this status (e.g. 503, 429 with Retry-After, 400) without doing the work. */
  | { status: number; retryAfterSeconds?: number; body?: unknown }
  /** Never answer: the caller's time limit fires. */
  | { timeout: true }
  /** Close the connection without answering. */
  | { drop: true }
  /** Do the work, then close the connection without answering (a lost response). */
  | { dropAfterProcessing: true };

export interface RecordedRequest {
  at: string;
  method: string;
  path: string;
  /** Whether X-Integration-Key matched (the key itself is not recorded). */
  keyAccepted: boolean;
  idempotencyKey: string | null;
  body: unknown;
  /** The status answered, or how the request ended without one. */
  outcome: number | 'timeout' | 'dropped';
  /** True when the answer was replayed for a repeated Idempotency-Key. */
  replayed: boolean;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

export type RouteHandler = (request: { method: string; path: string; params: string[]; body: unknown }) => JsonAnswer;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
  /** Reads are allowed without a key (the demo pages show them); a wrong key is still 401. */
  public?: boolean;
}

export interface HttpStandIn {
  url: string;
  port: number;
  /** Every request, in arrival order. */
  received: RecordedRequest[];
  /** The next `count` requests fail with `fault`. */
  failNext(count: number, fault: Fault): void;
  /** Removes pending faults. */
  clearFaults(): void;
  /** Resolves with the first request (already received or future) that matches. */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

export interface HttpStandInOptions {
  key: string;
  routes: Route[];
  port?: number;
  host?: string;
}

const MAX_BODY = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  return JSON.parse(text);
}

function send(response: ServerResponse, answer: JsonAnswer, headers: Record<string, string> = {}): void {
  response.writeHead(answer.status, { 'content-type': 'application/json', ...headers });
  response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
}

export async function startHttpStandIn(options: HttpStandInOptions): Promise<HttpStandIn> {
  const received: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const replays = new Map<string, JsonAnswer>();
  const waiters = new Set<{ predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }>();
  const held = new Set<ServerResponse>();

  const record = (entry: RecordedRequest) => {
    received.push(entry);
    for (const waiter of waiters) {
      if (waiter.predicate(entry)) {
        waiters.delete(waiter);
        waiter.resolve(entry);
      }
    }
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';
    const presentedKey = request.headers['x-integration-key'];
    const idempotencyKey = (request.headers['idempotency-key'] as string | undefined) ?? null;
    const entry: RecordedRequest = {
      at: new Date().toISOString(),
      method,
      path: url.pathname,
      keyAccepted: presentedKey === options.key,
      idempotencyKey,
      body: null,
      outcome: 0,
      replayed: false,
    };
    try {
      entry.body = await readBody(request);
    } catch {
      entry.outcome = 400;
      record(entry);
      return send(response, { status: 400, body: { error: 'The body is not valid JSON.' } });
    }
    const fault = faults.shift();
    if (fault && 'status' in fault) {
      entry.outcome = fault.status;
      record(entry);
      const headers: Record<string, string> = fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
      return send(response, { status: fault.status, body: fault.body ?? { error: `Simulated failure ${fault.status}` } }, headers);
    }
    if (fault && 'timeout' in fault) {
      entry.outcome = 'timeout';
      record(entry);
      held.add(response);
      return;
    }
    if (fault && 'drop' in fault) {
      entry.outcome = 'dropped';
      record(entry);
      return void request.socket.destroy();
    }

    const route = options.routes.find((candidate) => candidate.method === method && candidate.pattern.test(url.pathname));
    let answer: JsonAnswer;
    if (presentedKey !== undefined && presentedKey !== options.key) answer = { status: 401, body: { error: 'Wrong X-Integration-Key.' } };
    else if (presentedKey === undefined && !route?.public) answer = { status: 401, body: { error: 'X-Integration-Key is required.' } };
    else if (!route) answer = { status: 404, body: { error: `No route for ${method} ${url.pathname}.` } };
    else {
      const replayKey = idempotencyKey === null ? null : `${method} ${url.pathname} ${idempotencyKey}`;
      const stored = replayKey === null ? undefined : replays.get(replayKey);
      if (stored) {
        answer = stored;
        entry.replayed = true;
      } else {
        const params = route.pattern.exec(url.pathname)!.slice(1).map(decodeURIComponent);
        answer = route.handler({ method, path: url.pathname, params, body: entry.body });
        if (replayKey !== null && answer.status < 500) replays.set(replayKey, answer);
      }
    }
    entry.outcome = fault && 'dropAfterProcessing' in fault ? 'dropped' : answer.status;
    record(entry);
    if (fault && 'dropAfterProcessing' in fault) return void request.socket.destroy();
    send(response, answer, entry.replayed ? { 'idempotent-replayed': 'true' } : {});
  });

  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    received,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    clearFaults() {
      faults.length = 0;
    },
    waitFor(predicate, timeoutMs = 5_000) {
      const found = received.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (r: RecordedRequest) => (clearTimeout(timer), resolve(r)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`No matching request within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Raw sockets for the attack suite (test/reliability/attack-auth.test.ts): clients
 * that send headers or bodies slowly, hold connections idle, or read an answer's
 * bytes exactly as sent (no decompression), against a BFF process on loopback.
 */
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';

const address = (base: string) => {
  const url = new URL(base);
  return { host: url.hostname, port: Number(url.port) };
};

/** A socket that has connected, with what the server answers and when it closes. */
export interface HeldSocket {
  socket: Socket;
  /** Milliseconds from connect to the first byte of an answer (resolves on the status line). */
  answered: Promise<{ status: number; ms: number; text: string }>;
  /** Resolves with the milliseconds from connect to the server closing the socket. */
  closed: Promise<number>;
  /** Whether an answer has arrived (a client stops sending a body then). */
  readonly hasAnswer: boolean;
  destroy(): void;
}

export function hold(base: string): Promise<HeldSocket> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(address(base));
    let text = '';
    let hasAnswer = false;
    let answer: (value: { status: number; ms: number; text: string }) => void;
    const answered = new Promise<{ status: number; ms: number; text: string }>((r) => (answer = r));
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status && text.includes('\r\n\r\n')) {
        hasAnswer = true;
        answer({ status: Number(status[1]), ms: Date.now() - started, text });
      }
    });
    // The server may reset a socket it refuses or cut: that is an outcome, not a failure.
    socket.on('error', () => undefined);
    socket.once('connect', () =>
      resolve({
        socket,
        answered,
        closed,
        get hasAnswer() {
          return hasAnswer;
        },
        destroy: () => socket.destroy(),
      }),
    );
    socket.once('error', reject);
  });
}

const write = (socket: Socket, data: string | Uint8Array) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) return resolve();
    socket.write(data, () => resolve());
  });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a chunked POST without credentials (unless `headers` carries some) and
 * streams `totalBytes` of body in `chunkBytes` chunks, never sending the final
 * chunk: a body that never ends. Resolves when everything was written, the server
 * answered (a client has no reason to go on then) or it closed the socket.
 */
export async function endlessChunkedBody(held: HeldSocket, path: string, options: { totalBytes: number; chunkBytes: number; intervalMs: number; headers?: Record<string, string> }): Promise<void> {
  const extra = Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  await write(held.socket, `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${extra}\r\n`);
  const chunk = Buffer.alloc(options.chunkBytes, 0x20);
  chunk[0] = 0x7b; // '{'
  for (let sent = 0; sent < options.totalBytes && !held.socket.destroyed && !held.hasAnswer; sent += options.chunkBytes) {
    await write(held.socket, `${options.chunkBytes.toString(16)}\r\n`);
    await write(held.socket, chunk);
    await write(held.socket, '\r\n');
    if (options.intervalMs) await pause(options.intervalMs);
  }
}

/** Sends a request's header lines one every `intervalMs`, never the blank line that ends them. */
export async function endlessHeaders(held: HeldSocket, intervalMs: number, lines = 100): Promise<void> {
  await write(held.socket, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  for (let i = 0; i < lines && !held.socket.destroyed; i++) {
    await write(held.socket, `X-Slow-${i}: ${'a'.repeat(10)}\r\n`);
    await pause(intervalMs);
  }
}

/** A GET answered with its raw (still encoded) bytes and headers. */
export function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', agent: false, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The first bytes of a streaming answer, its headers, and how long they took; the socket is then closed. */
export function firstBytes(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; first: string; ms: number }> {
  const url = new URL(path, base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', agent: false, headers }, (response) => {
      response.once('data', (chunk: Buffer) => {
        resolve({ status: response.statusCode ?? 0, headers: response.headers, first: chunk.toString('latin1'), ms: Date.now() - started });
        req.destroy();
      });
    });
    req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
    req.end();
  });
}

/** Latencies (ms) of GET /healthz every `everyMs` until `stop()`: p99 and max. */
export function healthLatency(base: string, everyMs = 50) {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.arrayBuffer());
        samples.push(performance.now() - started);
      } catch {
        samples.push(10_000);
      }
      await pause(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      const sorted = [...samples].sort((a, b) => a - b);
      return { count: sorted.length, p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0, max: sorted.at(-1) ?? 0 };
    },
  };
}

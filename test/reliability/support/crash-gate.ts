/**
 * An HTTP front for a stand-in that can hold one answer and run an action first:
 * `holdNextAnswer(match, action)` lets the next matching request reach the
 * stand-in (the work is done), then runs `action` (kill -9 the BFF) and drops the
 * connection without answering — the crash window between a receiver doing the work
 * and the sender recording that it was done. With `{ thenAnswer: true }` the answer
 * goes out after the action (e.g. SIGTERM: a graceful stop must wait for it).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CrashGate {
  url: string;
  /** Answers held so far. */
  readonly held: number;
  holdNextAnswer(match: (method: string, path: string) => boolean, action: () => Promise<void>, options?: { thenAnswer?: boolean }): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

export async function startCrashGate(upstream: string): Promise<CrashGate> {
  let hold: { match: (method: string, path: string) => boolean; action: () => Promise<void>; thenAnswer: boolean } | null = null;
  let held = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name) && typeof value === 'string') headers[name] = value;
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    try {
      const answer = await fetch(upstream + path, { method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
      const text = await answer.text();
      if (hold && hold.match(method, path)) {
        const { action, thenAnswer } = hold;
        hold = null;
        held += 1;
        await action();
        if (!thenAnswer) {
          request.socket.destroy();
          return;
        }
      }
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(text);
    } catch {
      request.socket.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get held() {
      return held;
    },
    holdNextAnswer(match, action, options = {}) {
      hold = { match, action, thenAnswer: options.thenAnswer ?? false };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

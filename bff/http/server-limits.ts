/**
 * Limits of the HTTP server itself (docs/security.md), set on the `node:http` server that
 * @hono/node-server creates: a client that sends its headers or its body slowly is
 * cut off, and the process holds a bounded number of sockets (a file-descriptor
 * limit reached would stop even /healthz from connecting).
 */
import type { Server, ServerOptions, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export interface ServerLimits {
  /** BHM_HEADERS_TIMEOUT_S: the whole header block must arrive within this (default 10 s). */
  headersTimeoutMs: number;
  /** BHM_REQUEST_TIMEOUT_S: the whole request, body included, must arrive within this (default 30 s). Responses (streams) are not limited. */
  requestTimeoutMs: number;
  /** BHM_MAX_CONNECTIONS: sockets held at once; further ones are closed on accept (default 1000). */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, maxConnections: 1000 };

/** Options for `createServer`: the timeouts, checked every second rather than Node's default 30 s. */
export function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
  };
}

/** What only the created server can take, and problem+json for what Node refuses itself. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
  server.on('clientError', answerClientError);
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request did not arrive in time (BHM_REQUEST_TIMEOUT_S / BHM_HEADERS_TIMEOUT_S).'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.'],
};

/**
 * Node's own refusals (a request too slow, headers too large, unparsable) as
 * problem+json like every other answer; a socket already answering is closed.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const answering = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage?.headersSent;
  if (error.code === 'ECONNRESET' || !socket.writable || answering) {
    socket.destroy();
    return;
  }
  const [status, reason, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request could not be parsed as HTTP.'];
  const slug = status === 408 ? 'request-timeout' : status === 431 ? 'headers-too-large' : 'bad-request';
  const body = JSON.stringify({ type: `https://backup-health.dev/problems/${slug}`, title: reason, status, detail });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

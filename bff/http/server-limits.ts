/**
 * Limits of the HTTP server itself (SPEC §16), set on the `node:http` server that
 * @hono/node-server creates: a client that sends its headers or its body slowly is
 * cut off, and the process holds a bounded number of sockets (a file-descriptor
 * limit reached would stop even /healthz from connecting).
 */
import type { Server, ServerOptions } from 'node:http';

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

/** What only the created server can take. */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.maxConnections = limits.maxConnections;
}

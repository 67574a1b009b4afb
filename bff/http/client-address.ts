/**
 * The address a request came from, for per-address limits. Directly exposed, it is
 * the socket's peer and nothing a client sends changes it. Behind `trustedProxies`
 * reverse proxies (BHM_TRUSTED_PROXIES), each proxy appends the address it received
 * the request from to X-Forwarded-For: the client's is the entry that many places
 * from the right; entries further left were written by the client and are ignored.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** The client's address, or null for a request with no socket (in-process `app.request` in tests). */
export function clientAddress(c: Context, trustedProxies: number): string | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const peer = incoming?.socket?.remoteAddress ?? null;
  if (peer === null || trustedProxies <= 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim()).filter(Boolean);
  const hops = [...forwarded, peer];
  return hops[Math.max(0, hops.length - 1 - trustedProxies)]!;
}

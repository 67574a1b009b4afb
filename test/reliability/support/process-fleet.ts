/**
 * Inventory and events for BFF processes (real time, not a test clock): servers
 * enrolled through the API, and events whose times lie in the recent past.
 */
import assert from 'node:assert/strict';
import { call, type Instance } from './bff-process.ts';

export const HOUR = 3_600_000;
export const iso = (ms: number) => new Date(ms).toISOString();

export async function expectStatus(reply: Promise<{ status: number; json: any; text: string }>, ...statuses: number[]) {
  const result = await reply;
  assert.ok(statuses.includes(result.status), `expected ${statuses.join('/')}, got ${result.status}: ${result.text.slice(0, 500)}`);
  return result.json;
}

/** Clients `client-1…`, the daily policy and `count` servers named `<prefix>-<n>`, round-robin over the clients. */
export async function enrollServers(bff: Instance, prefix: string, count: number, clients = 2): Promise<string[]> {
  for (let c = 1; c <= clients; c++) await expectStatus(call(bff, 'PUT', `clients/client-${c}`, { body: { name: `Client ${c}` } }), 200, 201);
  await expectStatus(call(bff, 'PUT', 'policies/daily', { body: { name: 'Daily', intervalHours: 24 } }), 200, 201);
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);
  for (const [i, id] of ids.entries()) {
    await expectStatus(call(bff, 'PUT', `devices/${id}`, { body: { clientId: `client-${(i % clients) + 1}`, name: id.toUpperCase(), kind: 'server', policyId: 'daily' } }), 200, 201);
  }
  return ids;
}

/** A completed job that ran ten minutes and ended at `endedAt`. */
export const jobEvent = (id: string, deviceId: string, status: 'success' | 'failed' | 'warning', endedAt: number) => ({
  type: 'job',
  id,
  deviceId,
  status,
  startedAt: iso(endedAt - 10 * 60_000),
  endedAt: iso(endedAt),
});

export const storageEvent = (deviceId: string, at: number, usedBytes: number) => ({ type: 'storage', deviceId, at: iso(at), usedBytes });

/**
 * Small builders for the evaluation-area BFF tests: inventory through the API and
 * events as the wire contract spells them.
 */
import assert from 'node:assert/strict';
import { HOUR, type TestApp } from './harness.ts';

export { HOUR };
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

/** ISO-8601 UTC, as the API takes times. */
export const iso = (ms: number) => new Date(ms).toISOString();

export interface DeviceSpec {
  id: string;
  kind?: 'workstation' | 'server' | 'saas';
  intervalHours?: number;
  clientId?: string;
  quotaBytes?: number;
}

/** Creates the client, the policy (`every-<n>h`) and the device through the API. */
export async function enroll(app: TestApp, spec: DeviceSpec) {
  const clientId = spec.clientId ?? 'client-a';
  const intervalHours = spec.intervalHours ?? 4;
  const policyId = `every-${intervalHours}h`;
  await expectStatus(app.request('PUT', `clients/${clientId}`, { body: { name: `Client ${clientId}` } }), [200, 201]);
  await expectStatus(app.request('PUT', `policies/${policyId}`, { body: { name: `Every ${intervalHours} h`, intervalHours } }), [200, 201]);
  const device = await app.request('PUT', `devices/${spec.id}`, {
    body: { clientId, name: `Device ${spec.id}`, kind: spec.kind ?? 'server', policyId, ...(spec.quotaBytes ? { quotaBytes: spec.quotaBytes } : {}) },
  });
  assert.equal(device.status, 201, JSON.stringify(device.json));
  return device.json;
}

async function expectStatus(response: ReturnType<TestApp['request']>, statuses: number[]) {
  const { status, json } = await response;
  assert.ok(statuses.includes(status), `status ${status}: ${JSON.stringify(json)}`);
}

let jobCounter = 0;

/** A job that ended at `endedAt` after running 10 minutes. */
export function job(deviceId: string, status: 'success' | 'warning' | 'failed' | 'running', endedAt: number, extra: Record<string, unknown> = {}) {
  jobCounter += 1;
  return {
    type: 'job',
    id: `job-${deviceId}-${jobCounter}`,
    deviceId,
    status,
    startedAt: iso(endedAt - 10 * MINUTE),
    ...(status === 'running' ? {} : { endedAt: iso(endedAt) }),
    ...extra,
  };
}

/** Successful jobs every `everyHours`, `count` of them, the newest ending at `newest`. */
export function successes(deviceId: string, everyHours: number, count: number, newest: number) {
  return Array.from({ length: count }, (_, i) => job(deviceId, 'success', newest - (count - 1 - i) * everyHours * HOUR));
}

export const drTest = (deviceId: string, at: number, result: 'passed' | 'failed', id = `dr-${deviceId}-${at}`) => ({ type: 'dr_test', id, deviceId, at: iso(at), result });
export const consent = (deviceId: string, at: number, state: 'ok' | 'expired') => ({ type: 'saas_consent', deviceId, at: iso(at), state });
export const storage = (deviceId: string, at: number, usedBytes: number, quotaBytes?: number) => ({
  type: 'storage', deviceId, at: iso(at), usedBytes, ...(quotaBytes ? { quotaBytes } : {}),
});
export const checkin = (deviceId: string, at: number) => ({ type: 'checkin', deviceId, at: iso(at) });

/** POST /events with a batch; asserts 202 and returns the counts. */
export async function send(app: TestApp, events: unknown[]) {
  const response = await app.request('POST', 'events', { body: { events } });
  assert.equal(response.status, 202, JSON.stringify(response.json));
  return response.json as { accepted: number; duplicates: number };
}

/** The device detail as stored (list item fields), through GET-free SQL: this area does not own GET /devices. */
export async function deviceRow(app: TestApp, id: string) {
  return app.db.get<{ status: string; score: number; state: string; next_check_at: number; retired_at: number | null; consecutive_failures: number; last_success_at: number | null }>(
    'SELECT status, score, state, next_check_at, retired_at, consecutive_failures, last_success_at FROM devices WHERE tenant_id = ? AND id = ?',
    [app.tenant.id, id],
  );
}

/** Open (active) alerts of a device as "type:severity", sorted. */
export async function activeAlerts(app: TestApp, deviceId: string) {
  const { json } = await app.request('GET', `alerts?device=${encodeURIComponent(deviceId)}&state=active`);
  return (json.items as { type: string; severity: string }[]).map((a) => `${a.type}:${a.severity}`).sort();
}

/** An embed token minted by the admin key. */
export async function embedToken(app: TestApp, options: { clientId?: string; scopes?: ('read' | 'operate')[] } = {}) {
  const { status, json } = await app.request('POST', 'embed-tokens', { body: options });
  assert.equal(status, 201, JSON.stringify(json));
  return json.token as string;
}

/** An API key of the tenant with these scopes. */
export async function apiKey(app: TestApp, scopes: ('admin' | 'ingest' | 'read')[]) {
  const { status, json } = await app.request('POST', 'api-keys', { body: { name: `test ${scopes.join('+')}`, scopes } });
  assert.equal(status, 201, JSON.stringify(json));
  return json.key as string;
}

/** Stream changes recorded for the tenant, oldest first. */
export async function changes(app: TestApp, event?: string) {
  const rows = await app.db.all<{ event: string; payload: string }>('SELECT event, payload FROM changes WHERE tenant_id = ? ORDER BY id', [app.tenant.id]);
  return rows.filter((r) => !event || r.event === event).map((r) => ({ event: r.event, payload: JSON.parse(r.payload) }));
}

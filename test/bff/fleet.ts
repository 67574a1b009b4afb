/**
 * A small fleet built through the real HTTP API (PUT /clients, /policies, /devices,
 * POST /events), for the read-side tests. Devices enrol a week before T0; the clock
 * is left at T0 with every device evaluated.
 */
import assert from 'node:assert/strict';
import { HOUR, T0, type TestApp } from './harness.ts';

export const DAY = 24 * HOUR;
const at = (ms: number) => new Date(ms).toISOString();

export async function ok(response: Promise<{ status: number; json: any }>, ...expected: number[]) {
  const result = await response;
  assert.ok((expected.length ? expected : [200, 201, 202, 204]).includes(result.status), `HTTP ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

export const putClient = (t: TestApp, id: string, name: string) => ok(t.request('PUT', `clients/${id}`, { body: { name } }));
export const putPolicy = (t: TestApp, id: string, intervalHours: number) => ok(t.request('PUT', `policies/${id}`, { body: { name: `Every ${intervalHours} h`, intervalHours } }));
export const putDevice = (t: TestApp, id: string, device: { clientId: string; name: string; kind: 'workstation' | 'server' | 'saas'; policyId: string; quotaBytes?: number }) =>
  ok(t.request('PUT', `devices/${id}`, { body: device }));
export const postEvents = (t: TestApp, events: object[]) => ok(t.request('POST', 'events', { body: { events } }));

let jobSequence = 0;
/** A completed job that ran for 10 minutes and ended at `endedAt`. */
export const job = (deviceId: string, status: 'success' | 'warning' | 'failed', endedAt: number) => ({
  type: 'job',
  id: `job-${deviceId}-${++jobSequence}`,
  deviceId,
  status,
  startedAt: at(endedAt - 10 * 60_000),
  endedAt: at(endedAt),
});
/** Reports one completed job ending at `endedAt`, moving the test clock there first when it is behind. */
export async function reportJob(t: TestApp, deviceId: string, status: 'success' | 'warning' | 'failed', endedAt: number) {
  if (t.clock() < endedAt) t.clock.set(endedAt);
  await postEvents(t, [job(deviceId, status, endedAt)]);
}

/** SRV-01, a server of Contoso (beside an empty Fabrikam) on a daily policy, with a success at T0 − 1 h. */
export async function contosoServer(t: TestApp) {
  t.clock.set(T0 - 2 * HOUR);
  await putClient(t, 'contoso', 'Contoso');
  await putClient(t, 'fabrikam', 'Fabrikam');
  await putPolicy(t, 'daily', 24);
  await putDevice(t, 'srv-01', { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'daily' });
  await reportJob(t, 'srv-01', 'success', T0 - HOUR);
}

export const storage = (deviceId: string, when: number, usedBytes: number, quotaBytes?: number) => ({ type: 'storage', deviceId, at: at(when), usedBytes, ...(quotaBytes ? { quotaBytes } : {}) });
export const drTest = (deviceId: string, when: number, result: 'passed' | 'failed') => ({ type: 'dr_test', id: `dr-${deviceId}-${++jobSequence}`, deviceId, at: at(when), result });

/**
 * Two clients and six devices with known states at T0:
 * - contoso: ws-healthy (healthy, SLA meeting), srv-late (warning: 7 h since success on a 4 h policy; meeting),
 *   srv-failing (critical: 3 consecutive failures; breach since 26 h ago + 12 h), ws-new (unknown, pending);
 * - fabrikam: saas-ok (healthy, meeting), srv-stale (critical: 53 h since success; breach).
 */
export async function seedFleet(t: TestApp) {
  t.clock.set(T0 - 7 * DAY);
  await putClient(t, 'contoso', 'Contoso');
  await putClient(t, 'fabrikam', 'Fabrikam');
  await putPolicy(t, 'daily', 24);
  await putPolicy(t, 'four-hourly', 4);
  const devices = [
    ['ws-healthy', 'contoso', 'WS Healthy', 'workstation', 'daily'],
    ['srv-late', 'contoso', 'SRV Late', 'server', 'four-hourly'],
    ['srv-failing', 'contoso', 'SRV Failing', 'server', 'daily'],
    ['saas-ok', 'fabrikam', 'SaaS OK', 'saas', 'daily'],
    ['srv-stale', 'fabrikam', 'SRV Stale', 'server', 'four-hourly'],
  ] as const;
  for (const [id, clientId, name, kind, policyId] of devices) await putDevice(t, id, { clientId, name, kind, policyId, quotaBytes: 1_000_000 });
  t.clock.set(T0);
  await putDevice(t, 'ws-new', { clientId: 'contoso', name: 'WS New', kind: 'workstation', policyId: 'daily' });
  await postEvents(t, [
    job('ws-healthy', 'success', T0 - 25 * HOUR),
    job('ws-healthy', 'success', T0 - HOUR),
    job('srv-late', 'success', T0 - 7 * HOUR),
    job('srv-failing', 'success', T0 - 26 * HOUR),
    job('srv-failing', 'failed', T0 - 20 * HOUR),
    job('srv-failing', 'failed', T0 - 12 * HOUR),
    job('srv-failing', 'failed', T0 - 4 * HOUR),
    job('saas-ok', 'success', T0 - 2 * HOUR),
    job('srv-stale', 'success', T0 - 53 * HOUR),
    storage('ws-healthy', T0 - 3 * DAY, 100_000),
    storage('ws-healthy', T0 - 2 * HOUR, 150_000),
    storage('srv-late', T0 - 6 * DAY, 400_000),
  ]);
  await ok(t.request('POST', 'admin/evaluate'));
}

/** Mints an embed token (read) for one client, or tenant-wide. */
export async function embedToken(t: TestApp, clientId?: string, scopes: ('read' | 'operate')[] = ['read']): Promise<string> {
  return (await ok(t.request('POST', 'embed-tokens', { body: { ...(clientId ? { clientId } : {}), scopes } }), 201)).token;
}

/** Creates an API key with the given scopes. */
export async function apiKey(t: TestApp, scopes: ('admin' | 'ingest' | 'read')[]): Promise<string> {
  return (await ok(t.request('POST', 'api-keys', { body: { name: scopes.join('+'), scopes } }), 201)).key;
}

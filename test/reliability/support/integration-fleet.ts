/**
 * A fleet whose alerts open PSA tickets and On-Call pages, built through the HTTP
 * API of an in-process app (test/bff/harness.ts) with the PSA and On-Call stand-ins
 * behind outage proxies, and driven by the test clock:
 *
 * - `fail-<n>`: servers with three consecutive failures → a Critical "Backup Failure" ticket;
 * - `stale-<n>`: servers whose last success was 30 h ago → a High "Backup Overdue" ticket
 *   and, in SLA breach for 18 h outside business hours, a page.
 *
 * `recover()` reports a success for every device: every alert resolves, so every
 * ticket is resolved and every page resolved.
 */
import assert from 'node:assert/strict';
import { startOnCallStandIn, type OnCallStandIn } from '../../../demo/standins/oncall.ts';
import { startPsaStandIn, type PsaStandIn } from '../../../demo/standins/psa.ts';
import { log } from '../../../bff/log.ts';
import { HOUR, T0, testApp, type TestApp } from '../../bff/harness.ts';
import { startOutageProxy, type OutageProxy } from './outage-proxy.ts';

// Delivery failures are expected here and logged as warnings.
log.setLevel('error');

export const PSA_KEY = 'reliability-psa-key-0123456789';
export const ONCALL_KEY = 'reliability-oncall-key-0123456789';
export const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

export interface IntegrationFleet {
  t: TestApp;
  psa: PsaStandIn;
  oncall: OnCallStandIn;
  psaProxy: OutageProxy;
  oncallProxy: OutageProxy;
  failing: string[];
  stale: string[];
  /** Reports the incidents (clock at T0): alerts open, tickets and pages are queued. */
  breakDevices(): Promise<void>;
  /** A success for every device one hour later: every alert resolves. */
  recover(): Promise<void>;
  /** One more failed job for every failing server, ending at `at`. */
  fail(at: number): Promise<void>;
  /** Runs the dispatcher at the current test time. */
  dispatch(): Promise<void>;
  /** The earliest pending attempt, or null when nothing is pending. */
  nextAttemptAt(): Promise<number | null>;
  close(): Promise<void>;
}

async function expectOk(reply: Promise<{ status: number; json: any }>) {
  const { status, json } = await reply;
  assert.ok(status >= 200 && status < 300, `HTTP ${status}: ${JSON.stringify(json)}`);
  return json;
}

let jobSequence = 0;
const job = (deviceId: string, status: 'success' | 'failed', endedAt: number) => ({
  type: 'job',
  id: `rel-job-${++jobSequence}`,
  deviceId,
  status,
  startedAt: iso(endedAt - 10 * 60_000),
  endedAt: iso(endedAt),
});

export async function startIntegrationFleet(options: { failing?: number; stale?: number; timeoutMs?: number } = {}): Promise<IntegrationFleet> {
  const [psa, oncall] = await Promise.all([startPsaStandIn({ key: PSA_KEY }), startOnCallStandIn({ key: ONCALL_KEY })]);
  const [psaProxy, oncallProxy] = await Promise.all([startOutageProxy({ port: psa.port }), startOutageProxy({ port: oncall.port })]);
  const t = await testApp({ config: { publicUrl: 'https://backups.example.com' } });
  const { dispatcher } = t.services.integrations;
  dispatcher.timeoutMs = options.timeoutMs ?? 250;
  dispatcher.random = () => 0.5;
  const failing = Array.from({ length: options.failing ?? 3 }, (_, i) => `fail-${i + 1}`);
  const stale = Array.from({ length: options.stale ?? 3 }, (_, i) => `stale-${i + 1}`);

  t.clock.set(T0 - 3 * DAY);
  await expectOk(t.request('PUT', 'clients/contoso', { body: { name: 'Contoso' } }));
  await expectOk(t.request('PUT', 'clients/fabrikam', { body: { name: 'Fabrikam' } }));
  await expectOk(t.request('PUT', 'policies/daily', { body: { name: 'Daily', intervalHours: 24 } }));
  for (const [i, id] of [...failing, ...stale].entries()) {
    await expectOk(t.request('PUT', `devices/${id}`, { body: { clientId: i % 2 ? 'fabrikam' : 'contoso', name: id.toUpperCase(), kind: 'server', policyId: 'daily' } }));
  }
  await expectOk(t.request('PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: psaProxy.url, integrationKey: PSA_KEY } }));
  // T0 is a Tuesday: business hours on weekends only, so every breach pages at once.
  await expectOk(
    t.request('PUT', 'settings/integrations/oncall', {
      body: { enabled: true, baseUrl: oncallProxy.url, integrationKey: ONCALL_KEY, escalationPolicy: 'backup-oncall', businessHours: { days: [6, 7] } },
    }),
  );

  const fleet: IntegrationFleet = {
    t,
    psa,
    oncall,
    psaProxy,
    oncallProxy,
    failing,
    stale,
    async breakDevices() {
      t.clock.set(T0);
      const events = [
        ...failing.flatMap((id) => [job(id, 'success', T0 - 2 * HOUR), job(id, 'failed', T0 - 90 * 60_000), job(id, 'failed', T0 - HOUR), job(id, 'failed', T0 - 30 * 60_000)]),
        ...stale.map((id) => job(id, 'success', T0 - 30 * HOUR)),
      ];
      await expectOk(t.request('POST', 'events', { body: { events } }));
    },
    async recover() {
      const at = Math.max(t.clock(), T0) + HOUR;
      t.clock.set(at);
      await expectOk(t.request('POST', 'events', { body: { events: [...failing, ...stale].map((id) => job(id, 'success', at - 60_000)) } }));
    },
    async fail(at) {
      if (t.clock() < at) t.clock.set(at);
      await expectOk(t.request('POST', 'events', { body: { events: failing.map((id) => job(id, 'failed', at)) } }));
    },
    async dispatch() {
      await t.services.integrations.dispatchDue(t.clock());
    },
    async nextAttemptAt() {
      const row = await t.db.get<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'");
      return row?.at ?? null;
    },
    async close() {
      await Promise.all([psaProxy.close(), oncallProxy.close()]);
      await Promise.all([psa.close(), oncall.close()]);
      await t.close();
    },
  };
  return fleet;
}

/** What the receivers hold, counted per alert / breach. */
export function receiverCounts(fleet: IntegrationFleet) {
  const ticketsPerAlert = new Map<string, number>();
  for (const ticket of fleet.psa.tickets) ticketsPerAlert.set(ticket.externalRef, (ticketsPerAlert.get(ticket.externalRef) ?? 0) + 1);
  const pagesPer = (action: 'trigger' | 'resolve') => {
    const counts = new Map<string, number>();
    for (const page of fleet.oncall.pages.filter((p) => p.action === action)) counts.set(page.dedupKey, (counts.get(page.dedupKey) ?? 0) + 1);
    return counts;
  };
  return { ticketsPerAlert, triggersPerBreach: pagesPer('trigger'), resolvesPerBreach: pagesPer('resolve') };
}

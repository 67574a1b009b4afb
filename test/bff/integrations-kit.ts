/**
 * Shared set-up for the integrations tests: a test app with the PSA and On-Call
 * stand-ins and the SMTP inbox on loopback, settings pointing at them, and helpers
 * to drive the outbox with the test clock (no real waiting for backoff).
 */
import assert from 'node:assert/strict';
import { startOnCallStandIn, type OnCallStandIn } from '../../demo/standins/oncall.ts';
import { startPsaStandIn, type PsaStandIn } from '../../demo/standins/psa.ts';
import { startSmtpInbox, type SmtpInbox } from '../../demo/standins/smtp-inbox.ts';
import type { AppConfig } from '../../bff/context.ts';
import { log } from '../../bff/log.ts';
import { testApp, type TestApp } from './harness.ts';

// Expected delivery failures are logged as warnings; keep the test output to the results.
log.setLevel('error');

export const PSA_KEY = 'psa-integration-key-0123456789';
export const ONCALL_KEY = 'oncall-integration-key-0123456789';

export interface Kit {
  t: TestApp;
  psa: PsaStandIn;
  oncall: OnCallStandIn;
  inbox: SmtpInbox;
  close(): Promise<void>;
}

/** A test app plus the three stand-ins; mail goes to the inbox. */
export async function startKit(options: { now?: number; config?: Partial<AppConfig>; url?: string } = {}): Promise<Kit> {
  const [psa, oncall, inbox] = await Promise.all([startPsaStandIn({ key: PSA_KEY }), startOnCallStandIn({ key: ONCALL_KEY }), startSmtpInbox()]);
  const t = await testApp({ ...options, config: { smtpUrl: inbox.url, publicUrl: 'https://backups.example.com', ...options.config } });
  t.services.integrations.dispatcher.timeoutMs = 500;
  return {
    t,
    psa,
    oncall,
    inbox,
    async close() {
      await Promise.all([psa.close(), oncall.close(), inbox.close()]);
      await t.close();
    },
  };
}

export async function expectStatus(response: Promise<{ status: number; json: any }>, status: number) {
  const result = await response;
  assert.equal(result.status, status, `HTTP ${result.status}: ${JSON.stringify(result.json)}`);
  return result.json;
}

export const enablePsa = (kit: Kit, extra: object = {}) =>
  expectStatus(kit.t.request('PUT', 'settings/integrations/psa', { body: { enabled: true, baseUrl: kit.psa.url, integrationKey: PSA_KEY, ...extra } }), 200);

export const enableOnCall = (kit: Kit, extra: object = {}) =>
  expectStatus(
    kit.t.request('PUT', 'settings/integrations/oncall', {
      body: { enabled: true, baseUrl: kit.oncall.url, integrationKey: ONCALL_KEY, escalationPolicy: 'backup-oncall', ...extra },
    }),
    200,
  );

/** Runs the dispatcher at the current test time. */
export const dispatch = (t: TestApp) => t.services.integrations.dispatchDue(t.clock());

export interface OutboxRow {
  id: string;
  channel: string;
  kind: string;
  dedup_key: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  payload: string;
}

export const outboxRows = (t: TestApp, channel?: string) =>
  t.db.all<OutboxRow>(`SELECT id, channel, kind, dedup_key, status, attempts, next_attempt_at, last_error, payload FROM outbox ${channel ? 'WHERE channel = ?' : ''} ORDER BY id`, channel ? [channel] : []);

/**
 * Moves the clock to the earliest pending retry and dispatches; repeats until
 * nothing is pending or `steps` runs were made. Time moves only forward.
 */
export async function dispatchUntilSettled(t: TestApp, steps = 50): Promise<void> {
  await dispatch(t);
  for (let i = 0; i < steps; i++) {
    const next = await t.db.get<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'");
    if (next?.at === null || next?.at === undefined) return;
    if (next.at > t.clock()) t.clock.set(next.at);
    await dispatch(t);
  }
}

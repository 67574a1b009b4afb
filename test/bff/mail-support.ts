import type { SqlExecutor } from '../../bff/db/client.ts';
/**
 * Shared pieces of the mail tests: fixture messages, a parse context, devices
 * enrolled under the names the fixtures report, and a running mail inbox over a
 * test app.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MailInbox, parseMessage, parseReport, tenantMailboxResolver, type ParseContext, type Verdict } from '../../bff/inbound/mail/index.ts';
import type { TestApp } from './harness.ts';

/** After every fixture's date (the fixtures report on 30 Nov – 5 Dec 2026). */
export const MAIL_NOW = Date.UTC(2026, 11, 5, 12, 0, 0);

const FIXTURES = new URL('../fixtures/mail/', import.meta.url);

/** The raw bytes of a fixture message. */
export const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES));

/** A parse context in `timeZone` with `keywordRules`. */
export function context(overrides: Partial<ParseContext> = {}): ParseContext {
  return { timeZone: 'UTC', keywordRules: [], receivedAt: MAIL_NOW, ...overrides };
}

/** The verdict of the parsers on a fixture. */
export async function verdictOf(name: string, overrides: Partial<ParseContext> = {}): Promise<Verdict> {
  return parseReport(await parseMessage(fixture(name)), context(overrides));
}

/** The jobs of a verdict, asserting it has some. */
export function jobsOf(verdict: Verdict) {
  assert.equal(verdict.result.kind, 'jobs', JSON.stringify(verdict.result));
  return (verdict.result as Extract<Verdict['result'], { kind: 'jobs' }>).jobs;
}

/** The reason of an unreadable verdict, asserting it is one. */
export function reasonOf(verdict: Verdict): string {
  assert.equal(verdict.result.kind, 'unreadable', JSON.stringify(verdict.result));
  return (verdict.result as { reason: string }).reason;
}

/** Enrols devices by id with the names the reports use (client `contoso` unless given). */
export async function enrollNamed(app: TestApp, devices: { id: string; name: string; clientId?: string }[]) {
  await app.request('PUT', 'policies/daily', { body: { name: 'Daily', intervalHours: 24 } });
  for (const device of devices) {
    const clientId = device.clientId ?? 'contoso';
    await app.request('PUT', `clients/${clientId}`, { body: { name: `Client ${clientId}` } });
    const { status, json } = await app.request('PUT', `devices/${device.id}`, { body: { clientId, name: device.name, kind: 'server', policyId: 'daily' } });
    assert.equal(status, 201, JSON.stringify(json));
  }
}

/** A mail inbox over the test app; mailbox keys are tenant ids (as before ping keys exist). */
export function inboxOf(app: TestApp): MailInbox {
  return new MailInbox({
    db: app.db,
    ingestor: app.services.ingestor,
    clock: app.clock,
    tenantForMailbox: tenantMailboxResolver(app.db),
    clockSkewMs: app.deps.config.clockSkewMs,
  });
}

/** The jobs of a device as GET /devices/:id shows them. */
export async function deviceJobs(app: TestApp, id: string) {
  const { status, json } = await app.request('GET', `devices/${id}`);
  assert.equal(status, 200, JSON.stringify(json));
  return json.jobs as { id: string; status: string; startedAt: string; endedAt: string | null; bytes: number | null; message: string | null }[];
}

/** Rows stored in inbound_mail for the tenant. */
export async function storedMail(app: TestApp) {
  return app.db.all<{ id: string; state: string; parser: string | null; raw: Uint8Array | null }>('SELECT id, state, parser, raw FROM inbound_mail WHERE tenant_id = ? ORDER BY received_at, rowid', [app.tenant.id]);
}

/** The mailbox key of a tenant (the local part of its report address): its ping key. */
export async function mailboxKeyOf(app: { db: SqlExecutor }, tenantId: string): Promise<string> {
  const row = await app.db.get<{ ping_key: string }>('SELECT ping_key FROM tenants WHERE id = ?', [tenantId]);
  return row!.ping_key;
}

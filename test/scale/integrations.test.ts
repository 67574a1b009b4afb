/**
 * Integrations over two BFF instances (separate OS processes) and one real sqld, with
 * the PSA, On-Call and SMTP stand-ins on loopback: tickets, pages and weekly mails are
 * delivered exactly once at the receiver although both instances run the outbox
 * dispatcher and the weekly schedule, including through a receiver outage (503) and
 * after an instance is killed with SIGKILL while it holds a claim.
 *
 * Every scenario uses its own tenant (own settings, no settings-cache interference)
 * and, for PSA / On-Call, its own stand-in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { CLAIM_MS } from '../../bff/services/outbox/dispatcher.ts';
import { startOnCallStandIn, type OnCallStandIn } from '../../demo/standins/oncall.ts';
import { startPsaStandIn, type PsaStandIn } from '../../demo/standins/psa.ts';
import { startSmtpInbox, type SmtpInbox } from '../../demo/standins/smtp-inbox.ts';
import { eventually, expectStatus, startCluster, type Cluster, type Instance, type Reply } from './cluster.ts';

const A = 0;
const B = 1;
const HOUR = 3_600_000;
const PSA_KEY = 'psa-scale-integration-key-0123456789';
const ONCALL_KEY = 'oncall-scale-integration-key-0123456789';
const iso = (ms: number) => new Date(ms).toISOString();
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;



/**
 * The PIDs among `pids` that hold an established TCP connection to 127.0.0.1:`port`
 * (Linux /proc): tells which instance's request a stand-in is holding.
 */
function pidsConnectedTo(port: number, pids: number[]): number[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const remotePort = parseInt(cols[2]!.split(':').pop()!, 16);
      if (remotePort === port && cols[3] === '01') inodes.add(cols[9]!);
    }
  }
  return pids.filter((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return match !== null && inodes.has(match[1]!);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}

interface OutboxRow {
  id: string;
  kind: string;
  dedup_key: string;
  status: string;
  attempts: number;
  claimed_by: string | null;
  claimed_until: number | null;
}

describe('integrations over two BFF instances and one sqld', () => {
  let cluster: Cluster;
  let db: Database;
  let smtp: SmtpInbox;
  const standIns: { close(): Promise<void> }[] = [];

  before(async () => {
    smtp = await startSmtpInbox();
    cluster = await startCluster({
      instances: 2,
      env: { BHM_SWEEP_INTERVAL_S: '1', SMTP_URL: smtp.url, PUBLIC_URL: 'https://backups.example.com' },
    });
    db = openDatabase({ url: cluster.sqld.url });
  });
  after(async () => {
    await db?.close();
    await cluster?.stop();
    await Promise.allSettled(standIns.map((s) => s.close()));
    await smtp?.close();
  });

  /** A fresh tenant (created through A) and a request function bound to its admin key. */
  async function newTenant(name: string) {
    const created = await cluster.request(A, 'POST', 'tenants', { token: cluster.platformKey, body: { name } });
    expectStatus(created, 201, 'POST /tenants');
    const key: string = created.json.adminKey;
    const me = await cluster.request(B, 'GET', 'me', { token: key });
    expectStatus(me, 200, 'GET /me on B');
    const tenantId: string = me.json.tenant.id;
    const req = (i: number, method: string, path: string, body?: unknown) => cluster.request(i, method, path, { token: key, body });
    const outbox = (channel: string) =>
      db.all<OutboxRow>('SELECT id, kind, dedup_key, status, attempts, claimed_by, claimed_until FROM outbox WHERE tenant_id = ? AND channel = ? ORDER BY created_at, id', [tenantId, channel]);
    /** All items of `channel` delivered (a delivered item can never be claimed again). */
    const settled = async (channel: string, count: number) => {
      const rows = await outbox(channel);
      return rows.length === count && rows.every((row) => row.status === 'delivered') && rows;
    };
    return { key, tenantId, req, outbox, settled };
  }
  type Tenant = Awaited<ReturnType<typeof newTenant>>;

  /** Client, daily policy and one server; through B. */
  async function fleet(t: Tenant, deviceId: string, policyHours = 24) {
    expectStatus(await t.req(B, 'PUT', 'clients/contoso', { name: 'Contoso', timezone: 'UTC' }), [200, 201], 'PUT client');
    expectStatus(await t.req(A, 'PUT', `policies/p-${policyHours}`, { name: `Every ${policyHours} h`, intervalHours: policyHours }), [200, 201], 'PUT policy');
    expectStatus(await t.req(B, 'PUT', `devices/${deviceId}`, { clientId: 'contoso', name: deviceId.toUpperCase(), kind: 'server', policyId: `p-${policyHours}` }), [200, 201], 'PUT device');
  }

  let sequence = 0;
  async function job(t: Tenant, i: number, deviceId: string, status: 'success' | 'failed', endedAt: number) {
    const reply = await t.req(i, 'POST', 'events', {
      type: 'job',
      id: `job-${deviceId}-${++sequence}`,
      deviceId,
      status,
      startedAt: iso(endedAt - 600_000),
      endedAt: iso(endedAt),
      bytes: 1_000_000,
    });
    expectStatus(reply, 202, `POST /events (${status}) on instance ${i}`);
  }

  async function psaTenant(name: string): Promise<{ t: Tenant; psa: PsaStandIn }> {
    // Every tenant needs its own PSA integration key.
    const key = `${PSA_KEY}-${name.toLowerCase().replace(/\W+/g, '-')}`;
    const psa = await startPsaStandIn({ key });
    standIns.push(psa);
    const t = await newTenant(name);
    const put = await t.req(A, 'PUT', 'settings/integrations/psa', { enabled: true, baseUrl: psa.url, integrationKey: key, failureThreshold: 3 });
    expectStatus(put, 200, 'PUT /settings/integrations/psa');
    return { t, psa };
  }

  test('three failures posted alternately to A and B open exactly one Critical ticket, through a 503 outage; the next success resolves it once', async () => {
    const { t, psa } = await psaTenant('PSA Tenant');
    await fleet(t, 'srv-01');
    const now = Date.now();
    await job(t, A, 'srv-01', 'success', now - 5 * HOUR);
    await job(t, B, 'srv-01', 'failed', now - 4 * HOUR);
    await job(t, A, 'srv-01', 'failed', now - 3 * HOUR);
    assert.equal((await t.outbox('psa')).length, 0, 'no ticket below the threshold');
    // The PSA is down for the first three attempts (Retry-After 1 s keeps the test short).
    psa.failNext(3, { status: 503, retryAfterSeconds: 1 });
    await job(t, B, 'srv-01', 'failed', now - 2 * HOUR);
    // Both instances evaluate the device again (sweeps run every second as well).
    for (const i of [A, B]) expectStatus(await t.req(i, 'POST', 'admin/evaluate'), 200, 'POST /admin/evaluate');

    await eventually(() => t.settled('psa', 1), 'the ticket item to be delivered', 20_000);
    assert.equal(psa.tickets.length, 1, 'exactly one ticket at the PSA');
    const [ticket] = psa.tickets;
    assert.equal(ticket!.type, 'Backup Failure');
    assert.equal(ticket!.priority, 'Critical');
    assert.equal(ticket!.alertType, 'backup_failed');
    assert.deepEqual(ticket!.device, { id: 'srv-01', name: 'SRV-01' });
    const posts = psa.received.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.outcome),
      [503, 503, 503, 201],
    );
    assert.equal(new Set(posts.map((r) => r.idempotencyKey)).size, 1, 'one Idempotency-Key for every attempt');
    const ticketRow = await db.get<{ external_id: string | null }>('SELECT external_id FROM tickets WHERE tenant_id = ?', [t.tenantId]);
    assert.equal(ticketRow!.external_id, ticket!.id);

    // Recovery, through A; B evaluates it too.
    await job(t, A, 'srv-01', 'success', now - HOUR);
    expectStatus(await t.req(B, 'POST', 'admin/evaluate'), 200, 'POST /admin/evaluate on B');
    await eventually(() => t.settled('psa', 2), 'the resolve item to be delivered', 15_000);
    const patches = psa.received.filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'exactly one resolve PATCH');
    assert.equal(patches[0]!.path, `/tickets/${ticket!.id}`);
    assert.equal(patches[0]!.outcome, 200);
    assert.equal(psa.tickets[0]!.status, 'resolved');
    assert.equal(psa.tickets.length, 1);
    assert.equal(psa.received.filter((r) => r.method === 'POST').length, 4, 'no further ticket creation');
  });

  test('weekly mail: "send now" once gives one mail; the scheduled slot gives one mail although every instance runs the schedule', async () => {
    const t = await newTenant('Weekly Tenant');
    await fleet(t, 'srv-w');
    await job(t, A, 'srv-w', 'success', Date.now() - 2 * HOUR);
    const manualTo = 'manual@weekly.example.com';
    expectStatus(await t.req(B, 'PUT', 'settings/reports', { weeklyEnabled: false, recipients: [manualTo], timezone: 'UTC' }), 200, 'PUT /settings/reports');
    expectStatus(await t.req(A, 'POST', 'reports/weekly/send'), 202, 'POST /reports/weekly/send');
    await eventually(() => t.settled('mail', 1), 'the manual weekly mail to be delivered', 15_000);
    assert.equal(smtp.received.filter((m) => m.to.includes(manualTo)).length, 1, 'exactly one manual mail');

    // The schedule: today (UTC), two minutes ago. Weekly schedules run once a minute
    // (first run 1 s after start), so two fresh instances are started after the
    // settings are written; A and B run it as well once their minute is up.
    const scheduledTo = 'scheduled@weekly.example.com';
    const slot = new Date(Date.now() - 2 * 60_000);
    const deliveryTime = `${String(slot.getUTCHours()).padStart(2, '0')}:${String(slot.getUTCMinutes()).padStart(2, '0')}`;
    const put = await t.req(A, 'PUT', 'settings/reports', {
      weeklyEnabled: true,
      recipients: [scheduledTo],
      deliveryDay: WEEKDAYS[slot.getUTCDay()],
      deliveryTime,
      timezone: 'UTC',
    });
    expectStatus(put, 200, 'PUT /settings/reports (schedule)');
    const extra: Instance[] = await Promise.all([cluster.addInstance(), cluster.addInstance()]);
    const readyAt = Date.now();
    try {
      await eventually(() => t.settled('mail', 2), 'the scheduled weekly mail to be delivered', 20_000);
      // Both fresh instances' first schedule run fires 1 s after their start (before
      // they were ready): give it that second plus a margin, then nothing more may come.
      await eventually(() => Date.now() >= readyAt + 3_000, 'both fresh instances to have run their schedule', 5_000);
      await eventually(() => t.settled('mail', 2), 'no further weekly mail item', 5_000);
      const weeks = await db.all<{ week_key: string }>('SELECT week_key FROM weekly_reports WHERE tenant_id = ?', [t.tenantId]);
      assert.equal(weeks.length, 1, 'one claimed week');
      const scheduled = (await t.outbox('mail')).filter((row) => row.dedup_key.startsWith('weekly:'));
      assert.equal(scheduled.length, 1, 'one scheduled outbox item');
      assert.equal(scheduled[0]!.dedup_key, `weekly:${weeks[0]!.week_key}`);
      // Each fresh instance has run its schedule at least once by now (1 s after start).
      assert.equal(smtp.received.filter((m) => m.to.includes(scheduledTo)).length, 1, 'exactly one scheduled mail');
      assert.equal(smtp.received.filter((m) => m.to.includes(manualTo)).length, 1, 'still one manual mail');
    } finally {
      await Promise.all(extra.map((instance) => instance.stop()));
    }
    // Stopping waits for schedule runs in progress: still one week, one scheduled item.
    assert.equal((await db.all('SELECT 1 FROM weekly_reports WHERE tenant_id = ?', [t.tenantId])).length, 1);
    assert.equal((await t.outbox('mail')).filter((row) => row.dedup_key.startsWith('weekly:')).length, 1);
  });

  test('an On-Call page for an SLA breach is sent exactly once although both instances evaluate the device', async () => {
    const oncall: OnCallStandIn = await startOnCallStandIn({ key: ONCALL_KEY });
    standIns.push(oncall);
    const t = await newTenant('On-Call Tenant');
    expectStatus(await t.req(A, 'PUT', 'settings/sla', { tenant: { workstationHours: 24, serverHours: 12, saasHours: 24 } }), 200, 'PUT /settings/sla');
    const put = await t.req(B, 'PUT', 'settings/integrations/oncall', {
      enabled: true,
      baseUrl: oncall.url,
      integrationKey: ONCALL_KEY,
      escalationPolicy: 'backup-oncall',
      breachHoursThreshold: 1,
      deviceKinds: ['server'],
      // No business hours: always "outside", so the breach pages.
      businessHours: { timezone: 'UTC', days: [] },
    });
    expectStatus(put, 200, 'PUT /settings/integrations/oncall');
    await fleet(t, 'srv-oc', 4);
    // Last success 20 h ago: 8 h into the 12 h server SLA breach.
    await job(t, A, 'srv-oc', 'success', Date.now() - 20 * HOUR);
    const evaluations = await Promise.all([A, B, A, B].map((i) => t.req(i, 'POST', 'admin/evaluate')));
    for (const reply of evaluations) expectStatus(reply, 200, 'POST /admin/evaluate');
    const [item] = await eventually(() => t.settled('oncall', 1), 'the page to be delivered', 15_000);
    assert.equal(item!.kind, 'trigger');
    assert.equal(oncall.pages.length, 1, 'exactly one page');
    assert.equal(oncall.incidents.length, 1);
    assert.equal(oncall.pages[0]!.action, 'trigger');
    assert.equal(oncall.pages[0]!.escalationPolicy, 'backup-oncall');
    assert.deepEqual(oncall.pages[0]!.device, { id: 'srv-oc', name: 'SRV-OC' });
    assert.equal(oncall.received.filter((r) => r.method === 'POST').length, 1);
  });

  test('an instance killed with SIGKILL while it holds a claim: the survivor delivers the item after the claim expires, exactly once', async () => {
    const { t, psa } = await psaTenant('Kill Tenant');
    await fleet(t, 'srv-k');
    const now = Date.now();
    await job(t, A, 'srv-k', 'success', now - 5 * HOUR);
    await job(t, B, 'srv-k', 'failed', now - 4 * HOUR);
    await job(t, A, 'srv-k', 'failed', now - 3 * HOUR);
    // The PSA hangs on the first call: the claimant's request stays in flight (10 s limit).
    psa.failNext(1, { timeout: true });
    await job(t, B, 'srv-k', 'failed', now - 2 * HOUR);
    const hung = await psa.waitFor((r) => r.method === 'POST' && r.outcome === 'timeout', 10_000);
    const [claimed] = await t.outbox('psa');
    assert.equal(claimed!.status, 'sending');
    assert.ok(claimed!.claimed_by && claimed!.claimed_until);

    // Which instance holds the hanging request? The one with a connection to this stand-in.
    const alive = cluster.instances.filter((instance) => instance.alive);
    assert.equal(alive.length, 2);
    const holders = pidsConnectedTo(psa.port, alive.map((instance) => instance.process.pid!));
    assert.equal(holders.length, 1, `exactly one instance is talking to the PSA (found ${holders.length})`);
    const victim = alive.find((instance) => instance.process.pid === holders[0])!;
    const survivor = alive.find((instance) => instance !== victim)!;
    await victim.kill9();
    assert.equal(victim.alive, false);

    // Nothing may deliver before the claim expires; the survivor delivers it afterwards.
    const [delivered] = await eventually(() => t.settled('psa', 1), 'the survivor to deliver the dead claim', CLAIM_MS + 20_000);
    assert.ok(survivor.alive, 'the survivor is still running');
    assert.equal(psa.tickets.length, 1, 'exactly one ticket at the PSA');
    const posts = psa.received.filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.outcome),
      ['timeout', 201],
    );
    assert.equal(new Set(posts.map((r) => r.idempotencyKey)).size, 1, 'the retry uses the same Idempotency-Key');
    assert.ok(Date.parse(posts[1]!.at) >= claimed!.claimed_until!, 'taken over only after the claim expired');
    assert.ok(Date.parse(hung.at) < claimed!.claimed_until!);
    assert.equal(delivered!.attempts, 1, 'the killed attempt was never recorded; one recorded attempt');
    const row = await db.get<{ claimed_by: string | null }>('SELECT claimed_by FROM outbox WHERE id = ?', [delivered!.id]);
    assert.equal(row!.claimed_by, null);
  });
});

/**
 * PSA tickets end to end: devices and events through the HTTP API, the
 * evaluator's transitions, the outbox and the real PSA stand-in on loopback.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { ok, postEvents, putClient, putDevice, putPolicy } from './fleet.ts';
import { HOUR, T0 } from './harness.ts';
import { dispatch, dispatchUntilSettled, enablePsa, expectStatus, outboxRows, PSA_KEY, startKit, type Kit } from './integrations-kit.ts';

let kit: Kit;
let sequence = 0;
const iso = (ms: number) => new Date(ms).toISOString();

/** A job that ended at `endedAt` (10 minutes long); sets the clock to its end so it is never in the future. */
async function report(deviceId: string, status: 'success' | 'failed', endedAt: number, extra: object = {}) {
  if (kit.t.clock() < endedAt) kit.t.clock.set(endedAt);
  await postEvents(kit.t, [{ type: 'job', id: `job-${++sequence}`, deviceId, status, startedAt: iso(endedAt - 600_000), endedAt: iso(endedAt), ...extra }]);
}

/** SRV-01 (a server of Contoso on a daily policy) with a success at T0 − 1 h. */
async function serverWithSuccess() {
  kit.t.clock.set(T0 - 2 * HOUR);
  await putClient(kit.t, 'contoso', 'Contoso');
  await putPolicy(kit.t, 'daily', 24);
  await putDevice(kit.t, 'srv-01', { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'daily' });
  await report('srv-01', 'success', T0 - HOUR);
}

async function failures(count: number, from = T0) {
  for (let i = 0; i < count; i++) await report('srv-01', 'failed', from + i * HOUR);
}

const alertOf = async (type: string) => (await ok(kit.t.request('GET', `alerts?device=srv-01&type=${type}&state=active`))).items[0];

beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

describe('ticket creation', () => {
  test('three consecutive failures on a server open exactly one Critical "Backup Failure" ticket', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(2);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0, 'no ticket below the threshold');
    await failures(2, T0 + 2 * HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    const [ticket] = kit.psa.tickets;
    assert.equal(ticket!.type, 'Backup Failure');
    assert.equal(ticket!.priority, 'Critical');
    assert.equal(ticket!.alertType, 'backup_failed');
  });

  test('the ticket names device, client, last successful backup, the job log link and the alert', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    const alert = await alertOf('backup_failed');
    const [ticket] = kit.psa.tickets;
    assert.equal(ticket!.externalRef, alert.id);
    assert.deepEqual(ticket!.device, { id: 'srv-01', name: 'SRV-01' });
    assert.deepEqual(ticket!.client, { id: 'contoso', name: 'Contoso' });
    assert.equal(ticket!.lastSuccessfulBackupAt, iso(T0 - HOUR));
    assert.equal(ticket!.jobLogUrl, 'https://backups.example.com/console/devices/srv-01');
    assert.equal(ticket!.triggeredAt, alert.triggeredAt);
    assert.match(ticket!.summary, /^Backup Failure: SRV-01 \(Contoso\) — 3 consecutive failures/);
    assert.match(ticket!.description, /Recommended action: /);
    assert.match(ticket!.description, /Last successful backup: 2026-11-24 11:00 UTC/);
  });

  test("the newest job's log URL becomes the ticket's job log link", async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(2);
    await report('srv-01', 'failed', T0 + 2 * HOUR, { logUrl: 'https://rmm.example.com/jobs/42/log' });
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets[0]!.jobLogUrl, 'https://rmm.example.com/jobs/42/log');
  });

  test('further failures update the alert and open no second ticket: each adds a note to the open ticket', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(6);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal(kit.psa.received.filter((r) => r.method === 'POST' && r.path === '/tickets').length, 1);
    const notes = kit.psa.tickets[0]!.notes.filter((note) => note.kind === 'note');
    assert.equal(notes.length, 3, 'failures 4, 5 and 6');
    assert.match(notes[2]!.text ?? '', /^Another failed backup at 2026-11-24 17:00 UTC \(6 in a row\)\.$/);
  });

  test('a PSA outage (503) delays the ticket but creates exactly one, with one Idempotency-Key throughout', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    kit.psa.failNext(4, { status: 503 });
    await failures(3);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    const posts = kit.psa.received.filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.outcome), [503, 503, 503, 503, 201]);
    assert.equal(new Set(posts.map((r) => r.idempotencyKey)).size, 1);
  });

  test('an answer lost after the PSA created the ticket does not create a second one on retry', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    kit.psa.failNext(1, { dropAfterProcessing: true });
    await failures(3);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal(kit.psa.received.length, 2);
    const [row] = await kit.t.db.all<{ external_id: string }>('SELECT external_id FROM tickets');
    assert.equal(row!.external_id, kit.psa.tickets[0]!.id);
  });

  test('two instances evaluating the same device at once open one ticket', async () => {
    await serverWithSuccess();
    await failures(3);
    await enablePsa(kit);
    const second = createApp({ ...kit.t.deps, instanceId: 'second-instance' });
    const evaluateOnSecond = second.app.request('/api/v1/admin/evaluate', { method: 'POST', headers: { authorization: `Bearer ${kit.t.adminKey}` } });
    const answers = await Promise.all([kit.t.request('POST', 'admin/evaluate'), evaluateOnSecond]);
    assert.deepEqual([answers[0].status, answers[1].status], [200, 200]);
    assert.equal((await outboxRows(kit.t, 'psa')).length, 1);
    await Promise.all([dispatch(kit.t), second.services.integrations.dispatchDue(kit.t.clock())]);
    assert.equal(kit.psa.tickets.length, 1);
  });

  test('the failure threshold is honoured', async () => {
    await enablePsa(kit, { failureThreshold: 5 });
    await serverWithSuccess();
    await failures(4);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    await failures(1, T0 + 4 * HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
  });

  test('an alert type mapped to null opens no ticket', async () => {
    const settings = await enablePsa(kit, { mapping: { backup_failed: null } });
    assert.equal(settings.mapping.backup_failed, null);
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    assert.equal((await outboxRows(kit.t, 'psa')).length, 0);
  });

  test('a remapped alert type opens its ticket with the configured type and priority', async () => {
    await enablePsa(kit, { mapping: { backup_failed: { ticketType: 'Backup Job Failed', priority: 'High' } } });
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    assert.deepEqual([kit.psa.tickets[0]!.type, kit.psa.tickets[0]!.priority], ['Backup Job Failed', 'High']);
  });

  test('no ticket while the integration is disabled', async () => {
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    assert.equal(kit.psa.received.length, 0);
  });

  test('backup_overdue opens its High "Backup Overdue" ticket only past 24 h without success', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    kit.t.clock.set(T0 - HOUR + 13 * HOUR);
    await ok(kit.t.request('POST', 'admin/evaluate'));
    assert.ok(await alertOf('backup_overdue'), 'the alert opens at 12 h for a server');
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    kit.t.clock.set(T0 - HOUR + 24 * HOUR + 60_000);
    await ok(kit.t.request('POST', 'admin/evaluate'));
    await dispatch(kit.t);
    assert.deepEqual(kit.psa.tickets.map((ticket) => [ticket.type, ticket.priority, ticket.alertType]), [['Backup Overdue', 'High', 'backup_overdue']]);
  });
});

describe('ticket resolution', () => {
  test('the next success resolves the ticket with a note', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await dispatch(kit.t);
    const patch = kit.psa.received.find((r) => r.method === 'PATCH');
    assert.equal(patch!.path, `/tickets/${kit.psa.tickets[0]!.id}`);
    assert.equal(kit.psa.tickets[0]!.status, 'resolved');
    assert.equal(kit.psa.tickets[0]!.note, 'Resolved automatically: backup succeeded at 2026-11-24 15:00 UTC');
  });

  test('retiring a device resolves its ticket once, like any resolved alert', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    kit.t.clock.set(T0 + 4 * HOUR);
    await expectStatus(kit.t.request('DELETE', 'devices/srv-01'), 204);
    await expectStatus(kit.t.request('DELETE', 'devices/srv-01'), 204);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal(kit.psa.tickets[0]!.status, 'resolved');
    assert.equal(kit.psa.tickets[0]!.note, 'Resolved automatically: condition cleared at 2026-11-24 16:00 UTC');
    assert.equal(kit.psa.received.filter((r) => r.method === 'PATCH').length, 1);
  });

  test('a resolution waits for the ticket to exist at the PSA, then follows it', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    kit.psa.failNext(2, { status: 503 });
    await failures(3);
    await dispatch(kit.t);
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal(kit.psa.tickets[0]!.status, 'resolved');
    assert.deepEqual(kit.psa.received.map((r) => `${r.method} ${r.outcome}`), ['POST 503', 'POST 503', 'POST 201', 'PATCH 200']);
  });

  test('a new failure streak less than reopenDays after the resolution reopens the ticket with a note, instead of a new one', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(3);
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await dispatchUntilSettled(kit.t);
    await failures(3, T0 + 4 * HOUR);
    await dispatchUntilSettled(kit.t);
    assert.deepEqual(kit.psa.tickets.map((ticket) => ticket.status), ['open']);
    const [ticket] = kit.psa.tickets;
    assert.deepEqual(ticket!.notes.map((note) => note.kind), ['resolved', 'reopened']);
    assert.match(ticket!.notes[1]!.text ?? '', /^Reopened: the problem is back \(since 2026-11-24 16:00 UTC\): .*The ticket was resolved at 2026-11-24 15:00 UTC\.$/);
    const patches = kit.psa.received.filter((r) => r.method === 'PATCH').map((r) => (r.body as { status: string }).status);
    assert.deepEqual(patches, ['resolved', 'open']);
    // The reopened ticket resolves again when the alert that reopened it does.
    await report('srv-01', 'success', T0 + 8 * HOUR);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets[0]!.status, 'resolved');
  });

  test('a reopen waits for the resolve before it that the PSA asked to retry later: the ticket ends open', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    await failures(3);
    await dispatch(kit.t);
    kit.psa.failNext(1, { status: 429, retryAfterSeconds: 3600 });
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await dispatch(kit.t);
    // The problem is back within the hour the PSA asked to wait.
    for (const minutes of [10, 20, 30]) await report('srv-01', 'failed', T0 + 3 * HOUR + minutes * 60_000);
    await dispatchUntilSettled(kit.t);
    const [ticket] = kit.psa.tickets;
    assert.deepEqual(ticket!.notes.map((note) => note.kind), ['resolved', 'reopened']);
    assert.equal(ticket!.status, 'open');
  });

  test('a new failure streak reopenDays or more after the resolution opens a new ticket', async () => {
    await enablePsa(kit);
    await expectStatus(kit.t.request('PUT', 'settings/alerts', { body: { reopenDays: 1 } }), 200);
    await serverWithSuccess();
    await failures(3);
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await failures(3, T0 + 27 * HOUR);
    await dispatchUntilSettled(kit.t);
    const failureTickets = kit.psa.tickets.filter((ticket) => ticket.alertType === 'backup_failed');
    assert.deepEqual(failureTickets.map((ticket) => ticket.status), ['resolved', 'open']);
  });

  test('reopenDays 0 never reopens: the next streak opens a new ticket', async () => {
    await enablePsa(kit);
    await expectStatus(kit.t.request('PUT', 'settings/alerts', { body: { reopenDays: 0 } }), 200);
    await serverWithSuccess();
    await failures(3);
    await report('srv-01', 'success', T0 + 3 * HOUR);
    await failures(3, T0 + 4 * HOUR);
    await dispatchUntilSettled(kit.t);
    assert.deepEqual(kit.psa.tickets.map((ticket) => ticket.status), ['resolved', 'open']);
  });
});

describe('failures and settings', () => {
  test('a 400 from the PSA is not retried and shows in the settings status', async () => {
    await enablePsa(kit);
    await serverWithSuccess();
    kit.psa.failNext(1, { status: 400, body: { error: 'Unknown ticket type' } });
    await failures(3);
    await dispatch(kit.t);
    kit.t.clock.advance(2 * HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.received.length, 1);
    const { status } = await expectStatus(kit.t.request('GET', 'settings/integrations/psa'), 200);
    assert.equal(status.failed, 1);
    assert.equal(status.queueDepth, 0);
    assert.match(status.lastError.message, /answered 400.*Unknown ticket type/);
  });

  test('GET never returns the integration key, only that one is set', async () => {
    const before = await expectStatus(kit.t.request('GET', 'settings/integrations/psa'), 200);
    assert.equal(before.integrationKeySet, false);
    await enablePsa(kit);
    const after = await expectStatus(kit.t.request('GET', 'settings/integrations/psa'), 200);
    assert.equal(after.integrationKeySet, true);
    assert.equal('integrationKey' in after, false);
    assert.ok(!JSON.stringify(after).includes(PSA_KEY));
  });

  test('the PSA can read with its integration key; a wrong key is 401', async () => {
    await enablePsa(kit);
    assert.equal((await kit.t.request('GET', 'devices', { token: null, headers: { 'x-integration-key': PSA_KEY } })).status, 200);
    assert.equal((await kit.t.request('GET', 'devices', { token: null, headers: { 'x-integration-key': 'wrong-key-0123456789' } })).status, 401);
  });

  test('a PSA integration key already used by another tenant is refused with 409', async () => {
    await enablePsa(kit);
    const other = await expectStatus(kit.t.request('POST', 'tenants', { token: kit.t.deps.config.platformKey, body: { name: 'Other MSP' } }), 201);
    await expectStatus(kit.t.request('PUT', 'settings/integrations/psa', { token: other.adminKey, body: { integrationKey: PSA_KEY } }), 409);
  });

  test('enabling without a base URL and key is 422 naming both', async () => {
    const problem = await expectStatus(kit.t.request('PUT', 'settings/integrations/psa', { body: { enabled: true } }), 422);
    assert.deepEqual(problem.errors.map((e: { path: string }) => e.path).sort(), ['baseUrl', 'integrationKey']);
  });

  test('invalid settings are 422: unknown alert type, non-http URL, threshold out of range', async () => {
    for (const body of [{ mapping: { backup_exploded: null } }, { baseUrl: 'ftp://psa.example.com' }, { failureThreshold: 0 }, { mapping: { backup_failed: { ticketType: 'X', priority: 'Urgent' } } }]) {
      await expectStatus(kit.t.request('PUT', 'settings/integrations/psa', { body }), 422);
    }
  });

  test('a partial update keeps the other fields', async () => {
    await enablePsa(kit, { failureThreshold: 4 });
    const settings = await expectStatus(kit.t.request('PUT', 'settings/integrations/psa', { body: { mapping: { dr_test_failed: null } } }), 200);
    assert.equal(settings.failureThreshold, 4);
    assert.equal(settings.enabled, true);
    assert.deepEqual(settings.mapping.backup_failed, { ticketType: 'Backup Failure', priority: 'Critical' });
    assert.equal(settings.mapping.dr_test_failed, null);
  });

  test('only admins see or change the PSA settings', async () => {
    const reader = await expectStatus(kit.t.request('POST', 'api-keys', { body: { name: 'reader', scopes: ['read'] } }), 201);
    assert.equal((await kit.t.request('GET', 'settings/integrations/psa', { token: reader.key })).status, 403);
    assert.equal((await kit.t.request('PUT', 'settings/integrations/psa', { token: reader.key, body: { enabled: false } })).status, 403);
  });
});

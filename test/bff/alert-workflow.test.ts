/**
 * Acknowledgement as a workflow, reminders and the ticket lifecycle (docs/alert-workflow.md),
 * end to end: the HTTP API, the evaluator, the sweep, the outbox and the PSA and
 * On-Call stand-ins on loopback.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ok, putClient, putDevice, putPolicy, reportJob } from './fleet.ts';
import { HOUR, T0 } from './harness.ts';
import { dispatchUntilSettled, enableOnCall, enablePsa, expectStatus, outboxRows, startKit, type Kit } from './integrations-kit.ts';

const iso = (ms: number) => new Date(ms).toISOString();
/** Saturday 2026-11-28 12:00 UTC: outside Monday–Friday business hours. */
const SATURDAY = Date.UTC(2026, 10, 28, 12);

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

const report = (deviceId: string, status: 'success' | 'failed', endedAt: number) => reportJob(kit.t, deviceId, status, endedAt);

/** SRV-01 (a server of Contoso on a daily policy) with a success `hoursBefore` `at`, then `failures` failed jobs 10 minutes apart from `at`. */
async function failingServer(at = T0, failures = 3, hoursBefore = 1) {
  kit.t.clock.set(at - (hoursBefore + 1) * HOUR);
  await putClient(kit.t, 'contoso', 'Contoso');
  await putPolicy(kit.t, 'daily', 24);
  await putDevice(kit.t, 'srv-01', { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'daily' });
  await report('srv-01', 'success', at - hoursBefore * HOUR);
  for (let i = 0; i < failures; i++) await report('srv-01', 'failed', at + i * 600_000);
}

const failedAlert = async () => (await ok(kit.t.request('GET', 'alerts?device=srv-01&type=backup_failed'))).items[0];
const detail = async (id: string) => ok(kit.t.request('GET', `alerts/${id}`));
const sweepAt = async (at: number) => {
  kit.t.clock.set(at);
  await kit.t.services.sweeper.sweep(at);
  await dispatchUntilSettled(kit.t);
  kit.t.clock.set(at);
};
const reminderNotes = () => (kit.psa.tickets[0]?.notes ?? []).filter((note) => note.kind === 'note' && /^Reminder/.test(note.text ?? ''));

describe('acknowledgement', () => {
  test('acknowledging records who (key:<the API key name>), when and the note, in the alert and its history', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    const acknowledged = await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`, { body: { note: 'Restarting the agent' } }));
    assert.equal(acknowledged.state, 'acknowledged');
    assert.equal(acknowledged.acknowledgedBy, 'key:admin (created with tenant)');
    assert.equal(acknowledged.acknowledgementNote, 'Restarting the agent');
    assert.equal(acknowledged.acknowledgedAt, iso(kit.t.clock()));
    const listed = await failedAlert();
    assert.equal(listed.acknowledgedBy, 'key:admin (created with tenant)');
    const { history } = await detail(alert.id);
    assert.deepEqual(history.map((entry: { action: string; by: string | null }) => [entry.action, entry.by]), [['opened', null], ['acknowledged', 'key:admin (created with tenant)']]);
  });

  test("an embed token acknowledges as its subject", async () => {
    await failingServer(T0, 1);
    const { token } = await ok(kit.t.request('POST', 'embed-tokens', { body: { scopes: ['read', 'operate'], subject: 'dana@msp.example' } }), 201);
    const alert = await failedAlert();
    const acknowledged = await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`, { token }));
    assert.equal(acknowledged.acknowledgedBy, 'dana@msp.example');
  });

  test('unacknowledging opens the alert again, clears who and the note, and records who undid it', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`, { body: { note: 'Mine' } }));
    kit.t.clock.advance(60_000);
    const reopened = await ok(kit.t.request('POST', `alerts/${alert.id}/unacknowledge`, { body: { note: 'Handing over' } }));
    assert.equal(reopened.state, 'open');
    assert.equal(reopened.acknowledgedBy, null);
    assert.equal(reopened.acknowledgementNote, null);
    const last = (await detail(alert.id)).history.at(-1);
    assert.deepEqual([last.action, last.by, last.note], ['unacknowledged', 'key:admin (created with tenant)', 'Handing over']);
  });

  test('unacknowledging an open alert changes nothing', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    const same = await ok(kit.t.request('POST', `alerts/${alert.id}/unacknowledge`));
    assert.equal(same.state, 'open');
    assert.equal((await detail(alert.id)).history.length, 1);
  });

  test('a silenced alert, acknowledged, shows both: who acknowledged it and the silence muting it', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    const silence = await ok(kit.t.request('POST', 'silences', { body: { matchers: { deviceId: 'srv-01' }, endsAt: iso(kit.t.clock() + 4 * HOUR), comment: 'Firmware update' } }));
    const acknowledged = await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`, { body: { note: 'Known' } }));
    assert.deepEqual([acknowledged.acknowledgedBy, acknowledged.acknowledgementNote, acknowledged.silencedBy], ['key:admin (created with tenant)', 'Known', [silence.id]]);
    const { results } = await ok(kit.t.request('POST', 'alerts/acknowledge', { body: { ids: [alert.id] } }));
    assert.deepEqual(results[0].alert.silencedBy, [silence.id]);
    const shown = await detail(alert.id);
    assert.deepEqual([shown.acknowledgedBy, shown.silencedBy, shown.history.at(-1).by], ['key:admin (created with tenant)', [silence.id], 'key:admin (created with tenant)']);
  });

  test('bulk acknowledgement answers per alert: acknowledged, unchanged, not-found, resolved', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    await putDevice(kit.t, 'srv-02', { clientId: 'contoso', name: 'SRV-02', kind: 'server', policyId: 'daily' });
    await report('srv-02', 'failed', kit.t.clock() + 60_000);
    const second = (await ok(kit.t.request('GET', 'alerts?device=srv-02&type=backup_failed'))).items[0];
    await ok(kit.t.request('POST', `alerts/${second.id}/acknowledge`));
    await report('srv-02', 'success', kit.t.clock() + 60_000);
    await putDevice(kit.t, 'srv-03', { clientId: 'contoso', name: 'SRV-03', kind: 'server', policyId: 'daily' });
    await report('srv-03', 'failed', kit.t.clock() + 60_000);
    const third = (await ok(kit.t.request('GET', 'alerts?device=srv-03&type=backup_failed'))).items[0];
    await ok(kit.t.request('POST', `alerts/${third.id}/acknowledge`));
    const { results } = await ok(kit.t.request('POST', 'alerts/acknowledge', { body: { ids: [alert.id, third.id, 'nobody', second.id], note: 'Batch' } }));
    assert.deepEqual(results.map((r: { id: string; outcome: string }) => [r.id, r.outcome]), [
      [alert.id, 'acknowledged'],
      [third.id, 'unchanged'],
      ['nobody', 'not-found'],
      [second.id, 'resolved'],
    ]);
    assert.equal(results[0].alert.acknowledgementNote, 'Batch');
  });

  test('a note that is not a string or too long is a 422 naming note, for one alert as for several', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    for (const note of [42, 'x'.repeat(2_001)]) {
      for (const [path, body] of [
        [`alerts/${alert.id}/acknowledge`, { note }],
        [`alerts/${alert.id}/unacknowledge`, { note }],
        ['alerts/acknowledge', { ids: [alert.id], note }],
      ] as const) {
        const response = await kit.t.request('POST', path, { body });
        assert.equal(response.status, 422, `${path} ${String(note).slice(0, 10)}`);
        assert.deepEqual(response.json.errors.map((e: { path?: string }) => e.path), ['note'], path);
      }
    }
    assert.equal((await detail(alert.id)).state, 'open');
  });

  test('a body that is not sent as JSON is a 415 saying how to send it, for one alert as for several; no body at all is fine', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    for (const path of [`alerts/${alert.id}/acknowledge`, `alerts/${alert.id}/unacknowledge`, 'alerts/acknowledge']) {
      const response = await kit.t.request('POST', path, { raw: `note=On+it&ids=${alert.id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(response.status, 415, path);
      assert.equal(response.json.detail, 'Send the body as JSON with "Content-Type: application/json".', path);
    }
    assert.equal((await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`, { raw: '' }))).state, 'acknowledged');
  });

  test('bulk acknowledgement answers a repeated id once, where it was first asked', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    const { results } = await ok(kit.t.request('POST', 'alerts/acknowledge', { body: { ids: ['nobody', alert.id, 'nobody', alert.id, 'other'] } }));
    assert.deepEqual(results.map((r: { id: string; outcome: string }) => [r.id, r.outcome]), [
      ['nobody', 'not-found'],
      [alert.id, 'acknowledged'],
      ['other', 'not-found'],
    ]);
  });

  test('an acknowledged alert that escalates to critical is open again, and its history says whose acknowledgement no longer holds', async () => {
    await failingServer(T0, 1);
    const alert = await failedAlert();
    await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`));
    for (let i = 1; i < 3; i++) await report('srv-01', 'failed', T0 + i * 600_000);
    const escalated = await detail(alert.id);
    assert.equal(escalated.severity, 'critical');
    assert.equal(escalated.state, 'open');
    assert.equal(escalated.acknowledgedBy, null);
    const last = escalated.history.at(-1);
    assert.equal(last.action, 'escalated');
    assert.equal(last.by, null);
    assert.match(last.note, /Back to open: the acknowledgement by key:admin \(created with tenant\) \(.*\) no longer holds/);
  });

  test('an escalation notifies again: a note on the open ticket', async () => {
    await enablePsa(kit, { failureThreshold: 1 });
    await failingServer(T0, 1);
    const alert = await failedAlert();
    await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`));
    for (let i = 1; i < 3; i++) await report('srv-01', 'failed', T0 + i * 600_000);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    const notes = kit.psa.tickets[0]!.notes.map((note) => note.text ?? '');
    assert.ok(notes.some((text) => /^Escalated from warning to critical at 2026-11-24 12:20 UTC/.test(text)), notes.join('\n'));
    assert.equal(notes.filter((text) => /12:20 UTC/.test(text)).length, 1, 'the failure that escalated it is not noted twice');
  });

  test('an escalation notifies again: the open page is re-triggered with the same dedupKey', async () => {
    await enableOnCall(kit);
    await failingServer(SATURDAY, 1, 12 + 8);
    await ok(kit.t.request('POST', 'admin/evaluate'));
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
    for (let i = 1; i < 3; i++) await report('srv-01', 'failed', SATURDAY + i * 600_000);
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.oncall.pages.length, 2);
    assert.equal(kit.oncall.pages[1]!.dedupKey, kit.oncall.pages[0]!.dedupKey);
    assert.equal(kit.oncall.pages[1]!.retrigger, true);
    assert.match(kit.oncall.pages[1]!.summary, /^Escalated to critical/);
  });
});

describe('reminders', () => {
  test('an alert left open reminds every reminderHours with a note on its ticket, once per period however often it is swept', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const openedAt = kit.t.clock();
    await sweepAt(openedAt + 23 * HOUR);
    assert.equal(reminderNotes().length, 0, 'not before 24 h');
    await sweepAt(openedAt + 24 * HOUR);
    await sweepAt(openedAt + 24 * HOUR + 60_000);
    await sweepAt(openedAt + 30 * HOUR);
    assert.equal(reminderNotes().length, 1);
    assert.match(reminderNotes()[0]!.text ?? '', /^Reminder 1: still open and not acknowledged after 24 h/);
    await sweepAt(openedAt + 48 * HOUR);
    assert.equal(reminderNotes().length, 2);
  });

  test('the sweep finds the reminder on time: the device is looked at again when it falls due', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const { next_check_at: next } = (await kit.t.db.get<{ next_check_at: number }>("SELECT next_check_at FROM devices WHERE id = 'srv-01'"))!;
    assert.ok(next <= kit.t.clock() + 24 * HOUR, `next check ${iso(next)}`);
  });

  test('after downtime only the newest due reminder is sent', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const openedAt = kit.t.clock();
    await sweepAt(openedAt + 3 * 24 * HOUR + HOUR);
    assert.deepEqual(reminderNotes().map((note) => (note.text ?? '').slice(0, 10)), ['Reminder 3']);
  });

  test('an acknowledged alert does not remind; unacknowledged, it reminds reminderHours after that', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const alert = await failedAlert();
    const openedAt = kit.t.clock();
    await ok(kit.t.request('POST', `alerts/${alert.id}/acknowledge`));
    await sweepAt(openedAt + 30 * HOUR);
    assert.equal(reminderNotes().length, 0);
    await ok(kit.t.request('POST', `alerts/${alert.id}/unacknowledge`));
    await sweepAt(openedAt + 30 * HOUR + 23 * HOUR);
    assert.equal(reminderNotes().length, 0);
    await sweepAt(openedAt + 30 * HOUR + 24 * HOUR);
    assert.equal(reminderNotes().length, 1);
  });

  test('a shorter reminderHours acts at once: the sweep finds the reminder due by the new period', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const openedAt = kit.t.clock();
    await expectStatus(kit.t.request('PUT', 'settings/alerts', { body: { reminderHours: 2 } }), 200);
    await sweepAt(openedAt + 2 * HOUR);
    assert.equal(reminderNotes().length, 1);
    assert.match(reminderNotes()[0]!.text ?? '', /after 2 h/);
  });

  test('reminderHours 0 turns reminders off', async () => {
    await enablePsa(kit);
    await expectStatus(kit.t.request('PUT', 'settings/alerts', { body: { reminderHours: 0 } }), 200);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    await sweepAt(kit.t.clock() + 3 * 24 * HOUR);
    assert.equal(reminderNotes().length, 0);
  });

  test('a silenced alert is not reminded; when the silence ends, its reminders resume', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const openedAt = kit.t.clock();
    const endsAt = openedAt + 50 * HOUR;
    await expectStatus(kit.t.request('POST', 'silences', { body: { matchers: { deviceId: 'srv-01' }, endsAt: iso(endsAt), comment: 'NAS firmware update' } }), 201);
    await sweepAt(openedAt + 24 * HOUR);
    await sweepAt(openedAt + 48 * HOUR);
    assert.equal(reminderNotes().length, 0, 'no reminder while the silence holds');
    assert.equal((await failedAlert()).silencedBy.length, 1);
    // The device is looked at again when the silence ends: the newest reminder then due goes out.
    await sweepAt(endsAt);
    assert.deepEqual(reminderNotes().map((note) => (note.text ?? '').slice(0, 10)), ['Reminder 2']);
    await sweepAt(openedAt + 72 * HOUR);
    assert.equal(reminderNotes().length, 2);
  });

  test('an alert in maintenance is not reminded; after the window, its reminders resume', async () => {
    await enablePsa(kit);
    await failingServer();
    await dispatchUntilSettled(kit.t);
    const openedAt = kit.t.clock();
    const start = openedAt + 20 * HOUR;
    const end = openedAt + 30 * HOUR;
    await expectStatus(kit.t.request('PUT', 'maintenance/srv-01-move', { body: { name: 'SRV-01 move', scope: { deviceIds: ['srv-01'] }, start: iso(start), end: iso(end) } }), 201);
    await sweepAt(openedAt + 24 * HOUR);
    await sweepAt(openedAt + 29 * HOUR);
    assert.equal(reminderNotes().length, 0, 'no reminder inside the window');
    await sweepAt(end);
    assert.deepEqual(reminderNotes().map((note) => (note.text ?? '').slice(0, 10)), ['Reminder 1']);
  });

  test('a paged device re-triggers its page with the same dedupKey at a reminder (once for its alerts reminding together), keyed by the reminder', async () => {
    await enableOnCall(kit);
    await expectStatus(kit.t.request('PUT', 'settings/alerts', { body: { reminderHours: 6 } }), 200);
    await failingServer(SATURDAY, 1, 12 + 8);
    await ok(kit.t.request('POST', 'admin/evaluate'));
    await dispatchUntilSettled(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
    const alert = await failedAlert();
    const remindFrom = kit.t.clock();
    await sweepAt(remindFrom + 6 * HOUR + 60_000);
    await sweepAt(remindFrom + 6 * HOUR + 120_000);
    const retriggers = kit.oncall.pages.filter((page) => page.retrigger);
    assert.equal(retriggers.length, 1);
    assert.equal(retriggers[0]!.dedupKey, kit.oncall.pages[0]!.dedupKey);
    assert.match(retriggers[0]!.summary, /^Reminder 1: /);
    const keys = (await outboxRows(kit.t, 'oncall')).map((row) => row.dedup_key);
    assert.ok(keys.some((key) => key.startsWith(`reminder:${alert.id}:`)), keys.join(', '));
  });
});

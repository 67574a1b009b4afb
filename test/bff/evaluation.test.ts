/**
 * Evaluation through the API: the worked examples (docs/health-score.md) reproduced with real
 * events on a real database, alert escalation and resolution in place, the stream
 * changes and what the integrations are handed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, T0, type TestApp } from './harness.ts';
import { activeAlerts, changes, consent, DAY, deviceRow, drTest, enroll, HOUR, job, MINUTE, send, storage, successes } from './builders.ts';
import type { DeviceEvaluation } from '../../bff/services/evaluation-hooks.ts';

describe('worked examples through POST /events', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY });
  });
  after(() => app.close());

  async function scenario(spec: Parameters<typeof enroll>[1], events: unknown[]) {
    app.clock.set(T0 - 30 * DAY);
    await enroll(app, spec);
    app.clock.set(T0);
    if (events.length > 0) await send(app, events);
    const row = (await deviceRow(app, spec.id))!;
    return { status: row.status, score: row.score, alerts: await activeAlerts(app, spec.id) };
  }

  test('workstation 4 h, successes every 4 h, newest 1 h ago, DR test passed last week: healthy, no alert', async () => {
    const result = await scenario({ id: 'ex1', kind: 'workstation', intervalHours: 4 }, [...successes('ex1', 4, 30, T0 - HOUR), drTest('ex1', T0 - 7 * DAY, 'passed')]);
    assert.equal(result.status, 'healthy');
    assert.deepEqual(result.alerts, []);
  });

  test('workstation 4 h, newest success 5 h ago, no failures: warning, no alert yet', async () => {
    const result = await scenario({ id: 'ex2', kind: 'workstation', intervalHours: 4 }, successes('ex2', 4, 30, T0 - 5 * HOUR));
    assert.equal(result.status, 'warning');
    assert.deepEqual(result.alerts, []);
  });

  test('server 4 h, newest success 7 h ago: warning with backup_missed_schedule', async () => {
    const result = await scenario({ id: 'ex3', kind: 'server', intervalHours: 4 }, successes('ex3', 4, 30, T0 - 7 * HOUR));
    assert.equal(result.status, 'warning');
    assert.deepEqual(result.alerts, ['backup_missed_schedule:warning']);
  });

  test('server 4 h, newest success 13 h ago: warning with backup_missed_schedule and backup_overdue', async () => {
    const result = await scenario({ id: 'ex4', kind: 'server', intervalHours: 4 }, successes('ex4', 4, 30, T0 - 13 * HOUR));
    assert.equal(result.status, 'warning');
    assert.deepEqual(result.alerts, ['backup_missed_schedule:warning', 'backup_overdue:critical']);
  });

  test('server 4 h, newest success 53 h ago: critical with backup_missed_schedule and backup_overdue', async () => {
    const result = await scenario({ id: 'ex5', kind: 'server', intervalHours: 4 }, successes('ex5', 4, 30, T0 - 53 * HOUR));
    assert.equal(result.status, 'critical');
    assert.deepEqual(result.alerts, ['backup_missed_schedule:warning', 'backup_overdue:critical']);
  });

  test('workstation daily, a success then three failures: critical with a critical backup_failed', async () => {
    const events = [job('ex6', 'success', T0 - 20 * HOUR), job('ex6', 'failed', T0 - 12 * HOUR), job('ex6', 'failed', T0 - 8 * HOUR), job('ex6', 'failed', T0 - 2 * HOUR)];
    const result = await scenario({ id: 'ex6', kind: 'workstation', intervalHours: 24 }, events);
    assert.equal(result.status, 'critical');
    assert.deepEqual(result.alerts, ['backup_failed:critical']);
  });

  test('workstation daily, one failure two days ago, successes since: warning, the next success resolved backup_failed', async () => {
    app.clock.set(T0 - 30 * DAY);
    await enroll(app, { id: 'ex7', kind: 'workstation', intervalHours: 24 });
    app.clock.set(T0 - 2 * DAY + MINUTE);
    await send(app, [job('ex7', 'success', T0 - 2 * DAY - 12 * HOUR), job('ex7', 'failed', T0 - 2 * DAY)]);
    assert.deepEqual(await activeAlerts(app, 'ex7'), ['backup_failed:warning']);
    app.clock.set(T0);
    await send(app, [job('ex7', 'success', T0 - DAY), job('ex7', 'success', T0 - HOUR)]);
    assert.equal((await deviceRow(app, 'ex7'))!.status, 'warning');
    assert.deepEqual(await activeAlerts(app, 'ex7'), []);
    const { json } = await app.request('GET', 'alerts?device=ex7&state=resolved');
    assert.equal(json.items.length, 1);
    assert.equal(json.items[0].type, 'backup_failed');
  });

  test('saas daily, consent expired, jobs fine: critical with saas_consent_expired', async () => {
    const result = await scenario({ id: 'ex8', kind: 'saas', intervalHours: 24 }, [...successes('ex8', 24, 20, T0 - 2 * HOUR), consent('ex8', T0 - 6 * HOUR, 'expired')]);
    assert.equal(result.status, 'critical');
    assert.deepEqual(result.alerts, ['saas_consent_expired:critical']);
  });

  test('any device enrolled without a job yet: unknown, score 0, no alert', async () => {
    for (const kind of ['workstation', 'server', 'saas'] as const) {
      const result = await scenario({ id: `ex9-${kind}`, kind, intervalHours: 4 }, []);
      assert.deepEqual(result, { status: 'unknown', score: 0, alerts: [] });
    }
  });
});

describe('alert lifecycle through ingestion', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY });
    await enroll(app, { id: 'ws-1', kind: 'workstation', intervalHours: 24 });
    app.clock.set(T0);
  });
  after(() => app.close());

  test('backup_failed escalates in place at the third consecutive failure', async () => {
    await send(app, [job('ws-1', 'success', T0 - 20 * HOUR), job('ws-1', 'failed', T0 - 12 * HOUR)]);
    const [opened] = (await app.request('GET', 'alerts?device=ws-1&state=active')).json.items;
    assert.equal(opened.severity, 'warning');
    await send(app, [job('ws-1', 'failed', T0 - 8 * HOUR)]);
    await send(app, [job('ws-1', 'failed', T0 - 2 * HOUR)]);
    const { json } = await app.request('GET', 'alerts?device=ws-1');
    assert.equal(json.items.length, 1, 'never a second alert of the type');
    const detail = (await app.request('GET', `alerts/${opened.id}`)).json;
    assert.equal(detail.id, opened.id);
    assert.equal(detail.severity, 'critical');
    assert.equal(detail.state, 'open');
    assert.match(detail.reason, /3 consecutive failures/);
    assert.deepEqual(detail.history.map((h: { action: string; severity: string }) => `${h.action}:${h.severity}`), ['opened:warning', 'escalated:critical']);
  });

  test('the next success resolves backup_failed and records why', async () => {
    await send(app, [job('ws-1', 'success', T0 - HOUR)]);
    const { json } = await app.request('GET', 'alerts?device=ws-1');
    assert.equal(json.items[0].state, 'resolved');
    assert.equal(json.items[0].resolvedAt, new Date(T0).toISOString());
    const detail = (await app.request('GET', `alerts/${json.items[0].id}`)).json;
    assert.deepEqual(detail.history.map((h: { action: string }) => h.action), ['opened', 'escalated', 'resolved']);
    assert.match(detail.history[2].note, /Backup succeeded at/);
  });

  test('a repeat of the condition updates the alert reason instead of opening another', async () => {
    await send(app, [job('ws-1', 'failed', T0 - 50 * MINUTE)]);
    const first = (await app.request('GET', 'alerts?device=ws-1&state=active')).json.items[0];
    assert.match(first.reason, /Last backup failed at/);
    await send(app, [job('ws-1', 'failed', T0 - 40 * MINUTE)]);
    const { items } = (await app.request('GET', 'alerts?device=ws-1&state=active')).json;
    assert.equal(items.length, 1);
    assert.equal(items[0].id, first.id);
    assert.match(items[0].reason, /2 consecutive failures/);
  });

  test('alert transitions are recorded on the change feed', async () => {
    const events = (await changes(app)).filter((c) => c.event.startsWith('alert.')).map((c) => `${c.event}:${c.payload.type}`);
    assert.deepEqual(events.slice(0, 4), ['alert.opened:backup_failed', 'alert.updated:backup_failed', 'alert.updated:backup_failed', 'alert.resolved:backup_failed']);
  });
});

describe('what evaluation persists and announces', () => {
  let app: TestApp;
  const heard: DeviceEvaluation[] = [];
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY, evaluationListeners: [async (_tx, evaluations) => void heard.push(...evaluations)] });
    await enroll(app, { id: 'srv-1', kind: 'server', intervalHours: 4, quotaBytes: 1000 });
    app.clock.set(T0);
  });
  after(() => app.close());

  test('a device change is recorded when a list field changes and not for a repeat that changes none', async () => {
    const before = (await changes(app, 'device.changed')).length;
    await send(app, [job('srv-1', 'success', T0 - HOUR)]);
    const recorded = await changes(app, 'device.changed');
    assert.equal(recorded.length, before + 1);
    // A reference: the stream sends the device's current item (change-refs.test.ts).
    assert.deepEqual(recorded.at(-1)!.payload, { id: 'srv-1' });
    await send(app, [{ type: 'checkin', deviceId: 'srv-1', at: new Date(T0 - MINUTE).toISOString() }]);
    assert.equal((await changes(app, 'device.changed')).length, before + 1);
  });

  test('storage above 95 % of the quota opens storage_quota_exceeded', async () => {
    await send(app, [storage('srv-1', T0 - MINUTE, 960)]);
    assert.deepEqual(await activeAlerts(app, 'srv-1'), ['storage_quota_exceeded:warning']);
    const row = await app.db.get<{ used_bytes: number; effective_quota_bytes: number }>('SELECT used_bytes, effective_quota_bytes FROM devices WHERE id = ?', ['srv-1']);
    assert.deepEqual({ ...row }, { used_bytes: 960, effective_quota_bytes: 1000 });
  });

  test('a storage report quota overrides the device quota', async () => {
    await send(app, [storage('srv-1', T0 - 30 * 1000, 960, 2000)]);
    assert.deepEqual(await activeAlerts(app, 'srv-1'), []);
  });

  test('listeners receive each evaluation with active alerts and those resolved now', async () => {
    const last = heard.at(-1)!;
    assert.equal(last.device.id, 'srv-1');
    assert.equal(last.device.clientName, 'Client client-a');
    assert.equal(last.health.status, 'healthy');
    assert.deepEqual(last.alerts.map((a) => `${a.type}:${a.state}`), ['storage_quota_exceeded:resolved']);
  });

  test('next_check_at is the next time-driven boundary: a healthy 4 h server is rechecked when it turns overdue', async () => {
    const row = (await deviceRow(app, 'srv-1'))!;
    assert.equal(row.next_check_at, T0 - HOUR + 4 * HOUR + 1);
  });

  test('a device in SLA breach is rechecked within 5 minutes', async () => {
    app.clock.set(T0 - 30 * DAY);
    await enroll(app, { id: 'srv-2', kind: 'server', intervalHours: 4 });
    app.clock.set(T0);
    await send(app, [job('srv-2', 'success', T0 - 13 * HOUR)]);
    const row = (await deviceRow(app, 'srv-2'))!;
    assert.ok(row.next_check_at > T0 && row.next_check_at <= T0 + 5 * MINUTE, String(row.next_check_at - T0));
  });

  test('the detail view shows the health detail (components and reasons) as of the last evaluation, and says when that was', async () => {
    const row = await app.db.get<{ sla_state: string }>('SELECT sla_state FROM devices WHERE id = ?', ['srv-2']);
    assert.equal(row!.sla_state, 'breach');
    // Rendered from the persisted state at the evaluation time, not re-evaluated on read.
    app.clock.set(T0 + 3 * HOUR);
    const { status, json: detail } = await app.request('GET', 'devices/srv-2');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(detail.components), ['recency', 'successRate', 'drTest', 'storage']);
    assert.match(detail.reasons[0], /Last successful backup 13 h ago/);
    assert.equal(detail.evaluatedAt, new Date(T0).toISOString(), 'the instant the reasons count to');
  });
});

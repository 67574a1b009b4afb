/**
 * Time-driven evaluation: POST /admin/evaluate, the periodic sweep over due devices,
 * the sweep lease, and several instances sweeping one database.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../bff/app.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { activeAlerts, apiKey, DAY, deviceRow, enroll, HOUR, job, MINUTE, send } from './builders.ts';

describe('POST /admin/evaluate', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY });
    await enroll(app, { id: 'ws-1', kind: 'workstation', intervalHours: 4 });
    app.clock.set(T0);
    await send(app, [job('ws-1', 'success', T0 - 5 * HOUR)]);
  });
  after(() => app.close());

  test('opens time-driven alerts once the clock has moved past their threshold', async () => {
    assert.deepEqual(await activeAlerts(app, 'ws-1'), []);
    app.clock.set(T0 + HOUR + MINUTE); // 6 h 1 min since the last success: 1.5 × 4 h passed
    const { status, json } = await app.request('POST', 'admin/evaluate');
    assert.equal(status, 200);
    assert.equal(json.evaluated, 1);
    assert.deepEqual(json.alertsOpened.map((a: { type: string }) => a.type), ['backup_missed_schedule']);
    assert.deepEqual(json.devicesChanged, []);
    assert.deepEqual(await activeAlerts(app, 'ws-1'), ['backup_missed_schedule:warning']);
  });

  test('reports the status changes of the run', async () => {
    app.clock.set(T0 - 5 * HOUR + 4 * HOUR + 48 * HOUR + MINUTE); // more than 48 h overdue
    const { json } = await app.request('POST', 'admin/evaluate');
    assert.deepEqual(json.devicesChanged, [{ id: 'ws-1', from: 'warning', to: 'critical' }]);
    assert.deepEqual(json.alertsOpened.map((a: { type: string }) => a.type), ['backup_overdue']);
  });

  test('a second run with nothing new changes nothing', async () => {
    const { json } = await app.request('POST', 'admin/evaluate');
    assert.deepEqual({ ...json, evaluated: undefined }, { evaluated: undefined, devicesChanged: [], alertsOpened: [], alertsEscalated: [], alertsResolved: [] });
  });

  test('needs the admin scope', async () => {
    const key = await apiKey(app, ['ingest', 'read']);
    assert.equal((await app.request('POST', 'admin/evaluate', { token: key })).status, 403);
  });
});

describe('the periodic sweep', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY, config: { sweepIntervalMs: 15_000 } });
    await enroll(app, { id: 'srv-due', kind: 'server', intervalHours: 4 });
    await enroll(app, { id: 'srv-later', kind: 'server', intervalHours: 24 });
    app.clock.set(T0);
    await send(app, [job('srv-due', 'success', T0 - 3 * HOUR), job('srv-later', 'success', T0 - HOUR)]);
  });
  after(() => app.close());

  test('is registered as a background task with the configured interval', () => {
    const task = app.services.background.find((t) => t.name === 'sweep');
    assert.equal(task?.intervalMs, 15_000);
  });

  test('evaluates only the devices whose next check has come', async () => {
    const later = await deviceRow(app, 'srv-later');
    app.clock.set(T0 + 3 * HOUR + MINUTE); // srv-due: 6 h 1 min since success (missed); srv-later: still fine
    const summary = await app.services.sweeper.sweep(app.clock());
    assert.equal(summary.evaluated, 1);
    assert.deepEqual(summary.alertsOpened.map((a) => `${a.device.id}:${a.type}`), ['srv-due:backup_missed_schedule']);
    assert.deepEqual(await deviceRow(app, 'srv-later'), later);
  });

  test('a device it evaluated is not due again at once', async () => {
    const summary = await app.services.sweeper.sweep(app.clock());
    assert.equal(summary.evaluated, 0);
  });

  test('retired devices are never due: an SLA change leaves them alone, and one due anyway is parked', async () => {
    await enroll(app, { id: 'srv-retired', kind: 'server', intervalHours: 4 });
    assert.equal((await app.request('DELETE', 'devices/srv-retired')).status, 204);
    assert.equal((await app.request('PUT', 'settings/sla', { body: { tenant: { serverHours: 10 } } })).status, 200);
    assert.equal((await deviceRow(app, 'srv-retired'))!.next_check_at, Number.MAX_SAFE_INTEGER);

    // As an earlier version could leave it: retired and due.
    await app.db.run("UPDATE devices SET next_check_at = 0 WHERE id = 'srv-retired'");
    const { sweeper } = app.services;
    const summary = await sweeper.sweep(app.clock());
    assert.ok(!summary.devicesChanged.some((d) => d.id === 'srv-retired'));
    assert.equal((await deviceRow(app, 'srv-retired'))!.next_check_at, Number.MAX_SAFE_INTEGER);
    assert.equal((await sweeper.sweep(app.clock())).evaluated, 0);
  });

  test('the sweep lease: one instance sweeps; another takes over once the lease has expired', async () => {
    const { sweeper } = app.services;
    const other = createApp({ ...app.deps, instanceId: 'other-instance' });
    const otherSweeper = other.services.sweeper;
    assert.ok(await sweeper.runOnce(app.clock()));
    assert.equal(await otherSweeper.runOnce(app.clock()), null, 'the lease is held');
    app.clock.advance(10 * MINUTE);
    assert.ok(await otherSweeper.runOnce(app.clock()), 'an expired lease is taken over');
    assert.equal(await sweeper.runOnce(app.clock()), null);
    await otherSweeper.release();
    assert.ok(await sweeper.runOnce(app.clock()), 'a released lease is free at once');
  });
});

/** Runs `mode` in a separate BFF process over the same database file; resolves once it is ready, then `go()` starts it. */
async function instance(url: string, instanceId: string, now: number, mode: 'sweep' | 'runOnce') {
  const child = fork(fileURLToPath(new URL('./sweep-instance.ts', import.meta.url)), [url, instanceId, String(now), mode], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await once(child, 'message');
  const result = once(child, 'message').then(([message]) => message as { ran: boolean; evaluated: number; opened: number });
  return { go: () => void child.send('go'), result };
}

describe('two instances over one database file', () => {
  let dir: string;
  let url: string;
  let app: TestApp;
  const DEVICES = 1_200; // several sweep chunks, so the two instances interleave
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bhm-sweep-'));
    url = `file:${join(dir, 'shared.db')}`;
    app = await testApp({ now: T0 - 30 * DAY, url });
    await enroll(app, { id: 'srv-0', kind: 'server', intervalHours: 4 });
    const rows = Array.from({ length: DEVICES }, (_, i) => `srv-${i},Server ${i},client-a,server,every-4h`);
    const imported = await app.request('POST', 'import/devices', { raw: ['id,name,clientId,kind,policyId', ...rows].join('\n'), headers: { 'content-type': 'text/csv' } });
    assert.equal(imported.status, 200);
    app.clock.set(T0);
    await send(app, Array.from({ length: DEVICES }, (_, i) => job(`srv-${i}`, 'success', T0 - 3 * HOUR)));
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('concurrent sweeps from two processes never open an alert twice', async () => {
    const now = T0 + 10 * HOUR; // 13 h since the last success: missed schedule and overdue for every device
    const first = await instance(url, 'instance-a', now, 'sweep');
    const second = await instance(url, 'instance-b', now, 'sweep');
    first.go();
    second.go();
    const [a, b] = await Promise.all([first.result, second.result]);
    assert.equal(a.evaluated + b.evaluated, DEVICES, 'each due device evaluated once');
    assert.equal(a.opened + b.opened, DEVICES * 2);
    const duplicates = await app.db.all(
      "SELECT device_id, type, count(*) AS n FROM alerts WHERE state <> 'resolved' GROUP BY device_id, type HAVING n > 1",
    );
    assert.deepEqual(duplicates, []);
    const opened = await app.db.get<{ n: number }>("SELECT count(*) AS n FROM alert_events WHERE action = 'opened'");
    assert.equal(opened!.n, DEVICES * 2, 'one "opened" history row per alert');
  });

  test('of two processes starting a sweep turn at once, only one takes the lease', async () => {
    const now = T0 + 11 * HOUR;
    const first = await instance(url, 'instance-a', now, 'runOnce');
    const second = await instance(url, 'instance-b', now, 'runOnce');
    first.go();
    second.go();
    const results = await Promise.all([first.result, second.result]);
    assert.deepEqual(results.map((r) => r.ran).sort(), [false, true]);
  });
});

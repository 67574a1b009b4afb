/**
 * Policies with calendar schedules through PUT /policies: stored with their words,
 * refused with a 422 naming the field core's rules fault.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { deviceRow, enroll, job, MINUTE, send } from './builders.ts';

const weekdays22 = { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] };

describe('policy schedules', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp();
  });
  after(() => app.close());

  test('a Mon–Fri 22:00 policy is stored with its options and answered with its schedule in words', async () => {
    const { status, json } = await app.request('PUT', 'policies/workdays', {
      body: { name: 'Workdays', schedule: weekdays22, graceHours: 4, offline: { skipWhenOffline: true }, merge: 'per-run', mergeRule: 'worst' },
    });
    assert.equal(status, 201);
    assert.deepEqual(json.schedule, weekdays22);
    assert.equal(json.graceHours, 4);
    assert.deepEqual(json.offline, { skipWhenOffline: true, alertAfterDays: 7 });
    assert.equal(json.merge, 'per-run');
    assert.equal(json.mergeRule, 'worst');
    assert.match(json.text, /22:00/);
    const row = await app.db.get<{ schedule: string }>(`SELECT schedule FROM policies WHERE id = 'workdays'`);
    assert.deepEqual(JSON.parse(row!.schedule).schedule, weekdays22);
  });

  test('the policy list answers every policy by name, as PUT answered it (admin only)', async () => {
    const { json: stored } = await app.request('PUT', 'policies/workdays', { body: { name: 'Workdays', schedule: weekdays22, graceHours: 4, merge: 'per-run', mergeRule: 'worst' } });
    await app.request('PUT', 'policies/archive', { body: { name: 'Archive', schedule: { kind: 'monthly', days: [-1], times: ['03:00'] } } });
    const { status, json } = await app.request('GET', 'policies');
    assert.equal(status, 200);
    assert.deepEqual(json.items.map((policy: { name: string }) => policy.name), ['Archive', 'Workdays']);
    assert.deepEqual(json.items[1], stored);
    const { key } = (await app.request('POST', 'api-keys', { body: { name: 'reader', scopes: ['read'] } })).json;
    assert.equal((await app.request('GET', 'policies', { token: key })).status, 403);
  });

  test('the schedule preview answers the next 5 slots in the given timezone and the words, storing nothing', async () => {
    const { status, json } = await app.request('POST', 'policies/schedule-preview', { body: { schedule: weekdays22, timezone: 'America/New_York', graceHours: 2 } });
    assert.equal(status, 200);
    assert.equal(json.slots.length, 5);
    // 22:00 in New York in November is 03:00 UTC the next morning, on weekdays only.
    for (const slot of json.slots as string[]) assert.equal(slot.slice(11, 16), '03:00');
    assert.deepEqual(json.slots, [...json.slots].sort());
    assert.ok(json.slots.every((slot: string) => Date.parse(slot) > T0));
    assert.match(json.text, /22:00 America\/New_York, 2 h grace/);
  });

  test('the schedule preview refuses a bad cron line, weekday, time or timezone with a 422 naming the field', async () => {
    for (const [body, field] of [
      [{ schedule: { kind: 'cron', expression: '0 22 * *' }, timezone: 'UTC' }, 'schedule.expression'],
      [{ schedule: { kind: 'weekly', days: [8], times: ['22:00'] }, timezone: 'UTC' }, 'schedule.days[0]'],
      [{ schedule: { kind: 'weekly', days: [1], times: ['22:00', '25:00'] }, timezone: 'UTC' }, 'schedule.times[1]'],
      [{ schedule: weekdays22, timezone: 'Europe/Atlantis' }, 'timezone'],
    ] as const) {
      const { status, json } = await app.request('POST', 'policies/schedule-preview', { body });
      assert.equal(status, 422, field);
      assert.ok(json.errors.some((error: { path: string }) => error.path === field), `${field}: ${JSON.stringify(json.errors)}`);
    }
  });

  test('intervalHours alone still means an interval schedule', async () => {
    const { json } = await app.request('PUT', 'policies/every-6h', { body: { name: 'Every 6 h', intervalHours: 6 } });
    assert.deepEqual(json.schedule, { kind: 'interval', hours: 6 });
    assert.equal(json.intervalHours, 6);
  });

  test('a policy without a schedule or intervalHours is refused with 422 naming schedule', async () => {
    const { status, json } = await app.request('PUT', 'policies/none', { body: { name: 'None' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'schedule');
  });

  for (const [rule, schedule, field] of [
    ['a cron line with six fields', { kind: 'cron', expression: '0 0 22 * * 1-5' }, /^schedule/],
    ['a weekday 8', { kind: 'weekly', days: [8], times: ['22:00'] }, /^schedule\.days/],
    ['a time 25:00', { kind: 'weekly', days: [1], times: ['25:00'] }, /^schedule\.times/],
  ] as const) {
    test(`${rule} is refused with 422 naming the field`, async () => {
      const { status, json } = await app.request('PUT', 'policies/bad', { body: { name: 'Bad', schedule } });
      assert.equal(status, 422, JSON.stringify(json));
      assert.match(json.errors[0].path, field);
      assert.equal((await app.db.get(`SELECT 1 FROM policies WHERE id = 'bad'`)), undefined);
    });
  }

  test('offline skipping on an interval schedule is refused with 422 naming offline', async () => {
    const { status, json } = await app.request('PUT', 'policies/bad', { body: { name: 'Bad', intervalHours: 4, offline: { skipWhenOffline: true } } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'offline');
  });

  test('a calendar policy change re-evaluates its devices', async () => {
    await app.request('PUT', 'clients/acme', { body: { name: 'Acme', timezone: 'Europe/Berlin' } });
    await app.request('PUT', 'devices/ws-1', { body: { clientId: 'acme', name: 'WS', kind: 'workstation', policyId: 'every-6h' } });
    const before = await app.db.get<{ next_check_at: number }>(`SELECT next_check_at FROM devices WHERE id = 'ws-1'`);
    await app.request('PUT', 'policies/every-6h', { body: { name: 'Workdays', schedule: weekdays22 } });
    const after = await app.db.get<{ next_check_at: number }>(`SELECT next_check_at FROM devices WHERE id = 'ws-1'`);
    assert.notEqual(after!.next_check_at, before!.next_check_at);
  });

  test('switching a policy to per-run merge rebuilds its devices from history', async () => {
    await enroll(app, { id: 'srv-merge', intervalHours: 4 });
    app.clock.set(T0 + 30 * MINUTE);
    // One run with a success and then a failure: each job counts the failure, the best of the run does not.
    await send(app, [job('srv-merge', 'success', T0 + 10 * MINUTE), job('srv-merge', 'failed', T0 + 20 * MINUTE)]);
    assert.equal((await deviceRow(app, 'srv-merge'))!.consecutive_failures, 1);
    const { status } = await app.request('PUT', 'policies/every-4h', { body: { name: 'Every 4 h', intervalHours: 4, merge: 'per-run', mergeRule: 'best' } });
    assert.equal(status, 200);
    assert.equal((await deviceRow(app, 'srv-merge'))!.consecutive_failures, 0);
  });
});

describe('migration 5', () => {
  test('an existing policy becomes an interval schedule of its hours', async () => {
    const db = openDatabase({ url: ':memory:' });
    try {
      await migrate(db);
      // Back to the database as it stood before migration 5, with a Part I policy in it.
      await db.run('ALTER TABLE policies DROP COLUMN schedule');
      await db.run(`DELETE FROM __migrations WHERE tag = '0005_policy_schedule'`);
      await db.run(`INSERT INTO policies (tenant_id, id, name, interval_hours, updated_at) VALUES ('t', 'every-4h', 'Every 4 h', 4, 0)`);
      assert.deepEqual(await migrate(db), ['0005_policy_schedule']);
      const row = await db.get<{ schedule: string }>(`SELECT schedule FROM policies WHERE id = 'every-4h'`);
      assert.deepEqual(JSON.parse(row!.schedule), { schedule: { kind: 'interval', hours: 4 } });
    } finally {
      db.close();
    }
  });
});

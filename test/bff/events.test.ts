/**
 * POST /events: its contract — single events and batches, atomic
 * rejection naming every bad index, idempotent replays, running → completed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDeviceState } from '../../bff/db/device-state.ts';
import { createTenant } from '../../bff/services/tenants.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { apiKey, changes, checkin, DAY, deviceRow, drTest, enroll, HOUR, iso, job, MINUTE, send, storage } from './builders.ts';

const countJobs = async (app: TestApp) => (await app.db.get<{ n: number }>('SELECT count(*) AS n FROM jobs'))!.n;

describe('POST /events', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY, config: { bodyLimitBytes: 2 * 1024 * 1024 } });
    await enroll(app, { id: 'srv-1', kind: 'server', intervalHours: 4 });
    await enroll(app, { id: 'srv-2', kind: 'server', intervalHours: 4 });
    app.clock.set(T0);
  });
  after(() => app.close());

  test('a single event is accepted with 202', async () => {
    const { status, json } = await app.request('POST', 'events', { body: job('srv-1', 'success', T0 - 2 * HOUR) });
    assert.equal(status, 202);
    assert.deepEqual(json, { accepted: 1, duplicates: 0, evaluation: 'done' });
    assert.equal((await deviceRow(app, 'srv-1'))!.status, 'healthy');
  });

  test('a batch of every event type is accepted', async () => {
    const events = [
      job('srv-2', 'success', T0 - 3 * HOUR, { bytes: 1024, message: 'ok', logUrl: 'https://backup.example/jobs/1' }),
      drTest('srv-2', T0 - DAY, 'passed'),
      checkin('srv-2', T0 - MINUTE),
      storage('srv-2', T0 - HOUR, 500, 1000),
      { type: 'saas_consent', deviceId: 'srv-2', at: iso(T0 - HOUR), state: 'ok' },
    ];
    assert.deepEqual(await send(app, events), { accepted: 5, duplicates: 0, evaluation: 'done' });
    const state = decodeDeviceState((await deviceRow(app, 'srv-2'))!.state);
    assert.equal(state.lastDrTest?.result, 'passed');
    assert.equal(state.lastCheckinAt, T0 - MINUTE);
    assert.equal(state.storage?.usedBytes, 500);
  });

  test('a batch of 5,001 events is rejected with 422', async () => {
    const events = Array.from({ length: 5_001 }, (_, i) => checkin('srv-1', T0 - i * 1000));
    const { status, json } = await app.request('POST', 'events', { body: { events } });
    assert.equal(status, 422);
    assert.match(json.detail, /at most 5,000/);
  });

  test('an empty batch is rejected with 422', async () => {
    const { status } = await app.request('POST', 'events', { body: { events: [] } });
    assert.equal(status, 422);
  });

  test('one bad event rejects the whole batch, naming every bad index, and stores nothing', async () => {
    const before = await countJobs(app);
    const events = [
      job('srv-1', 'success', T0 - HOUR),
      { ...job('srv-1', 'failed', T0 - HOUR), endedAt: undefined },
      job('srv-1', 'success', T0 - HOUR),
      { type: 'job', id: 'x', deviceId: 'srv-1', status: 'exploded', startedAt: 'yesterday' },
      { type: 'telemetry', deviceId: 'srv-1' },
    ];
    const { status, json, headers } = await app.request('POST', 'events', { body: { events } });
    assert.equal(status, 422);
    assert.match(headers.get('content-type')!, /application\/problem\+json/);
    assert.deepEqual([...new Set(json.errors.map((e: { index: number }) => e.index))], [1, 3, 4]);
    assert.ok(json.errors.some((e: { index: number; path: string }) => e.index === 1 && e.path === 'endedAt'));
    assert.ok(json.errors.some((e: { index: number; path: string }) => e.index === 3 && e.path === 'status'));
    assert.ok(json.errors.some((e: { index: number; path: string }) => e.index === 4 && e.path === 'type'));
    assert.equal(await countJobs(app), before);
  });

  test('an unknown device is rejected with 422 naming the index', async () => {
    const { status, json } = await app.request('POST', 'events', { body: { events: [job('srv-1', 'success', T0 - HOUR), job('ghost', 'success', T0 - HOUR)] } });
    assert.equal(status, 422);
    assert.deepEqual(json.errors.map((e: { index: number; path: string }) => [e.index, e.path]), [[1, 'deviceId']]);
    assert.match(json.errors[0].message, /not enrolled/);
  });

  test("another tenant's device is an unknown device", async () => {
    const other = await createTenant(app.db, 'Other MSP', T0);
    const { status, json } = await app.request('POST', 'events', { body: job('srv-1', 'success', T0 - HOUR), token: other.adminKey });
    assert.equal(status, 422);
    assert.match(json.errors[0].message, /not enrolled/);
  });

  test('a timestamp beyond the allowed clock skew is rejected; one within it is accepted', async () => {
    const future = await app.request('POST', 'events', { body: checkin('srv-1', T0 + 10 * MINUTE) });
    assert.equal(future.status, 422);
    assert.equal(future.json.errors[0].path, 'at');
    assert.match(future.json.errors[0].message, /in the future/);
    const skewed = await app.request('POST', 'events', { body: checkin('srv-1', T0 + 2 * MINUTE) });
    assert.equal(skewed.status, 202);
  });

  test('a timestamp without an offset is rejected', async () => {
    const { status, json } = await app.request('POST', 'events', { body: { type: 'checkin', deviceId: 'srv-1', at: '2026-11-24T11:00:00' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'at');
  });

  test('a job that ends before it started is rejected', async () => {
    const { status, json } = await app.request('POST', 'events', { body: { ...job('srv-1', 'success', T0 - HOUR), startedAt: iso(T0 - 30 * MINUTE) } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'endedAt');
  });

  test('a logUrl that is not http(s) is rejected', async () => {
    const { status, json } = await app.request('POST', 'events', { body: job('srv-1', 'success', T0 - HOUR, { logUrl: 'javascript:alert(1)' }) });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'logUrl');
  });

  test('malformed JSON is a 400 problem', async () => {
    const { status, json } = await app.request('POST', 'events', { raw: '{"type": "job",', headers: { 'content-type': 'application/json' } });
    assert.equal(status, 400);
    assert.match(json.detail, /not valid JSON/);
  });

  test('a body over the size limit is a 413 problem', async () => {
    const { status, json } = await app.request('POST', 'events', { raw: JSON.stringify({ events: [], pad: 'x'.repeat(3 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    assert.equal(status, 413);
    assert.match(json.detail, /limited/);
  });

  test('a replay counts as duplicates and changes nothing', async () => {
    const events = [job('srv-1', 'success', T0 - 90 * MINUTE), drTest('srv-1', T0 - 2 * DAY, 'passed'), storage('srv-1', T0 - HOUR, 10), checkin('srv-1', T0 + 3 * MINUTE)];
    assert.deepEqual(await send(app, events), { accepted: 4, duplicates: 0, evaluation: 'done' });
    const row = await deviceRow(app, 'srv-1');
    const changeCount = (await changes(app)).length;
    app.clock.advance(MINUTE);
    assert.deepEqual(await send(app, events), { accepted: 0, duplicates: 4, evaluation: 'done' });
    assert.deepEqual(await deviceRow(app, 'srv-1'), row);
    assert.equal((await changes(app)).length, changeCount);
    app.clock.set(T0);
  });

  test('a later report of a running job completes it and counts as accepted', async () => {
    const running = job('srv-2', 'running', T0 - 20 * MINUTE);
    assert.deepEqual(await send(app, [running]), { accepted: 1, duplicates: 0, evaluation: 'done' });
    const completed = { ...running, status: 'success', endedAt: iso(T0 - 5 * MINUTE) };
    assert.deepEqual(await send(app, [completed]), { accepted: 1, duplicates: 0, evaluation: 'done' });
    const stored = await app.db.get<{ status: string; ended_at: number }>('SELECT status, ended_at FROM jobs WHERE id = ?', [running.id]);
    assert.deepEqual({ ...stored }, { status: 'success', ended_at: T0 - 5 * MINUTE });
    assert.equal((await deviceRow(app, 'srv-2'))!.last_success_at, T0 - 5 * MINUTE);
    assert.deepEqual(await send(app, [running]), { accepted: 0, duplicates: 1, evaluation: 'done' }, 'a stale running report changes nothing');
  });

  test('a running job alone leaves a new device unknown', async () => {
    app.clock.set(T0 - DAY);
    await enroll(app, { id: 'srv-3' });
    app.clock.set(T0);
    await send(app, [job('srv-3', 'running', T0 - MINUTE)]);
    const row = (await deviceRow(app, 'srv-3'))!;
    assert.equal(row.status, 'unknown');
    assert.equal(decodeDeviceState(row.state).firstJobAt, T0 - 11 * MINUTE);
  });

  test('a job older than the newest completed one rebuilds the state from history', async () => {
    app.clock.set(T0 - DAY);
    await enroll(app, { id: 'srv-4' });
    app.clock.set(T0);
    await send(app, [job('srv-4', 'success', T0 - HOUR)]);
    await send(app, [job('srv-4', 'failed', T0 - 3 * HOUR)]);
    const state = decodeDeviceState((await deviceRow(app, 'srv-4'))!.state);
    assert.equal(state.consecutiveFailures, 0, 'the late failure is older than the newest success');
    assert.equal(state.lastJobStatus, 'success');
    assert.equal(state.lastFailureAt, T0 - 3 * HOUR);
  });

  test('a corrected completed job rebuilds the state', async () => {
    const original = job('srv-4', 'success', T0 - 30 * MINUTE);
    await send(app, [original]);
    assert.deepEqual(await send(app, [{ ...original, status: 'failed' }]), { accepted: 1, duplicates: 0, evaluation: 'done' });
    const state = decodeDeviceState((await deviceRow(app, 'srv-4'))!.state);
    assert.equal(state.lastJobStatus, 'failed');
    assert.equal(state.consecutiveFailures, 1);
  });

  test('a job id already reported for another device is rejected', async () => {
    const first = job('srv-1', 'success', T0 - 30 * MINUTE);
    await send(app, [first]);
    const { status, json } = await app.request('POST', 'events', { body: { ...first, deviceId: 'srv-2' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'id');
  });

  test('a retired device is rejected', async () => {
    app.clock.set(T0 - DAY);
    await enroll(app, { id: 'old-1' });
    app.clock.set(T0);
    assert.equal((await app.request('DELETE', 'devices/old-1')).status, 204);
    const { status, json } = await app.request('POST', 'events', { body: checkin('old-1', T0 - MINUTE) });
    assert.equal(status, 422);
    assert.match(json.errors[0].message, /retired/);
  });

  test('a read-only key cannot ingest', async () => {
    const key = await apiKey(app, ['read']);
    const { status } = await app.request('POST', 'events', { body: checkin('srv-1', T0 - MINUTE), token: key });
    assert.equal(status, 403);
  });

  test('an ingest key can ingest', async () => {
    const key = await apiKey(app, ['ingest']);
    const { status } = await app.request('POST', 'events', { body: checkin('srv-1', T0 - 2 * MINUTE), token: key });
    assert.equal(status, 202);
  });
});

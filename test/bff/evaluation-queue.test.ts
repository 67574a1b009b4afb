/**
 * Evaluation off the request path (issue #19): POST /events answers 202 once the
 * events are stored and their devices marked; the queue evaluates each marked device
 * once for all its pending events; `Prefer: wait=evaluated` answers after the
 * evaluation; marks survive the instance; two instances never evaluate a mark twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import type { DeviceEvaluation, EvaluationListener } from '../../bff/services/evaluation-hooks.ts';
import { decodeDeviceState } from '../../bff/db/device-state.ts';
import { EvaluationQueue } from '../../bff/services/evaluation-queue.ts';
import { activeAlerts, checkin, consent, deviceRow, enroll, HOUR, iso, job, MINUTE, storage } from './builders.ts';
import { T0, testApp, type TestApp } from './harness.ts';

/** Counts evaluations per device id (what the integrations would hear). */
function evaluationCounter() {
  const counts = new Map<string, number>();
  const listener: EvaluationListener = async (_tx, evaluations: readonly DeviceEvaluation[]) => {
    for (const evaluation of evaluations) counts.set(evaluation.device.id, (counts.get(evaluation.device.id) ?? 0) + 1);
  };
  return { counts, listener };
}

/** POST /events as an API client that does not wait (the harness waits by default). */
const postQueued = (app: TestApp, events: unknown[], headers: Record<string, string> = { prefer: 'respond-async' }) =>
  app.request('POST', 'events', { body: { events }, headers });

const readyz = async (app: TestApp) => (await app.request('GET', '/readyz', { token: null })).json;

describe('the evaluation queue', () => {
  let app: TestApp;
  let counter: ReturnType<typeof evaluationCounter>;
  beforeEach(async () => {
    counter = evaluationCounter();
    app = await testApp({ now: T0, evaluationListeners: [counter.listener] });
    await enroll(app, { id: 'srv-1', intervalHours: 24 });
    await enroll(app, { id: 'srv-2', intervalHours: 24 });
    counter.counts.clear();
  });
  afterEach(() => app.close());

  test('POST /events answers 202 "queued" once stored; the device is evaluated when the queue drains', async () => {
    const response = await postQueued(app, [job('srv-1', 'failed', T0 - MINUTE)]);
    assert.equal(response.status, 202);
    assert.deepEqual(response.json, { accepted: 1, duplicates: 0, evaluation: 'queued' });
    assert.equal((await deviceRow(app, 'srv-1'))!.consecutive_failures, 0, 'the list fields wait for the evaluation');
    assert.deepEqual(await activeAlerts(app, 'srv-1'), []);
    assert.deepEqual((await readyz(app)).lag.evaluation.pendingDevices, 1);

    app.clock.advance(400);
    const summary = await app.services.evaluationQueue.drain();
    assert.equal(summary.evaluated, 1);
    assert.equal((await deviceRow(app, 'srv-1'))!.consecutive_failures, 1);
    assert.deepEqual(await activeAlerts(app, 'srv-1'), ['backup_failed:warning']);
    assert.deepEqual((await readyz(app)).lag.evaluation, { pendingDevices: 0, lagMs: 0 });
  });

  test('the lag is the age of the oldest mark', async () => {
    await postQueued(app, [job('srv-1', 'success', T0 - MINUTE)]);
    app.clock.advance(700);
    await postQueued(app, [job('srv-2', 'success', T0 - MINUTE)]);
    app.clock.advance(300);
    assert.deepEqual((await readyz(app)).lag.evaluation, { pendingDevices: 2, lagMs: 1_000 });
  });

  test('all the events that reached a device before the drain are evaluated once, together', async () => {
    await postQueued(app, [job('srv-1', 'failed', T0 - 3 * HOUR)]);
    await postQueued(app, [job('srv-1', 'failed', T0 - 2 * HOUR)]);
    await postQueued(app, [job('srv-1', 'success', T0 - HOUR), job('srv-2', 'failed', T0 - HOUR)]);
    await app.services.evaluationQueue.drain();
    assert.deepEqual(Object.fromEntries(counter.counts), { 'srv-1': 1, 'srv-2': 1 });
    assert.deepEqual(await activeAlerts(app, 'srv-1'), [], 'the success after two failures is what the evaluation saw');
    assert.deepEqual(await activeAlerts(app, 'srv-2'), ['backup_failed:warning']);
  });

  test('Prefer: wait=evaluated answers after the evaluation, says so, and answers earlier marks of its devices too', async () => {
    await postQueued(app, [job('srv-1', 'failed', T0 - 2 * HOUR)]);
    const response = await postQueued(app, [job('srv-1', 'failed', T0 - HOUR)], { prefer: 'return=minimal, wait=evaluated' });
    assert.equal(response.headers.get('preference-applied'), 'wait=evaluated');
    assert.deepEqual(response.json, { accepted: 1, duplicates: 0, evaluation: 'done' });
    assert.equal((await deviceRow(app, 'srv-1'))!.consecutive_failures, 2);
    assert.deepEqual((await readyz(app)).lag.evaluation.pendingDevices, 0);
    assert.equal((await app.services.evaluationQueue.drain()).evaluated, 0);
  });

  test('?wait=evaluated is the same as the header; another value of wait is a 422 naming it', async () => {
    const response = await app.request('POST', '/api/v1/events?wait=evaluated', { body: { events: [job('srv-2', 'failed', T0 - HOUR)] }, headers: { prefer: 'respond-async' } });
    assert.equal(response.json.evaluation, 'done');
    assert.deepEqual(await activeAlerts(app, 'srv-2'), ['backup_failed:warning']);
    const bad = await app.request('POST', '/api/v1/events?wait=stored', { body: { events: [job('srv-2', 'failed', T0 - HOUR)] } });
    assert.equal(bad.status, 422);
    assert.match(JSON.stringify(bad.json), /wait/);
  });

  test('a replay changes nothing and marks nothing', async () => {
    const event = job('srv-1', 'success', T0 - HOUR);
    await postQueued(app, [event]);
    await app.services.evaluationQueue.drain();
    const replay = await postQueued(app, [event]);
    assert.deepEqual(replay.json, { accepted: 0, duplicates: 1, evaluation: 'done' });
    assert.equal((await readyz(app)).lag.evaluation.pendingDevices, 0);
  });

  test('a device whose evaluation fails does not hold up the others; the sweep re-evaluates it later', async () => {
    app.close();
    let broken = false;
    const failing: EvaluationListener = async (_tx, evaluations) => {
      if (broken && evaluations.some((e) => e.device.id === 'srv-1')) throw new Error('listener failed for srv-1');
    };
    app = await testApp({ now: T0, evaluationListeners: [failing] });
    await enroll(app, { id: 'srv-1', intervalHours: 24 });
    await enroll(app, { id: 'srv-2', intervalHours: 24 });
    broken = true;
    await postQueued(app, [job('srv-1', 'failed', T0 - HOUR), job('srv-2', 'failed', T0 - HOUR)]);
    const summary = await app.services.evaluationQueue.drain();
    assert.equal(summary.evaluated, 1);
    assert.deepEqual(await activeAlerts(app, 'srv-2'), ['backup_failed:warning']);
    assert.equal((await readyz(app)).lag.evaluation.pendingDevices, 0, 'the failing mark is not kept to block the queue');
  });
});

describe('queued events are folded by the first evaluation of their device', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await testApp({ now: T0 });
    await enroll(app, { id: 'queued', intervalHours: 24 });
    await enroll(app, { id: 'waited', intervalHours: 24 });
  });
  afterEach(() => app.close());

  /** The same batches for either device: a running job and its end, a failure, a job from the past, storage, consent, check-ins (one stale). */
  const batches = (device: string) => {
    const at = (hoursAgo: number) => T0 - hoursAgo * HOUR;
    const running = { ...job(device, 'running', at(2)), id: `a-${device}` };
    return [
      [checkin(device, at(5)), running, { ...job(device, 'failed', at(3)), id: `b-${device}` }],
      [{ ...running, status: 'success', endedAt: iso(at(2)) }, storage(device, at(1.5), 40e9, 100e9)],
      [{ ...job(device, 'success', at(4)), id: `c-${device}` }, checkin(device, at(5)), checkin(device, at(0.5))],
      [{ ...job(device, 'failed', at(0.25)), id: `d-${device}` }, consent(device, at(0.2), 'ok')],
    ];
  };

  test('the request path writes no device state; the drain folds the batches in order, as if each had been folded when stored', async () => {
    const before = (await deviceRow(app, 'queued'))!.state;
    const queuedAnswers = [];
    for (const batch of batches('queued')) queuedAnswers.push((await postQueued(app, batch)).json);
    assert.equal((await deviceRow(app, 'queued'))!.state, before, 'no device row written by the 202s');
    const waitedAnswers = [];
    for (const batch of batches('waited')) waitedAnswers.push((await postQueued(app, batch, { prefer: 'wait=evaluated' })).json);
    assert.deepEqual(
      queuedAnswers.map((a) => [a.accepted, a.duplicates]),
      waitedAnswers.map((a) => [a.accepted, a.duplicates]),
      'a stale check-in is a duplicate whether the newer one is folded or still queued',
    );
    assert.equal(queuedAnswers[2].duplicates, 1);

    await app.services.evaluationQueue.drain();
    const state = async (id: string) => decodeDeviceState((await deviceRow(app, id))!.state);
    assert.deepEqual(await state('queued'), await state('waited'));
    assert.deepEqual(await activeAlerts(app, 'queued'), await activeAlerts(app, 'waited'));
    assert.equal((await state('queued')).consecutiveFailures, 1);
  });

  test('a sweep that reaches a device before the drain folds its queued success first: no missed backup', async () => {
    await postQueued(app, [job('queued', 'success', T0 - MINUTE)], { prefer: 'wait=evaluated' });
    // The next success is queued just as the device comes due; the sweep gets there first.
    app.clock.advance(24 * HOUR + 5 * MINUTE);
    await postQueued(app, [job('queued', 'success', app.clock() - MINUTE)]);
    app.clock.advance(2 * HOUR);
    await app.services.sweeper.sweep(app.clock());
    assert.deepEqual(await activeAlerts(app, 'queued'), []);
    assert.equal((await readyz(app)).lag.evaluation.pendingDevices, 0, 'the sweep took the mark with its events');
    assert.equal((await app.services.evaluationQueue.drain()).evaluated, 0);
  });

  test('retiring a device drops its queued events; they stay stored as history', async () => {
    await postQueued(app, [job('queued', 'failed', T0 - MINUTE)]);
    const retired = await app.request('DELETE', 'devices/queued', { body: { reason: 'decommissioned' } });
    assert.ok(retired.status < 300, JSON.stringify(retired.json));
    assert.equal((await readyz(app)).lag.evaluation.pendingDevices, 0);
    const jobs = await app.db.get<{ n: number }>('SELECT count(*) AS n FROM jobs WHERE device_id = ?', ['queued']);
    assert.equal(jobs!.n, 1);
  });
});

describe('the evaluation queue across instances on one database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bh-queue-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('marks left by an instance are drained by another; racing drains evaluate each mark once', async () => {
    const url = `file:${join(dir, 'queue.db')}`;
    const counter = evaluationCounter();
    const first = await testApp({ now: T0, url, evaluationListeners: [counter.listener] });
    try {
      for (let i = 0; i < 30; i++) await enroll(first, { id: `dev-${i}`, intervalHours: 24 });
      counter.counts.clear();
      const events = Array.from({ length: 30 }, (_, i) => job(`dev-${i}`, i % 3 === 0 ? 'failed' : 'success', T0 - HOUR));
      assert.equal((await postQueued(first, events)).json.evaluation, 'queued');

      // A second instance (its own services and drain) beside the first, racing it.
      const second = createApp(first.deps, { evaluationListeners: [counter.listener] });
      const [a, b] = await Promise.all([first.services.evaluationQueue.drain(), second.services.evaluationQueue.drain()]);
      assert.equal(a.evaluated + b.evaluated, 30);
      assert.ok([...counter.counts.values()].every((count) => count === 1), JSON.stringify(Object.fromEntries(counter.counts)));
      assert.equal(counter.counts.size, 30);
      const { json } = await first.request('GET', 'alerts?state=active&limit=100');
      assert.equal(json.items.length, 10, 'one backup_failed alert per failed device, none twice');
    } finally {
      first.close();
    }
  });
});

describe('draining on its own', () => {
  test('with drainEvaluations on, the instance evaluates right after the 202 without being asked', async () => {
    const app = await testApp({ now: T0, config: { drainEvaluations: true } });
    try {
      await enroll(app, { id: 'srv-1', intervalHours: 24 });
      assert.equal((await postQueued(app, [job('srv-1', 'failed', T0 - HOUR)])).json.evaluation, 'queued');
      const deadline = Date.now() + 5_000;
      while ((await activeAlerts(app, 'srv-1')).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(await activeAlerts(app, 'srv-1'), ['backup_failed:warning']);
      assert.equal((await readyz(app)).lag.evaluation.pendingDevices, 0);
    } finally {
      await app.services.evaluationQueue.stop();
      app.close();
    }
  });

  test('under sustained ingest, drains start at most once per coalescing window; a device is evaluated once for all the batches meanwhile', async () => {
    const counter = evaluationCounter();
    const app = await testApp({ now: T0, evaluationListeners: [counter.listener] });
    // A queue of its own with a wide window, kicked as the ingestor kicks after each commit.
    const queue = new EvaluationQueue(app.db, app.services.evaluator, app.clock, { autoDrain: true, coalesceMs: 2_000 });
    const pending = async () => (await queue.lag()).pendingDevices;
    const drained = async (ms: number) => {
      const deadline = performance.now() + ms;
      while ((await pending()) > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      return (await pending()) === 0;
    };
    try {
      await enroll(app, { id: 'srv-1', intervalHours: 24 });
      await app.services.evaluationQueue.drain();
      counter.counts.clear();
      // A quiet queue drains at once, not after the window.
      await postQueued(app, [checkin('srv-1', T0 - 30 * MINUTE)]);
      queue.kick();
      assert.ok(await drained(1_000), 'the first batch waited for the window');
      assert.equal(counter.counts.get('srv-1'), 1);
      // Then 20 batches in a burst shorter than the window: one drain, after the window, takes them all.
      for (let i = 0; i < 20; i++) {
        await postQueued(app, [checkin('srv-1', T0 - 29 * MINUTE + i * 1000)]);
        queue.kick();
      }
      assert.ok(await drained(10_000));
      assert.equal(counter.counts.get('srv-1'), 2, 'one evaluation for the 20 batches of the burst');
      assert.equal(decodeDeviceState((await deviceRow(app, 'srv-1'))!.state).lastCheckinAt, T0 - 29 * MINUTE + 19 * 1000);
    } finally {
      await queue.stop();
      app.close();
    }
  });
});

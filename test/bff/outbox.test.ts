/**
 * The transactional outbox and its dispatcher, against the real On-Call stand-in on
 * loopback: claims, retries with backoff (driven by the test clock), permanent
 * failures, give-up, idempotent redelivery, several instances, and the status.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { MAX_ATTEMPTS, RETRY_CAP_MS, retryDelay } from '../../bff/services/outbox/delivery.ts';
import { enqueue } from '../../bff/services/outbox/outbox.ts';
import type { PageRequest } from '../../bff/services/oncall/client.ts';
import { dispatch, enableOnCall, expectStatus, outboxRows, startKit, type Kit } from './integrations-kit.ts';

const page = (dedupKey: string): PageRequest => ({
  action: 'trigger',
  dedupKey,
  escalationPolicy: 'backup-oncall',
  severity: 'critical',
  summary: `SLA breach ${dedupKey}`,
  client: { id: 'contoso', name: 'Contoso' },
  device: { id: 'srv-01', name: 'SRV-01' },
  breachHours: 7,
  link: 'https://backups.example.com/console/devices/srv-01',
});

let kit: Kit;
beforeEach(async () => {
  kit = await startKit();
  await enableOnCall(kit);
});
afterEach(() => kit.close());

const queuePage = (dedupKey: string) =>
  kit.t.db.transaction((tx) => enqueue(tx, { tenantId: kit.t.tenant.id, channel: 'oncall', kind: 'trigger', dedupKey, payload: page(dedupKey), now: kit.t.clock() }));

describe('enqueue', () => {
  test('a second enqueue with the same dedup key is a no-op', async () => {
    assert.ok(await queuePage('srv-01:1'));
    assert.equal(await queuePage('srv-01:1'), null);
    assert.equal((await outboxRows(kit.t)).length, 1);
  });

  test('an item enqueued in a transaction that rolls back is never delivered', async () => {
    await assert.rejects(
      kit.t.db.transaction(async (tx) => {
        await enqueue(tx, { tenantId: kit.t.tenant.id, channel: 'oncall', kind: 'trigger', dedupKey: 'x', payload: page('x'), now: kit.t.clock() });
        throw new Error('the alert transition failed');
      }),
    );
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 0);
    assert.equal((await outboxRows(kit.t)).length, 0);
  });
});

describe('dispatch', () => {
  test('a due item is delivered once with the integration key and an Idempotency-Key', async () => {
    const id = await queuePage('srv-01:1');
    const summary = await dispatch(kit.t);
    assert.equal(summary.delivered, 1);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 1);
    assert.equal(kit.oncall.received[0]!.keyAccepted, true);
    assert.equal(kit.oncall.received[0]!.idempotencyKey, id);
    assert.equal((await outboxRows(kit.t))[0]!.status, 'delivered');
  });

  test('two instances dispatching at once deliver an item only once', async () => {
    await queuePage('srv-01:1');
    await queuePage('srv-02:1');
    const other = createApp({ ...kit.t.deps, instanceId: 'second-instance' });
    other.services.integrations.dispatcher.timeoutMs = 500;
    await Promise.all([dispatch(kit.t), other.services.integrations.dispatchDue(kit.t.clock())]);
    assert.equal(kit.oncall.received.length, 2);
    assert.deepEqual(kit.oncall.pages.map((p) => p.dedupKey).sort(), ['srv-01:1', 'srv-02:1']);
  });

  test('an item claimed by an instance that died is delivered once its claim expires', async () => {
    await queuePage('srv-01:1');
    const now = kit.t.clock();
    await kit.t.db.run("UPDATE outbox SET status = 'sending', claimed_by = 'dead-instance', claimed_until = ?", [now + 30_000]);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 0);
    kit.t.clock.advance(30_001);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 1);
  });

  test('a 503 is retried after a backoff of at most 10 s, then delivered with the same Idempotency-Key', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { status: 503 });
    const start = kit.t.clock();
    assert.equal((await dispatch(kit.t)).retried, 1);
    const [row] = await outboxRows(kit.t);
    assert.equal(row!.status, 'pending');
    assert.equal(row!.attempts, 1);
    assert.ok(row!.next_attempt_at > start && row!.next_attempt_at <= start + 10_000, `retry at +${row!.next_attempt_at - start} ms`);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 1, 'not retried before its time');
    kit.t.clock.set(row!.next_attempt_at);
    assert.equal((await dispatch(kit.t)).delivered, 1);
    assert.deepEqual(
      kit.oncall.received.map((r) => [r.outcome, r.idempotencyKey]),
      [
        [503, row!.id],
        [202, row!.id],
      ],
    );
  });

  test('a 429 waits as long as its Retry-After says', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { status: 429, retryAfterSeconds: 120 });
    await dispatch(kit.t);
    const [row] = await outboxRows(kit.t);
    assert.equal(row!.next_attempt_at, kit.t.clock() + 120_000);
  });

  test('a request without an answer is abandoned at the time limit and retried', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { timeout: true });
    assert.equal((await dispatch(kit.t)).retried, 1);
    const [row] = await outboxRows(kit.t);
    assert.match(JSON.parse(row!.last_error!).message, /no answer within 0.5 s/);
  });

  test('a dropped connection is retried', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { drop: true });
    assert.equal((await dispatch(kit.t)).retried, 1);
    assert.equal((await outboxRows(kit.t))[0]!.status, 'pending');
  });

  test('a lost answer after the receiver did the work is retried with the same key and not processed twice', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { dropAfterProcessing: true });
    await dispatch(kit.t);
    kit.t.clock.set((await outboxRows(kit.t))[0]!.next_attempt_at);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 2);
    assert.equal(kit.oncall.received[1]!.replayed, true);
    assert.equal(kit.oncall.pages.length, 1);
    assert.equal((await outboxRows(kit.t))[0]!.status, 'delivered');
  });

  test('a 400 fails at once without a retry', async () => {
    await queuePage('srv-01:1');
    kit.oncall.failNext(1, { status: 400, body: { error: 'escalation policy unknown' } });
    assert.equal((await dispatch(kit.t)).failed, 1);
    kit.t.clock.advance(3_600_000);
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 1);
    const [row] = await outboxRows(kit.t);
    assert.equal(row!.status, 'failed');
    assert.match(JSON.parse(row!.last_error!).message, /answered 400.*escalation policy unknown/);
  });

  test('a wrong integration key (401) fails at once', async () => {
    await enableOnCall(kit, { integrationKey: 'not-the-right-key' });
    await queuePage('srv-01:1');
    assert.equal((await dispatch(kit.t)).failed, 1);
    assert.equal(kit.oncall.received[0]!.keyAccepted, false);
  });

  test(`an item is given up after ${MAX_ATTEMPTS} attempts`, async () => {
    await queuePage('srv-01:1');
    await kit.t.db.run('UPDATE outbox SET attempts = ?', [MAX_ATTEMPTS - 1]);
    kit.oncall.failNext(1, { status: 503 });
    await dispatch(kit.t);
    const [row] = await outboxRows(kit.t);
    assert.equal(row!.status, 'failed');
    assert.match(JSON.parse(row!.last_error!).message, new RegExp(`Gave up after ${MAX_ATTEMPTS} attempts`));
  });

  test('while a receiver fails, its other items wait for the same retry time instead of each hitting the outage', async () => {
    await queuePage('srv-01:1');
    await queuePage('srv-02:1');
    kit.oncall.failNext(1, { status: 503 });
    await dispatch(kit.t);
    assert.equal(kit.oncall.received.length, 1);
    const rows = await outboxRows(kit.t);
    assert.deepEqual(rows.map((r) => [r.status, r.attempts]), [
      ['pending', 1],
      ['pending', 0],
    ]);
    assert.equal(rows[0]!.next_attempt_at, rows[1]!.next_attempt_at);
    kit.t.clock.set(rows[0]!.next_attempt_at);
    await dispatch(kit.t);
    assert.deepEqual(kit.oncall.pages.map((p) => p.dedupKey), ['srv-01:1', 'srv-02:1']);
  });
});

describe('backoff', () => {
  test('the first retry comes within 10 s and no delay exceeds 10 minutes', () => {
    assert.ok(retryDelay(1, () => 1) <= 10_000);
    assert.ok(retryDelay(1, () => 0) >= 1_000);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) assert.ok(retryDelay(attempt, () => 1) <= RETRY_CAP_MS);
    assert.equal(retryDelay(MAX_ATTEMPTS, () => 1), RETRY_CAP_MS);
  });

  test('the ceiling doubles per attempt (full jitter below it)', () => {
    assert.deepEqual([1, 2, 3, 4].map((attempt) => retryDelay(attempt, () => 1)), [10_000, 20_000, 40_000, 80_000]);
  });
});

describe('status', () => {
  test('shows queue depth, failed count, last success and last error', async () => {
    await queuePage('srv-01:1');
    await queuePage('srv-02:1');
    await queuePage('srv-03:1');
    kit.oncall.failNext(1, { status: 400 });
    await dispatch(kit.t);
    const deliveredAt = kit.t.clock();
    kit.t.clock.advance(60_000);
    kit.oncall.failNext(1, { status: 503 });
    await queuePage('srv-04:1');
    await dispatch(kit.t);
    const { status } = await expectStatus(kit.t.request('GET', 'settings/integrations/oncall'), 200);
    assert.equal(status.failed, 1);
    assert.equal(status.queueDepth, 1);
    assert.equal(status.lastSuccessAt, new Date(deliveredAt).toISOString());
    assert.equal(status.lastError.at, new Date(kit.t.clock()).toISOString());
    assert.match(status.lastError.message, /503/);
  });

  test('saving the settings with the integration enabled re-queues failed items', async () => {
    await enableOnCall(kit, { integrationKey: 'not-the-right-key' });
    await queuePage('srv-01:1');
    await dispatch(kit.t);
    assert.equal((await outboxRows(kit.t))[0]!.status, 'failed');
    await enableOnCall(kit);
    const [row] = await outboxRows(kit.t);
    assert.deepEqual([row!.status, row!.attempts], ['pending', 0]);
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 1);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { ChangeTail, type Change, type ChangeSink } from '../../bff/services/change-tail.ts';
import { recordChange } from '../../bff/services/change-feed.ts';
import type { Hono } from 'hono';
import type { AppEnv } from '../../bff/context.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { apiKey, embedToken, job, postEvents, putClient, putDevice, putPolicy, storage } from './fleet.ts';

interface SseMessage {
  event?: string;
  id?: string;
  data?: string;
  comment?: string;
  done?: boolean;
}

/** Opens GET /stream on `app` and reads it message by message; resolves once the stream is live. */
async function openStream(app: Hono<AppEnv>, token: string, headers: Record<string, string> = {}) {
  const response = await app.request('/api/v1/stream', { headers: { authorization: `Bearer ${token}`, ...headers } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type')!, /text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  async function next(): Promise<SseMessage> {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(': ')) message.comment = line.slice(2);
          else {
            const [field, ...rest] = line.split(': ');
            (message as Record<string, string>)[field!] = rest.join(': ');
          }
        }
        return message;
      }
      const { value, done } = await reader.read();
      if (done) return { done: true };
      buffer += decoder.decode(value, { stream: true });
    }
  }
  /** The next event (comments skipped). */
  async function nextEvent(): Promise<SseMessage & { payload: any }> {
    for (;;) {
      const message = await next();
      if (message.done) return { ...message, payload: null };
      if (message.event) return { ...message, payload: JSON.parse(message.data!) };
    }
  }
  /** Events until one matches (at most 50). */
  async function until(match: (message: SseMessage & { payload: any }) => boolean) {
    for (let i = 0; i < 50; i++) {
      const message = await nextEvent();
      assert.ok(!message.done, 'the stream ended');
      if (match(message)) return message;
    }
    throw new Error('no matching event in 50');
  }
  assert.deepEqual(await next(), { comment: 'connected' });
  return { next, nextEvent, until, close: () => reader.cancel() };
}

async function smallFleet(t: TestApp) {
  t.clock.set(T0 - 48 * HOUR);
  await putClient(t, 'contoso', 'Contoso');
  await putClient(t, 'fabrikam', 'Fabrikam');
  await putPolicy(t, 'daily', 24);
  await putDevice(t, 'srv-c', { clientId: 'contoso', name: 'SRV C', kind: 'server', policyId: 'daily' });
  await putDevice(t, 'srv-f', { clientId: 'fabrikam', name: 'SRV F', kind: 'server', policyId: 'daily' });
  t.clock.set(T0);
  await postEvents(t, [job('srv-c', 'success', T0 - 30 * HOUR), job('srv-f', 'success', T0 - 30 * HOUR)]);
}
const failures = (deviceId: string) => [3, 2, 1].map((hours) => job(deviceId, 'failed', T0 - hours * HOUR));

describe('GET /stream', { timeout: 10_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await smallFleet(t);
  });
  after(async () => {
    for (const hook of t.services.onShutdown) await hook();
    await t.close();
  });

  test('POST /events delivers device.updated and alert.opened', async () => {
    const stream = await openStream(t.app, t.adminKey);
    try {
      await postEvents(t, failures('srv-c'));
      const updated = await stream.until((message) => message.event === 'device.updated');
      assert.equal(updated.payload.id, 'srv-c');
      assert.equal(updated.payload.status, 'critical');
      assert.match(updated.id!, /^\d+$/);
      const opened = await stream.until((message) => message.event === 'alert.opened');
      assert.equal(opened.payload.device.id, 'srv-c');
      assert.equal(opened.payload.state, 'open');
      assert.ok(Number(opened.id) > Number(updated.id));
    } finally {
      await stream.close();
    }
  });

  test("a client-scoped stream receives its client's events only", async () => {
    const token = await embedToken(t, 'fabrikam');
    const scoped = await openStream(t.app, token);
    const tenant = await openStream(t.app, t.adminKey);
    try {
      await postEvents(t, [job('srv-c', 'success', T0 - 10 * 60_000)]);
      await postEvents(t, failures('srv-f'));
      // The tenant stream sees contoso first, so the scoped one had the chance to see it too.
      assert.equal((await tenant.nextEvent()).payload.client.id, 'contoso');
      const received = [await scoped.nextEvent(), await scoped.nextEvent()];
      assert.deepEqual(
        received.map((message) => `${message.event} ${message.payload.client.id}`),
        ['device.updated fabrikam', 'alert.opened fabrikam'],
      );
    } finally {
      await scoped.close();
      await tenant.close();
    }
  });

  test('Last-Event-ID replays the changes after it', async () => {
    const first = await openStream(t.app, t.adminKey);
    await postEvents(t, [job('srv-f', 'success', T0 - 5 * 60_000)]);
    const seen = [await first.nextEvent(), await first.nextEvent()];
    await first.close();
    const resumed = await openStream(t.app, t.adminKey, { 'last-event-id': seen[0]!.id! });
    try {
      const replayed = await resumed.nextEvent();
      assert.equal(replayed.id, seen[1]!.id);
      assert.equal(replayed.data, seen[1]!.data);
    } finally {
      await resumed.close();
    }
  });

  test('a change written by another instance reaches this instance', async () => {
    const other = createApp(t.deps);
    const stream = await openStream(t.app, t.adminKey);
    try {
      const response = await other.app.request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json', prefer: 'wait=evaluated' },
        body: JSON.stringify({ events: [storage('srv-c', T0 - 60_000, 12_345)] }),
      });
      assert.equal(response.status, 202);
      const message = await stream.nextEvent();
      assert.equal(message.event, 'device.updated');
      assert.deepEqual(message.payload.storage, { usedBytes: 12_345, quotaBytes: null });
    } finally {
      await stream.close();
    }
  });

  test('a malformed Last-Event-ID is a 400 problem', async () => {
    const response = await t.request('GET', 'stream', { headers: { 'last-event-id': 'yesterday' } });
    assert.equal(response.status, 400);
  });

  test('the stream needs the read scope', async () => {
    const token = await apiKey(t, ['ingest']);
    assert.equal((await t.request('GET', 'stream', { token })).status, 403);
  });

  test('changes older than an hour are pruned by the background task', async () => {
    await recordChange(t.db, t.tenant.id, null, 'device.updated', {} as never, T0 - 2 * HOUR);
    const task = t.services.background.find((candidate) => candidate.name === 'changes-prune')!;
    await task.run();
    const old = await t.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM changes WHERE at < ?', [T0 - HOUR]);
    assert.equal(old!.n, 0);
  });

  test('shutdown ends every open stream', async () => {
    const stream = await openStream(t.app, t.adminKey);
    const tail = t.services.changeTail;
    assert.equal(tail.size, 1);
    for (const hook of t.services.onShutdown) await hook();
    assert.deepEqual(await stream.next(), { done: true });
    assert.equal(tail.size, 0);
  });
});

describe('GET /stream across instances on one database file', { timeout: 10_000 }, () => {
  const file = join(mkdtempSync(join(tmpdir(), 'bh-stream-')), 'db.sqlite');
  let t: TestApp;
  let other: ReturnType<typeof createApp>;
  let otherDb: Database;
  before(async () => {
    t = await testApp({ url: `file:${file}` });
    await smallFleet(t);
    otherDb = openDatabase({ url: `file:${file}` });
    other = createApp({ ...t.deps, db: otherDb, instanceId: 'other-instance' });
  });
  after(async () => {
    for (const hook of t.services.onShutdown) await hook();
    await otherDb.close();
    await t.close();
    rmSync(dirname(file), { recursive: true, force: true });
  });

  test('events ingested through one instance reach the streams of the other', async () => {
    const stream = await openStream(t.app, t.adminKey);
    try {
      const response = await other.app.request('/api/v1/events', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json', prefer: 'wait=evaluated' },
        body: JSON.stringify({ events: failures('srv-f') }),
      });
      assert.equal(response.status, 202);
      const opened = await stream.until((message) => message.event === 'alert.opened');
      assert.equal(opened.payload.device.id, 'srv-f');
    } finally {
      await stream.close();
    }
  });
});

describe('stream caps', () => {
  test('the process cap refuses a stream of any tenant beyond it with a 429 problem and Retry-After; closing one frees its place', async () => {
    const t = await testApp({ config: { streamLimits: { perToken: 10, perTenant: 10, perProcess: 1 } } });
    try {
      const first = await t.request('GET', 'stream');
      assert.equal(first.status, 200);
      const refused = await t.request('GET', 'stream', { token: await apiKey(t, ['read']) });
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('content-type')!, /application\/problem\+json/);
      assert.match(refused.json.detail, /server has 1 open streams/);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      await first.response.body!.cancel();
      while (t.services.changeTail.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const again = await t.request('GET', 'stream');
      assert.equal(again.status, 200);
      await again.response.body!.cancel();
    } finally {
      for (const hook of t.services.onShutdown) await hook();
      await t.close();
    }
  });
});

describe('ChangeTail', { timeout: 10_000 }, () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  const sink = (overrides: Partial<ChangeSink> = {}): ChangeSink & { changes: Change[]; comments: string[] } => {
    const changes: Change[] = [];
    const comments: string[] = [];
    return { changes, comments, change: async (change) => changes.push(change), comment: async (text) => comments.push(text), ...overrides };
  };

  test('nextDelivery resolves with the next change read from the table', async () => {
    const tail = new ChangeTail(t.db, { pollMs: 10 });
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: null }, sink());
    const delivered = tail.nextDelivery();
    await recordChange(t.db, t.tenant.id, 'c1', 'device.updated', {} as never, T0);
    assert.equal((await delivered).clientId, 'c1');
    subscription.close();
  });

  test('an idle stream gets heartbeat comments', async () => {
    const tail = new ChangeTail(t.db, { heartbeatMs: 5 });
    let heard!: () => void;
    const heartbeat = new Promise<void>((resolve) => (heard = resolve));
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: null }, sink({ comment: async (text) => void (text === 'heartbeat' && heard()) }));
    await heartbeat;
    subscription.close();
  });

  test('a subscriber that does not read at all (still behind after its reset) is dropped', async () => {
    const tail = new ChangeTail(t.db, { pollMs: 10, maxBacklog: 2 });
    const stuck = sink({ change: () => new Promise(() => undefined) });
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: null }, stuck);
    for (let i = 0; i < 4; i++) await recordChange(t.db, t.tenant.id, null, 'device.updated', {} as never, T0);
    await tail.pollNow();
    await subscription.closed;
    assert.equal(tail.size, 0);
  });

  test('a live subscriber too far behind gets one reset at its position instead of the queue, then live changes', async () => {
    const tail = new ChangeTail(t.db, { pollMs: 10, maxBacklog: 3 });
    const written: number[] = [];
    const resets: number[] = [];
    const subscription = await tail.subscribe(
      { tenantId: t.tenant.id, clientId: null },
      sink({ change: async (change) => void written.push(change.id), reset: async (position) => void resets.push(position) }),
    );
    // Four changes reach it in one read, before any is written: one more than it may queue.
    for (let i = 0; i < 4; i++) await recordChange(t.db, t.tenant.id, null, 'device.updated', {} as never, T0);
    await tail.pollNow();
    const { id: newest } = (await t.db.get<{ id: number }>('SELECT MAX(id) AS id FROM changes'))!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(written, [], 'the queued changes were skipped');
    assert.deepEqual(resets, [newest], 'one reset at the newest change');
    const delivered = tail.nextDelivery();
    await recordChange(t.db, t.tenant.id, null, 'device.updated', {} as never, T0);
    await tail.pollNow();
    const live = await delivered;
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(written, [live.id], 'live again after the reset');
    assert.equal(tail.size, 1);
    subscription.close();
  });

  test('a resume with more changes of its scope than the backlog limit is a reset at the current position', async () => {
    const before = (await t.db.get<{ id: number }>('SELECT MAX(id) AS id FROM changes'))!.id;
    for (let i = 0; i < 4; i++) await recordChange(t.db, t.tenant.id, 'c1', 'device.updated', {} as never, T0);
    const newest = (await t.db.get<{ id: number }>('SELECT MAX(id) AS id FROM changes'))!.id;
    const tail = new ChangeTail(t.db, { maxBacklog: 3 });
    const resets: [number, string][] = [];
    const out = sink({ reset: async (position, reason) => void resets.push([position, reason]) });
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: 'c1' }, out, { lastEventId: before });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(resets, [[newest, 'behind']]);
    assert.deepEqual(out.changes, []);
    assert.deepEqual(out.comments, ['connected'], 'the connected line is never skipped by a reset');
    subscription.close();
  });

  test("a replay reads its client's changes a page at a time, in order, and nothing of other clients", async () => {
    const before = (await t.db.get<{ id: number }>('SELECT MAX(id) AS id FROM changes'))!.id;
    for (let i = 0; i < 7; i++) {
      await recordChange(t.db, t.tenant.id, 'c1', 'device.updated', { n: i } as never, T0);
      await recordChange(t.db, t.tenant.id, 'c2', 'device.updated', { n: i } as never, T0);
    }
    const tail = new ChangeTail(t.db, { replayPage: 2 });
    const out = sink();
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: 'c1' }, out, { lastEventId: before });
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.deepEqual(
      out.changes.map((change) => [change.clientId, JSON.parse(change.payload).n]),
      Array.from({ length: 7 }, (_, n) => ['c1', n]),
    );
    subscription.close();
  });

  test('a resume after changes already pruned is a reset', async () => {
    const fresh = await testApp();
    try {
      await recordChange(fresh.db, fresh.tenant.id, null, 'device.updated', {} as never, T0 - 3 * HOUR);
      await recordChange(fresh.db, fresh.tenant.id, null, 'device.updated', {} as never, T0);
      const tail = new ChangeTail(fresh.db);
      assert.equal(await tail.prune(T0 - HOUR), 1);
      const resets: string[] = [];
      const subscription = await tail.subscribe({ tenantId: fresh.tenant.id, clientId: null }, sink({ reset: async (_, reason) => void resets.push(reason) }), { lastEventId: 0 });
      await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(resets, ['pruned']);
      subscription.close();
    } finally {
      await fresh.close();
    }
  });

  test('a subscription with an expiry ends then', async () => {
    const tail = new ChangeTail(t.db);
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: null }, sink(), { until: T0 + 5, now: T0 });
    await subscription.closed;
    assert.equal(tail.size, 0);
  });

  test("another tenant's changes are not delivered", async () => {
    const tail = new ChangeTail(t.db, { pollMs: 10 });
    let first!: (change: Change) => void;
    const delivered = new Promise<Change>((resolve) => (first = resolve));
    const subscription = await tail.subscribe({ tenantId: t.tenant.id, clientId: null }, sink({ change: async (change) => first(change) }));
    await recordChange(t.db, 'another-tenant', null, 'device.updated', {} as never, T0);
    await recordChange(t.db, t.tenant.id, null, 'device.updated', {} as never, T0);
    assert.equal((await delivered).tenantId, t.tenant.id);
    subscription.close();
  });
});

/**
 * The alert feed, one alert with its history, acknowledgement, and who may see and
 * acknowledge what.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTenant } from '../../bff/services/tenants.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { apiKey, changes, DAY, embedToken, enroll, HOUR, job, MINUTE, send, storage } from './builders.ts';

interface Item {
  id: string;
  type: string;
  severity: string;
  state: string;
  triggeredAt: string;
  client: { id: string };
  device: { id: string };
}

describe('alerts', () => {
  let app: TestApp;
  let acmeAlert: Item;
  let globexAlert: Item;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY });
    await enroll(app, { id: 'acme-srv', kind: 'server', intervalHours: 4, clientId: 'acme', quotaBytes: 100 });
    await enroll(app, { id: 'globex-ws', kind: 'workstation', intervalHours: 24, clientId: 'globex' });
    app.clock.set(T0);
    // acme-srv: overdue (missed + overdue) and over quota; globex-ws: one failure.
    await send(app, [job('acme-srv', 'success', T0 - 13 * HOUR), storage('acme-srv', T0 - HOUR, 99)]);
    await send(app, [job('globex-ws', 'success', T0 - 5 * HOUR), job('globex-ws', 'failed', T0 - 2 * HOUR)]);
    const all = (await app.request('GET', 'alerts')).json.items as Item[];
    acmeAlert = all.find((a) => a.type === 'backup_overdue')!;
    globexAlert = all.find((a) => a.type === 'backup_failed')!;
  });
  after(() => app.close());

  test('the feed lists alerts newest triggered first', async () => {
    const { status, json } = await app.request('GET', 'alerts');
    assert.equal(status, 200);
    const times = json.items.map((a: Item) => a.triggeredAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.equal(json.items.length, 4);
    assert.equal(json.nextCursor, null);
  });

  test('the feed pages with an opaque cursor without repeats or gaps', async () => {
    const first = (await app.request('GET', 'alerts?limit=3')).json;
    assert.equal(first.items.length, 3);
    assert.ok(first.nextCursor);
    const second = (await app.request('GET', `alerts?limit=3&cursor=${first.nextCursor}`)).json;
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, null);
    const all = (await app.request('GET', 'alerts')).json.items.map((a: Item) => a.id);
    assert.deepEqual([...first.items, ...second.items].map((a: Item) => a.id), all);
  });

  test('the feed filters by severity, type, client and device', async () => {
    const critical = (await app.request('GET', 'alerts?severity=critical')).json.items.map((a: Item) => a.type);
    assert.deepEqual(critical, ['backup_overdue']);
    const byType = (await app.request('GET', 'alerts?type=storage_quota_exceeded')).json.items;
    assert.deepEqual(byType.map((a: Item) => a.device.id), ['acme-srv']);
    const byClient = (await app.request('GET', 'alerts?client=globex')).json.items;
    assert.deepEqual(byClient.map((a: Item) => a.type), ['backup_failed']);
    const byDevice = (await app.request('GET', 'alerts?device=acme-srv')).json.items;
    assert.equal(byDevice.length, 3);
  });

  test('a tampered cursor is a 400 problem and a limit over 500 a 422', async () => {
    assert.equal((await app.request('GET', 'alerts?cursor=not-a-cursor')).status, 400);
    assert.equal((await app.request('GET', 'alerts?limit=501')).status, 422);
    assert.equal((await app.request('GET', 'alerts?state=sleeping')).status, 422);
  });

  test('an alert carries the fields of the API with its history', async () => {
    const { status, json } = await app.request('GET', `alerts/${acmeAlert.id}`);
    assert.equal(status, 200);
    assert.equal(json.type, 'backup_overdue');
    assert.equal(json.severity, 'critical');
    assert.deepEqual(json.device, { id: 'acme-srv', name: 'Device acme-srv' });
    assert.deepEqual(json.client, { id: 'acme', name: 'Client acme' });
    assert.equal(json.triggeredAt, new Date(T0 - 13 * HOUR + 12 * HOUR).toISOString());
    assert.match(json.recommendedAction, /run a backup now/i);
    assert.deepEqual(json.history.map((h: { action: string }) => h.action), ['opened']);
  });

  test('an unknown alert is 404', async () => {
    assert.equal((await app.request('GET', 'alerts/nope')).status, 404);
  });

  test('acknowledging an open alert records it in its history and on the stream', async () => {
    const { status, json } = await app.request('POST', `alerts/${acmeAlert.id}/acknowledge`, { body: { note: 'On it' } });
    assert.equal(status, 200);
    assert.equal(json.state, 'acknowledged');
    assert.equal(json.acknowledgedAt, new Date(T0).toISOString());
    const detail = (await app.request('GET', `alerts/${acmeAlert.id}`)).json;
    assert.deepEqual(detail.history.map((h: { action: string; note: string | null }) => [h.action, h.note]).at(-1), ['acknowledged', 'On it']);
    const last = (await changes(app, 'alert.updated')).at(-1)!;
    assert.equal(last.payload.id, acmeAlert.id);
    assert.equal(last.payload.state, 'acknowledged');
  });

  test('acknowledging again answers 200 and changes nothing', async () => {
    app.clock.advance(MINUTE);
    const { status, json } = await app.request('POST', `alerts/${acmeAlert.id}/acknowledge`);
    assert.equal(status, 200);
    assert.equal(json.acknowledgedAt, new Date(T0).toISOString());
    const history = (await app.request('GET', `alerts/${acmeAlert.id}`)).json.history;
    assert.equal(history.filter((h: { action: string }) => h.action === 'acknowledged').length, 1);
    app.clock.set(T0);
  });

  test('an acknowledged alert still resolves when the condition clears', async () => {
    await send(app, [job('acme-srv', 'success', T0 - 30 * MINUTE)]);
    const { json } = await app.request('GET', `alerts/${acmeAlert.id}`);
    assert.equal(json.state, 'resolved');
    assert.deepEqual(json.history.map((h: { action: string }) => h.action), ['opened', 'acknowledged', 'resolved']);
  });

  test('acknowledging a resolved alert is 409', async () => {
    const { status, json } = await app.request('POST', `alerts/${acmeAlert.id}/acknowledge`);
    assert.equal(status, 409);
    assert.match(json.detail, /resolved/);
  });

  test('a read-only embed token cannot acknowledge (403)', async () => {
    const token = await embedToken(app, { scopes: ['read'] });
    assert.equal((await app.request('POST', `alerts/${globexAlert.id}/acknowledge`, { token })).status, 403);
  });

  test('an ingest-only key cannot read alerts (403)', async () => {
    const key = await apiKey(app, ['ingest']);
    assert.equal((await app.request('GET', 'alerts', { token: key })).status, 403);
  });

  test("a client-scoped token sees only its client's alerts", async () => {
    const token = await embedToken(app, { clientId: 'globex' });
    const { json } = await app.request('GET', 'alerts', { token });
    assert.deepEqual(json.items.map((a: Item) => a.client.id), ['globex']);
    assert.deepEqual((await app.request('GET', 'alerts?client=acme', { token })).json.items, []);
    assert.equal((await app.request('GET', `alerts/${acmeAlert.id}`, { token })).status, 404);
  });

  test("an operate embed token of another client gets 404 for this client's alert", async () => {
    const token = await embedToken(app, { clientId: 'acme', scopes: ['read', 'operate'] });
    assert.equal((await app.request('POST', `alerts/${globexAlert.id}/acknowledge`, { token })).status, 404);
  });

  test("an operate embed token acknowledges its client's alert", async () => {
    const token = await embedToken(app, { clientId: 'globex', scopes: ['read', 'operate'] });
    const { status, json } = await app.request('POST', `alerts/${globexAlert.id}/acknowledge`, { token });
    assert.equal(status, 200);
    assert.equal(json.state, 'acknowledged');
  });

  test("another tenant's alert is 404", async () => {
    const other = await createTenant(app.db, 'Other MSP', T0);
    assert.equal((await app.request('GET', `alerts/${globexAlert.id}`, { token: other.adminKey })).status, 404);
    assert.equal((await app.request('POST', `alerts/${globexAlert.id}/acknowledge`, { token: other.adminKey })).status, 404);
    assert.deepEqual((await app.request('GET', 'alerts', { token: other.adminKey })).json.items, []);
  });
});

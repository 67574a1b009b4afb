/**
 * The discovery inbox (docs/ingest.md): a ping with ?create=1 for a slug no device has is held,
 * not dropped; approving enrols the device and replays its pings in order; ignoring
 * stops holding them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_HELD_PINGS } from '../../bff/inbound/ping/discovery.ts';
import { apiKey, enroll, HOUR, MINUTE } from './builders.ts';
import { testApp, T0, type TestApp } from './harness.ts';

const RID = '0d5a6a3e-6d0c-4b8e-9b1a-2f3c4d5e6f70';

describe('the discovery inbox', () => {
  let app: TestApp;
  let pingKey: string;
  const ping = (path: string, body?: string) => app.app.request(`/ping/${pingKey}/${path}`, { method: body === undefined ? 'GET' : 'POST', body });
  const inbox = async (state = 'pending') => (await app.request('GET', `discovery?state=${state}`)).json.items as { slug: string; pings: number; held: number; state: string }[];

  before(async () => {
    app = await testApp({ now: T0 });
    pingKey = (await app.request('GET', 'settings/ingest')).json.pingKey;
    await enroll(app, { id: 'existing', kind: 'server', intervalHours: 24 });
  });
  after(() => app.close());

  test('a ?create=1 ping of an unknown slug is held: 201 "created" the first time, 200 "OK" after, listed with its count', async () => {
    app.clock.set(T0 - 2 * HOUR);
    const first = await ping(`nas-7/start?create=1&rid=${RID}`);
    assert.deepEqual([first.status, await first.text()], [201, 'created']);
    app.clock.set(T0 - 2 * HOUR + 40 * MINUTE);
    const second = await ping(`nas-7?create=1&rid=${RID}`, 'borg: archive created, 1.2 GB');
    assert.deepEqual([second.status, await second.text()], [200, 'OK']);
    const [item] = await inbox();
    assert.equal(item!.slug, 'nas-7');
    assert.equal(item!.pings, 2);
    assert.equal(item!.held, 2);
    // Without ?create=1 an unknown slug is still "not found" and not held.
    assert.equal((await ping('other-box')).status, 404);
    assert.deepEqual((await inbox()).map((candidate) => candidate.slug), ['nas-7']);
  });

  test('approving enrols the device with that ping slug and replays the held pings as one job at their times', async () => {
    app.clock.set(T0);
    const { status, json } = await app.request('POST', 'discovery/nas-7/approve', { body: { clientId: 'client-a', name: 'NAS 7', kind: 'server', policyId: 'every-24h' } });
    assert.equal(status, 201, JSON.stringify(json));
    assert.deepEqual(json, { deviceId: 'nas-7', replayed: 2 });
    const device = await app.request('GET', 'devices/nas-7');
    assert.equal(device.status, 200);
    assert.equal(device.json.jobs.length, 1, 'start and end paired by rid');
    const [job] = device.json.jobs;
    assert.equal(job.status, 'success');
    assert.equal(job.startedAt, new Date(T0 - 2 * HOUR).toISOString());
    assert.equal(job.endedAt, new Date(T0 - 2 * HOUR + 40 * MINUTE).toISOString());
    assert.match(job.message, /archive created/);
    assert.deepEqual(await inbox(), []);
    // From now on its pings land directly.
    assert.deepEqual([(await ping('nas-7')).status], [200]);
    assert.equal((await app.request('GET', 'devices/nas-7')).json.jobs.length, 2);
  });

  test('only the newest held pings are kept', async () => {
    for (let i = 0; i < MAX_HELD_PINGS + 5; i++) await ping('chatty?create=1');
    const item = (await inbox()).find((candidate) => candidate.slug === 'chatty')!;
    assert.equal(item.pings, MAX_HELD_PINGS + 5);
    assert.equal(item.held, MAX_HELD_PINGS);
  });

  test('ignoring stops holding: its pings answer "not found" and it is listed as ignored', async () => {
    const ignored = await app.request('POST', 'discovery/chatty/ignore');
    assert.equal(ignored.status, 200);
    assert.equal(ignored.json.state, 'ignored');
    assert.equal(ignored.json.held, 0);
    const later = await ping('chatty?create=1');
    assert.deepEqual([later.status, await later.text()], [404, 'not found (ignored in the discovery inbox)']);
    assert.deepEqual((await inbox()).map((candidate) => candidate.slug), []);
    assert.deepEqual((await inbox('ignored')).map((candidate) => candidate.slug), ['chatty']);
  });

  test('approval with a bad device is a 422 naming the field and enrols nothing; an unknown slug is a 404', async () => {
    await ping('fresh?create=1');
    const bad = await app.request('POST', 'discovery/fresh/approve', { body: { clientId: 'client-a', name: 'x\ny', kind: 'server', policyId: 'every-24h', deviceId: 'bad id' } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.json.errors.map((error: { path: string }) => error.path).sort(), ['deviceId', 'name']);
    assert.equal((await app.request('GET', 'devices/fresh')).status, 404);
    const missing = await app.request('POST', 'discovery/fresh/approve', { body: { clientId: 'nobody', name: 'Fresh', kind: 'server', policyId: 'every-24h' } });
    assert.equal(missing.status, 422);
    assert.equal((await app.request('POST', 'discovery/nothing/approve', { body: { clientId: 'client-a', name: 'X', kind: 'server', policyId: 'every-24h' } })).status, 404);
    assert.equal((await app.request('POST', 'discovery/nothing/ignore')).status, 404);
  });

  test('only admin credentials see or act on the inbox', async () => {
    const ingest = await apiKey(app, ['ingest']);
    assert.equal((await app.request('GET', 'discovery', { token: ingest })).status, 403);
    assert.equal((await app.request('POST', 'discovery/fresh/ignore', { token: ingest })).status, 403);
  });
});

/**
 * Ping URLs through HTTP against a real libSQL database: Healthchecks' ping API
 * (success, start, fail, exit status, log, rid pairing, bodies), the ping key as
 * the only credential, rotation, slugs set on PUT /devices, and the rate limit.
 */
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../bff/app.ts';
import { decodeDeviceState } from '../../bff/db/device-state.ts';
import { pingRoutes } from '../../bff/routes/ping.ts';
import { apiKey, DAY, enroll, HOUR, MINUTE } from './builders.ts';
import { testApp, T0, type TestApp } from './harness.ts';

const RID_A = '0d5a6a3e-6d0c-4b8e-9b1a-2f3c4d5e6f70';
const RID_B = '1e6b7b4f-7e1d-4c9f-8c2b-3a4d5e6f7a81';
const RESTIC_SUMMARY = '{"message_type":"summary","files_new":2,"files_changed":0,"files_unmodified":0,"dirs_new":1,"dirs_changed":0,"dirs_unmodified":0,"data_blobs":2,"tree_blobs":2,"data_added":1480,"total_files_processed":2,"total_bytes_processed":4096,"total_duration":1.5,"snapshot_id":"3c4d5e6f"}';
const BORGMATIC_FAILURE = "/var/backups/repo: Error running actions for repository\nCommand 'borg create /var/backups/repo::{hostname}-{now} /etc' returned non-zero exit status 2.\n";

interface Job {
  id: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  bytes: number | null;
  message: string | null;
}

describe('ping URLs', () => {
  let app: TestApp;
  let pingKey: string;
  let counter = 0;
  let device: string;

  const ping = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
    app.app.request(`/ping/${pingKey}/${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), body: init.body, headers: init.headers });
  const jobs = async (id = device): Promise<Job[]> => {
    const detail = await app.request('GET', `devices/${id}`);
    assert.equal(detail.status, 200, JSON.stringify(detail.json));
    return detail.json.jobs;
  };

  before(async () => {
    app = await testApp({ now: T0 });
    const settings = await app.request('GET', 'settings/ingest');
    pingKey = settings.json.pingKey;
  });
  after(() => app.close());
  beforeEach(async () => {
    app.clock.set(T0);
    device = `srv-${++counter}`;
    await enroll(app, { id: device, kind: 'server', intervalHours: 24 });
  });

  test('GET /settings/ingest shows the ping key, the URL base and the mail address', async () => {
    const { status, json } = await app.request('GET', 'settings/ingest');
    assert.equal(status, 200);
    assert.match(json.pingKey, /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(json.pingUrlBase, `${app.deps.config.publicUrl}/ping/${json.pingKey}`);
    assert.equal(json.mailAddress, `${json.pingKey}@127.0.0.1`);
    assert.deepEqual(json.keywordRules, []);
  });

  test('ingest settings need the admin scope', async () => {
    const key = await apiKey(app, ['ingest', 'read']);
    assert.equal((await app.request('GET', 'settings/ingest', { token: key })).status, 403);
    assert.equal((await app.request('POST', 'settings/ingest/rotate-ping-key', { token: key })).status, 403);
  });

  test('a plain ping answers OK in text and records a successful job of zero duration', async () => {
    const response = await ping(device);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'OK');
    assert.match(response.headers.get('content-type')!, /^text\/plain/);
    assert.equal(response.headers.get('ping-body-limit'), '100000');
    const [job] = await jobs();
    assert.deepEqual([job!.status, job!.startedAt, job!.endedAt], ['success', new Date(T0).toISOString(), new Date(T0).toISOString()]);
  });

  test('a ping needs no bearer and the slug of a new device is its id lowercased', async () => {
    await enroll(app, { id: 'NAS-Main' });
    assert.equal((await ping('nas-main')).status, 200);
    assert.equal((await jobs('NAS-Main')).length, 1);
  });

  test('HEAD and POST work as GET', async () => {
    assert.equal((await ping(device, { method: 'HEAD' })).status, 200);
    assert.equal((await ping(device, { method: 'POST', body: '' })).status, 200);
    assert.deepEqual((await jobs()).map((j) => j.status), ['success', 'success']);
  });

  test('/start then a success without rid is one job from start to end', async () => {
    await ping(`${device}/start`);
    assert.deepEqual((await jobs()).map((j) => j.status), ['running']);
    app.clock.advance(20 * MINUTE);
    await ping(device, { body: 'borgmatic finished', headers: { 'content-type': 'text/plain' } });
    const list = await jobs();
    assert.equal(list.length, 1);
    assert.deepEqual(list[0], { ...list[0]!, status: 'success', startedAt: new Date(T0).toISOString(), endedAt: new Date(T0 + 20 * MINUTE).toISOString(), message: 'borgmatic finished' });
  });

  test('?rid= pairs each start with its own end', async () => {
    await ping(`${device}/start?rid=${RID_A}`);
    app.clock.advance(MINUTE);
    await ping(`${device}/start?rid=${RID_B}`);
    app.clock.advance(MINUTE);
    await ping(`${device}/fail?rid=${RID_A}`);
    const list = await jobs();
    const byStart = new Map(list.map((j) => [j.startedAt, j.status]));
    assert.equal(list.length, 2);
    assert.equal(byStart.get(new Date(T0).toISOString()), 'failed');
    assert.equal(byStart.get(new Date(T0 + MINUTE).toISOString()), 'running');
  });

  test('an end without rid leaves a start older than 24 h alone and is a job of zero duration', async () => {
    await ping(`${device}/start`);
    app.clock.advance(DAY + HOUR);
    await ping(device);
    const list = await jobs();
    assert.deepEqual(list.map((j) => [j.status, j.startedAt === j.endedAt]).sort(), [['running', false], ['success', true]]);
  });

  test('/fail records a failed job carrying the body as its log, and alerts as POST /events would', async () => {
    await ping(`${device}/start`);
    app.clock.advance(MINUTE);
    await ping(`${device}/fail`, { body: BORGMATIC_FAILURE });
    const [job] = await jobs();
    assert.deepEqual([job!.status, job!.message], ['failed', BORGMATIC_FAILURE]);
    await app.services.evaluationQueue.drain();
    const alerts = await app.request('GET', `alerts?device=${device}`);
    assert.deepEqual(alerts.json.items.map((a: { type: string }) => a.type), ['backup_failed']);
  });

  test('an exit status 0 is a success, any other a failure', async () => {
    await ping(`${device}/0`);
    app.clock.advance(MINUTE);
    await ping(`${device}/2`, { body: 'rsync error' });
    const [failed, success] = await jobs();
    assert.deepEqual([success!.status, failed!.status, failed!.message], ['success', 'failed', 'Exit status 2.\nrsync error']);
  });

  test('/log is a sign of life that adds to the running job and changes no status', async () => {
    await ping(`${device}/start`);
    app.clock.advance(MINUTE);
    assert.equal((await ping(`${device}/log`, { body: 'dumping databases' })).status, 200);
    app.clock.advance(MINUTE);
    await ping(`${device}/log`, { body: 'creating archive' });
    const [job] = await jobs();
    assert.deepEqual([job!.status, job!.message], ['running', 'dumping databases\ncreating archive']);
    await app.services.evaluationQueue.drain(); // pings are queued: the state is folded by the evaluation
    const row = await app.db.get<{ state: string }>('SELECT state FROM devices WHERE id = ?', [device]);
    assert.equal(decodeDeviceState(row!.state).lastCheckinAt, T0 + 2 * MINUTE);
  });

  test('a restic --json output sets a success with the bytes processed and the run time', async () => {
    const body = `{"message_type":"status","percent_done":0.5}\n{"message_type":"status","percent_done":1}\n${RESTIC_SUMMARY}\n`;
    await ping(device, { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const [job] = await jobs();
    assert.deepEqual([job!.status, job!.bytes, job!.startedAt], ['success', 4096, new Date(T0 - 1500).toISOString()]);
    assert.match(job!.message!, /restic snapshot 3c4d5e6f: 2 new/);
  });

  test('a Duplicati JSON report with warnings is a warning job with the examined size', async () => {
    const report = {
      Data: { ParsedResult: 'Warning', MainOperation: 'Backup', BeginTime: new Date(T0 - HOUR).toISOString(), EndTime: new Date(T0 - 50 * MINUTE).toISOString(), Duration: '00:10:00', SizeOfExaminedFiles: 123456, Warnings: ['locked file'], Errors: [] },
      Extra: { OperationName: 'Backup', 'backup-name': 'Documents' },
    };
    await ping(device, { body: JSON.stringify(report), headers: { 'content-type': 'application/json' } });
    const [job] = await jobs();
    assert.deepEqual([job!.status, job!.bytes, job!.startedAt, job!.endedAt], ['warning', 123456, new Date(T0 - HOUR).toISOString(), new Date(T0 - 50 * MINUTE).toISOString()]);
  });

  test('a body beyond 100,000 bytes is cut, and the job says so', async () => {
    await ping(`${device}/fail`, { body: 'x'.repeat(150_000) });
    const [job] = await jobs();
    assert.ok(job!.message!.startsWith('x'.repeat(100_000) + '\n… (truncated'));
  });

  test('an unknown key or slug is "not found"; with ?create=1 an unknown key still is', async () => {
    const unknownKey = await app.app.request(`/ping/0123456789abcdef0123456789abcdef/${device}`);
    assert.deepEqual([unknownKey.status, await unknownKey.text()], [404, 'not found']);
    const unknownSlug = await ping('no-such-device');
    assert.deepEqual([unknownSlug.status, await unknownSlug.text()], [404, 'not found']);
    const unknownKeyCreate = await app.app.request(`/ping/0123456789abcdef0123456789abcdef/no-such-device?create=1`);
    assert.deepEqual([unknownKeyCreate.status, await unknownKeyCreate.text()], [404, 'not found']);
    assert.deepEqual(await jobs(), []);
  });

  test('a retired device is not found', async () => {
    await app.request('DELETE', `devices/${device}`);
    assert.equal((await ping(device)).status, 404);
  });

  test('bad suffixes and run ids are refused in text', async () => {
    for (const [path, status] of [[`${device}/256`, 400], [`${device}/start?rid=not-a-uuid`, 400], [`${device}/finish`, 404], [`${device}/start/extra`, 404], ['', 404]] as const) {
      const response = await ping(path);
      assert.equal(response.status, status, path);
      assert.match(response.headers.get('content-type')!, /^text\/plain/, path);
    }
    assert.deepEqual(await jobs(), []);
  });

  test('PUT /devices/:id sets the ping slug; the old one stops answering', async () => {
    const put = await app.request('PUT', `devices/${device}`, { body: { clientId: 'client-a', name: 'Renamed', kind: 'server', policyId: 'every-24h', pingSlug: `web-${device}` } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.equal((await ping(`web-${device}`)).status, 200);
    assert.equal((await ping(device)).status, 404);
    assert.equal((await jobs()).length, 1);
  });

  test('a ping slug another device holds is a 409 naming pingSlug, and nothing changes', async () => {
    await enroll(app, { id: `${device}-b` });
    const put = await app.request('PUT', `devices/${device}-b`, { body: { clientId: 'client-a', name: 'Taken', kind: 'server', policyId: 'every-4h', pingSlug: device } });
    assert.equal(put.status, 409);
    assert.equal(put.json.errors[0].path, 'pingSlug');
    const row = await app.db.get<{ name: string }>('SELECT name FROM devices WHERE id = ?', [`${device}-b`]);
    assert.equal(row!.name, `Device ${device}-b`, 'the upsert was rolled back');
  });

  test('an invalid ping slug is a 422 naming pingSlug', async () => {
    const put = await app.request('PUT', `devices/${device}`, { body: { clientId: 'client-a', name: 'x', kind: 'server', policyId: 'every-24h', pingSlug: 'Has Spaces' } });
    assert.equal(put.status, 422);
    assert.equal(put.json.errors[0].path, 'pingSlug');
  });

  test('rotating the ping key ends the old URLs at once, on every instance', async () => {
    const other = createApp({ ...app.deps, instanceId: 'second-instance' });
    const old = pingKey;
    assert.equal((await other.app.request(`/ping/${old}/${device}`)).status, 200);
    const rotated = await app.request('POST', 'settings/ingest/rotate-ping-key');
    assert.equal(rotated.status, 200);
    pingKey = rotated.json.pingKey;
    assert.notEqual(pingKey, old);
    assert.equal((await other.app.request(`/ping/${old}/${device}`)).status, 404);
    assert.equal((await app.app.request(`/ping/${old}/${device}`)).status, 404);
    assert.equal((await other.app.request(`/ping/${pingKey}/${device}`)).status, 200);
    assert.equal((await app.request('GET', 'settings/ingest')).json.pingKey, pingKey);
  });

  test('each ping key is rate-limited on its own, with Retry-After', async () => {
    const limited = pingRoutes(app.deps, app.services, { rateLimit: { perSecond: 1, burst: 2, maxKeys: 100 } });
    const send = (key: string) => limited.request(`/ping/${key}/${device}`);
    assert.deepEqual([(await send(pingKey)).status, (await send(pingKey)).status], [200, 200]);
    const refused = await send(pingKey);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal((await send('another-key-0123456789abcdef')).status, 404, 'another key has its own bucket');
    app.clock.advance(1000);
    assert.equal((await send(pingKey)).status, 200);
  });
});

describe('pings arriving together (group commit)', () => {
  let app: TestApp;
  let pingKey: string;
  const ping = (path: string) => app.app.request(`/ping/${pingKey}/${path}`);

  beforeEach(async () => {
    app = await testApp({ now: T0 });
    pingKey = (await app.request('GET', 'settings/ingest')).json.pingKey;
    for (const id of ['nas-1', 'nas-2', 'nas-3']) await enroll(app, { id, kind: 'server', intervalHours: 24 });
  });
  afterEach(() => app.close());

  test('pings of one turn are applied in arrival order: a start and its end sent together make one job', async () => {
    const answers = await Promise.all([ping(`nas-1/start?rid=${RID_A}`), ping(`nas-1?rid=${RID_A}`), ping('nas-2/fail'), ping('nas-3')]);
    assert.deepEqual(await Promise.all(answers.map((a) => a.text())), ['OK', 'OK', 'OK', 'OK']);
    await app.services.evaluationQueue.drain();
    const jobsOf = async (id: string) => (await app.request('GET', `devices/${id}`)).json.jobs.map((j: Job) => j.status);
    assert.deepEqual(await jobsOf('nas-1'), ['success'], 'the end found the start written just before it in the same transaction');
    assert.deepEqual(await jobsOf('nas-2'), ['failed']);
    assert.deepEqual(await jobsOf('nas-3'), ['success']);
  });

  test('a ping that cannot be applied fails alone: the others of its turn are stored', async () => {
    const answers = [ping('nas-1'), ping('nas-2'), ping('nas-3')];
    // After the pings found their devices and before their shared transaction: nas-2 is retired.
    await new Promise<void>((resolve) => setImmediate(() => void app.db.run('UPDATE devices SET retired_at = ? WHERE id = ?', [T0, 'nas-2']).then(() => resolve())));
    const [first, second, third] = await Promise.all(answers);
    assert.deepEqual([first!.status, second!.status, third!.status], [200, 404, 200]);
    const stored = await app.db.all<{ device_id: string }>('SELECT device_id FROM jobs ORDER BY device_id');
    assert.deepEqual(stored.map((row) => row.device_id), ['nas-1', 'nas-3']);
  });
});

describe('how a device reports (GET /devices/:id)', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 });
    await enroll(app, { id: 'SRV-Mail', kind: 'server', intervalHours: 24 });
  });
  after(() => app.close());

  test('an admin sees the ping URL, a curl line that reports through it, and the mail address of its client', async () => {
    const { pingKey } = (await app.request('GET', 'settings/ingest')).json;
    const { json } = await app.request('GET', 'devices/SRV-Mail');
    assert.equal(json.pingSlug, 'srv-mail');
    assert.equal(json.reporting.pingUrl, `${app.deps.config.publicUrl}/ping/${pingKey}/srv-mail`);
    assert.equal(json.reporting.mailAddress, `${pingKey}+client-a@127.0.0.1`);
    // The curl line is what a cron job runs: it must report a success.
    const url = new URL(json.reporting.curl.split(' ').at(-1));
    assert.equal(json.reporting.curl, `curl -fsS -m 10 --retry 5 -o /dev/null ${url.href}`);
    assert.equal((await app.app.request(url.pathname)).status, 200);
    assert.equal((await app.request('GET', 'devices/SRV-Mail')).json.jobs.length, 1);
  });

  test('other credentials see the slug but never the ping key', async () => {
    const read = await apiKey(app, ['read']);
    const { json } = await app.request('GET', 'devices/SRV-Mail', { token: read });
    assert.equal(json.pingSlug, 'srv-mail');
    assert.equal(json.reporting, undefined);
    const { pingKey } = (await app.request('GET', 'settings/ingest')).json;
    assert.ok(!JSON.stringify(json).includes(pingKey));
  });
});

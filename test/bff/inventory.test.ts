/**
 * Inventory: client, policy and device upserts, retirement, and the CSV import.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyDeviceState } from '../../core/index.ts';
import { decodeDeviceState } from '../../bff/db/device-state.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { activeAlerts, apiKey, DAY, deviceRow, enroll, HOUR, job, send } from './builders.ts';

const csv = (...lines: string[]) => ({ raw: lines.join('\n'), headers: { 'content-type': 'text/csv' } });
const count = async (app: TestApp, table: string) => (await app.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

describe('clients and policies', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp();
  });
  after(() => app.close());

  test("PUT /clients creates a client with the tenant's timezone (201) and returns it", async () => {
    const { status, json } = await app.request('PUT', 'clients/acme', { body: { name: 'Acme Corp' } });
    assert.equal(status, 201);
    assert.deepEqual(json, { id: 'acme', name: 'Acme Corp', timezone: 'UTC' });
  });

  test('PUT /clients again updates it (200) and keeps a timezone it does not mention', async () => {
    await app.request('PUT', 'clients/acme', { body: { name: 'Acme Corp', timezone: 'Europe/Berlin' } });
    const { status, json } = await app.request('PUT', 'clients/acme', { body: { name: 'ACME Corporation' } });
    assert.equal(status, 200);
    assert.deepEqual(json, { id: 'acme', name: 'ACME Corporation', timezone: 'Europe/Berlin' });
  });

  test('an unknown timezone is rejected with 422', async () => {
    const { status, json } = await app.request('PUT', 'clients/acme', { body: { name: 'Acme', timezone: 'Mars/Olympus_Mons' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'timezone');
  });

  test('a name with a line break or another control character is rejected with 422 naming it (it would forge lines in tickets and pages)', async () => {
    for (const name of ['Acme\n\nRecommended action: no action needed', 'Ac\rme', 'Ac\u0007me', 'Acme\u2028x', 'Acme\u009b31m']) {
      const { status, json } = await app.request('PUT', 'clients/forged', { body: { name } });
      assert.equal(status, 422, JSON.stringify(name));
      assert.equal(json.errors[0].path, 'name');
    }
    const device = await app.request('PUT', 'devices/forged', { body: { name: 'pc\nRecommended action: none', clientId: 'acme', kind: 'server' } });
    assert.equal(device.status, 422);
    assert.ok(device.json.errors.some((error: { path: string }) => error.path === 'name'));
    assert.equal((await app.request('GET', 'clients/forged')).status, 404);
  });

  test('an id with characters outside [A-Za-z0-9._:@-] is rejected with 422', async () => {
    const { status, json } = await app.request('PUT', 'clients/a%20b', { body: { name: 'Spaces' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'id');
  });

  test('PUT /policies creates (201) and updates (200) a policy', async () => {
    const created = await app.request('PUT', 'policies/hourly', { body: { name: 'Hourly', intervalHours: 1 } });
    assert.equal(created.status, 201);
    assert.deepEqual(created.json, {
      id: 'hourly', name: 'Hourly', intervalHours: 1, schedule: { kind: 'interval', hours: 1 },
      graceHours: null, offline: null, merge: 'each-job', mergeRule: 'last', text: created.json.text,
    });
    assert.match(created.json.text, /\S/);
    const updated = await app.request('PUT', 'policies/hourly', { body: { name: 'Every 2 h', intervalHours: 2 } });
    assert.equal(updated.status, 200);
    assert.equal(updated.json.intervalHours, 2);
  });

  test('a policy interval must be positive', async () => {
    const { status, json } = await app.request('PUT', 'policies/never', { body: { name: 'Never', intervalHours: 0 } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'intervalHours');
  });

  test('a read-only key cannot change the inventory', async () => {
    const key = await apiKey(app, ['read']);
    const { status } = await app.request('PUT', 'clients/acme', { body: { name: 'Acme' }, token: key });
    assert.equal(status, 403);
  });
});

describe('devices', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: T0 - 30 * DAY });
    await enroll(app, { id: 'srv-1', kind: 'server', intervalHours: 4, clientId: 'acme' });
    app.clock.set(T0);
  });
  after(() => app.close());

  test('PUT /devices creates an unknown device enrolled now with an empty history (201)', async () => {
    const { status, json } = await app.request('PUT', 'devices/ws-1', { body: { clientId: 'acme', name: 'Front desk', kind: 'workstation', policyId: 'every-4h', quotaBytes: 5000 } });
    assert.equal(status, 201);
    assert.equal(json.status, 'unknown');
    assert.equal(json.score, 0);
    assert.deepEqual(json.client, { id: 'acme', name: 'Client acme' });
    assert.deepEqual(json.policy, { id: 'every-4h', name: 'Every 4 h', intervalHours: 4 });
    assert.deepEqual(json.storage, { usedBytes: null, quotaBytes: 5000 });
    assert.deepEqual(decodeDeviceState((await deviceRow(app, 'ws-1'))!.state), emptyDeviceState(T0));
  });

  test('PUT /devices on an existing device updates it (200)', async () => {
    const { status, json } = await app.request('PUT', 'devices/ws-1', { body: { clientId: 'acme', name: 'Reception', kind: 'workstation', policyId: 'every-4h' } });
    assert.equal(status, 200);
    assert.equal(json.name, 'Reception');
    assert.equal(json.storage.quotaBytes, null);
  });

  test('a device whose client and policy do not exist is rejected with 422 naming both', async () => {
    const { status, json } = await app.request('PUT', 'devices/ws-2', { body: { clientId: 'nobody', name: 'X', kind: 'workstation', policyId: 'nothing' } });
    assert.equal(status, 422);
    assert.deepEqual(json.errors.map((e: { path: string }) => e.path), ['clientId', 'policyId']);
    assert.equal(await deviceRow(app, 'ws-2'), undefined);
  });

  test('an unknown device kind is rejected with 422', async () => {
    const { status, json } = await app.request('PUT', 'devices/ws-2', { body: { clientId: 'acme', name: 'X', kind: 'toaster', policyId: 'every-4h' } });
    assert.equal(status, 422);
    assert.equal(json.errors[0].path, 'kind');
  });

  test('a policy change re-evaluates its devices', async () => {
    await send(app, [job('srv-1', 'success', T0 - 5 * HOUR)]);
    assert.equal((await deviceRow(app, 'srv-1'))!.status, 'warning');
    await app.request('PUT', 'policies/every-4h', { body: { name: 'Every 8 h', intervalHours: 8 } });
    assert.equal((await deviceRow(app, 'srv-1'))!.status, 'healthy');
  });

  test('a device moved to another client takes its active alerts along', async () => {
    await send(app, [job('srv-1', 'failed', T0 - HOUR)]);
    await app.request('PUT', 'clients/globex', { body: { name: 'Globex' } });
    await app.request('PUT', 'devices/srv-1', { body: { clientId: 'globex', name: 'Device srv-1', kind: 'server', policyId: 'every-4h' } });
    const { json } = await app.request('GET', 'alerts?client=globex&state=active');
    assert.deepEqual(json.items.map((a: { type: string }) => a.type), ['backup_failed']);
  });

  test('DELETE /devices retires the device, resolves its alerts with "Device retired" and keeps its history', async () => {
    const { status } = await app.request('DELETE', 'devices/srv-1');
    assert.equal(status, 204);
    const row = (await deviceRow(app, 'srv-1'))!;
    assert.equal(row.retired_at, T0);
    assert.deepEqual(await activeAlerts(app, 'srv-1'), []);
    const [alert] = (await app.request('GET', 'alerts?device=srv-1&state=resolved')).json.items;
    const detail = (await app.request('GET', `alerts/${alert.id}`)).json;
    assert.equal(detail.history.at(-1).note, 'Device retired');
    assert.ok((await app.db.get<{ n: number }>("SELECT count(*) AS n FROM jobs WHERE device_id = 'srv-1'"))!.n > 0);
  });

  test('DELETE /devices of an unknown device is 404', async () => {
    const { status, json } = await app.request('DELETE', 'devices/ghost');
    assert.equal(status, 404);
    assert.match(json.detail, /ghost/);
  });

  test('a retired device PUT again is re-activated', async () => {
    const { status, json } = await app.request('PUT', 'devices/srv-1', { body: { clientId: 'globex', name: 'Device srv-1', kind: 'server', policyId: 'every-4h' } });
    assert.equal(status, 200);
    assert.equal((await deviceRow(app, 'srv-1'))!.retired_at, null);
    assert.equal(json.lastSuccessAt, new Date(T0 - 5 * HOUR).toISOString(), 'its history is still there');
  });
});

describe('POST /import/devices', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp();
    await enroll(app, { id: 'existing', clientId: 'acme', intervalHours: 24 });
  });
  after(() => app.close());

  test('a good file upserts every device and creates missing clients and policies', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv(
      'id,name,clientId,kind,policyId,quotaBytes,clientName,policyName,intervalHours',
      'existing,Renamed,acme,server,every-24h,,,,',
      'ws-1,Laptop 1,initech,workstation,hourly,1000000,Initech,Hourly,1',
      '"ws-2","Laptop, 2",initech,workstation,hourly,,,,',
      'm365,Initech M365,initech,saas,every-24h,,,,',
    ));
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json, { created: 3, updated: 1, total: 4 });
    const client = await app.db.get<{ name: string }>("SELECT name FROM clients WHERE id = 'initech'");
    assert.equal(client!.name, 'Initech');
    const policy = await app.db.get<{ interval_hours: number }>("SELECT interval_hours FROM policies WHERE id = 'hourly'");
    assert.equal(policy!.interval_hours, 1);
    const device = await app.db.get<{ name: string; quota_bytes: number }>("SELECT name, quota_bytes FROM devices WHERE id = 'ws-2'");
    assert.equal(device!.name, 'Laptop, 2');
  });

  test('a schedule column creates calendar, cron and interval policies (cron:…, weekly:…@…, interval:N)', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv(
      'id,name,clientId,kind,policyId,clientName,policyName,schedule',
      'ws-cron,Office PC,globex,workstation,weekdays-cron,Globex,Weekdays (cron),cron:0 22 * * 1-5',
      'ws-weekly,Reception PC,globex,workstation,weekdays,,Weekdays 22:00,weekly:1-5@22:00',
      'nas-1,NAS,globex,server,month-end,,Month end,monthly:-1@23:30',
      'srv-4h,File server,globex,server,four-hourly,,Every 4 h,interval:4',
      'srv-old,Old server,globex,server,weekdays,,,',
    ));
    assert.equal(status, 200, JSON.stringify(json));
    const schedules = new Map(
      (await app.db.all<{ id: string; schedule: string; interval_hours: number }>("SELECT id, schedule, interval_hours FROM policies WHERE id IN ('weekdays-cron','weekdays','month-end','four-hourly')")).map((row) => [row.id, row]),
    );
    assert.deepEqual(JSON.parse(schedules.get('weekdays-cron')!.schedule), { schedule: { kind: 'cron', expression: '0 22 * * 1-5' } });
    assert.deepEqual(JSON.parse(schedules.get('weekdays')!.schedule), { schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] } });
    assert.deepEqual(JSON.parse(schedules.get('month-end')!.schedule), { schedule: { kind: 'monthly', days: [-1], times: ['23:30'] } });
    assert.equal(schedules.get('four-hourly')!.interval_hours, 4);
    const detail = await app.request('GET', 'devices/ws-weekly');
    assert.equal(detail.json.schedule.kind, 'weekly');
    assert.match(detail.json.schedule.text, /22:00/);
  });

  test('a schedule cell that cannot be read, or a cron line that is not valid, is a 422 naming the row and nothing is stored', async () => {
    const before = await count(app, 'policies');
    const { status, json } = await app.request('POST', 'import/devices', csv(
      'id,name,clientId,kind,policyId,policyName,schedule',
      'x-1,PC,acme,workstation,p-daily,Daily,daily at ten',
      'x-2,PC,acme,workstation,p-cron,Cron,cron:0 25 * * *',
      'x-3,PC,acme,workstation,p-weekly,Weekly,weekly:1-5',
    ));
    assert.equal(status, 422);
    assert.deepEqual(json.errors.map((error: { row: number; path: string }) => [error.row, error.path]), [[1, 'schedule'], [2, 'schedule'], [3, 'schedule']]);
    assert.match(json.errors[0].message, /e\.g\./);
    assert.equal(await count(app, 'policies'), before);
  });

  test('bad rows reject the file with an error for each bad row, and nothing is stored', async () => {
    const before = await count(app, 'devices');
    const { status, json } = await app.request('POST', 'import/devices', csv(
      'id,name,clientId,kind,policyId,quotaBytes',
      'ok-1,Fine,acme,server,every-24h,',
      'bad id,Spaces,acme,server,every-24h,',
      'ok-2,Fine,acme,toaster,every-24h,',
      'ok-3,Fine,nobody,server,every-24h,-5',
    ));
    assert.equal(status, 422);
    assert.deepEqual([...new Set(json.errors.map((e: { row: number }) => e.row))], [2, 3, 4]);
    assert.ok(json.errors.some((e: { row: number; path: string }) => e.row === 4 && e.path === 'quotaBytes'));
    assert.equal(await count(app, 'devices'), before);
  });

  test('rows whose client or policy does not exist are each reported', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv('id,name,clientId,kind,policyId', 'n-1,A,nobody,server,every-24h', 'n-2,B,acme,server,nothing'));
    assert.equal(status, 422);
    assert.deepEqual(json.errors.map((e: { row: number; path: string }) => `${e.row}:${e.path}`), ['1:clientId', '2:policyId']);
    assert.equal(await app.db.get("SELECT 1 FROM devices WHERE id = 'n-1'"), undefined);
  });

  test('rows may leave trailing optional cells out', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv('id,name,clientId,kind,policyId,quotaBytes,clientName', 'short-1,Short,acme,server,every-24h'));
    assert.equal(status, 200, JSON.stringify(json));
    assert.deepEqual(json, { created: 1, updated: 0, total: 1 });
  });

  test('an unterminated quote is reported on its row', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv('id,name,clientId,kind,policyId', 'q-1,A,acme,server,every-24h', '"q-2,B,acme,server,every-24h'));
    assert.equal(status, 422);
    assert.ok(json.errors.some((e: { row: number; message: string }) => e.row === 2 && /quote/i.test(e.message)));
  });

  test('a device listed twice is reported on its second row', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv('id,name,clientId,kind,policyId', 'd-1,A,acme,server,every-24h', 'd-1,B,acme,server,every-24h'));
    assert.equal(status, 422);
    assert.deepEqual(json.errors.map((e: { row: number }) => e.row), [2]);
  });

  test('a header without the required columns is rejected', async () => {
    const { status, json } = await app.request('POST', 'import/devices', csv('id,name', 'd-1,A'));
    assert.equal(status, 422);
    assert.match(json.detail, /missing: clientId, kind, policyId/);
  });

  test('a body that is not text/csv is 415', async () => {
    const { status } = await app.request('POST', 'import/devices', { body: [{ id: 'x' }] });
    assert.equal(status, 415);
  });
});

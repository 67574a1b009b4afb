/**
 * Maintenance windows (docs/alert-workflow.md) end to end: the routes and their validation, and what a
 * window does to evaluation and the integrations — no alert opens or escalates, no
 * ticket or page is sent, scheduled runs inside it are not missed, and a condition
 * still true when it ends is evaluated then.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { resolveDeviceChanges, type ChangeRow } from '../../bff/services/change-refs.ts';
import { embedToken, ok, putClient, putDevice, contosoServer, reportJob } from './fleet.ts';
import { HOUR, T0 } from './harness.ts';
import { dispatch, enableOnCall, enablePsa, startKit, type Kit } from './integrations-kit.ts';

let kit: Kit;
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  kit = await startKit();
});
afterEach(() => kit.close());

const report = (deviceId: string, status: 'success' | 'failed', endedAt: number) => reportJob(kit.t, deviceId, status, endedAt);

const server = () => contosoServer(kit.t);

const putWindow = (id: string, body: object, token?: string) => kit.t.request('PUT', `maintenance/${id}`, { body, token });
const oneOff = (start: number, end: number, scope: object = { clientId: 'contoso' }) => ({ name: 'Storage migration', scope, start: iso(start), end: iso(end) });
const activeAlerts = async () => (await ok(kit.t.request('GET', 'alerts?device=srv-01&state=active'))).items;
const sweep = () => kit.t.services.sweeper.sweep(kit.t.clock());

describe('maintenance routes', () => {
  test('PUT creates (201) then replaces (200); GET lists every window with its next occurrences', async () => {
    kit.t.clock.set(T0);
    const weekly = { name: 'Patch night', scope: { clientId: 'contoso' }, weekly: { days: [2, 4], start: '22:00', durationMinutes: 120 }, timezone: 'Europe/Berlin' };
    const created = await kit.t.request('PUT', 'maintenance/patch-night', { body: weekly });
    assert.equal(created.status, 201);
    assert.equal(created.json.active, false);
    // T0 is Tuesday 2026-11-24 12:00 UTC: tonight 22:00 Berlin is 21:00 UTC.
    assert.deepEqual(created.json.next.slice(0, 2), [
      { start: '2026-11-24T21:00:00.000Z', end: '2026-11-24T23:00:00.000Z' },
      { start: '2026-11-26T21:00:00.000Z', end: '2026-11-26T23:00:00.000Z' },
    ]);
    const replaced = await putWindow('patch-night', { ...weekly, name: 'Patch night (Thursdays)', weekly: { ...weekly.weekly, days: [4] } });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.json.createdAt, created.json.createdAt);
    await ok(putWindow('move', oneOff(T0 + HOUR, T0 + 3 * HOUR)));
    const list = await ok(kit.t.request('GET', 'maintenance'));
    assert.deepEqual(list.items.map((w: { id: string }) => w.id), ['move', 'patch-night']);
    assert.equal(list.items[0].start, iso(T0 + HOUR));
    assert.equal((await ok(kit.t.request('GET', 'maintenance/patch-night'))).name, 'Patch night (Thursdays)');
    assert.equal((await kit.t.request('DELETE', 'maintenance/move')).status, 204);
    assert.equal((await kit.t.request('GET', 'maintenance/move')).status, 404);
  });

  test('a window breaking a rule is a 422 naming the field', async () => {
    kit.t.clock.set(T0);
    const cases: [object, string][] = [
      [{ ...oneOff(T0, T0 + HOUR), scope: {} }, 'scope'],
      [oneOff(T0 + HOUR, T0), 'end'],
      [{ name: 'x', scope: { clientId: 'contoso' }, start: iso(T0) }, 'end'],
      [{ name: 'x', scope: { clientId: 'contoso' }, weekly: { days: [8], start: '22:00', durationMinutes: 60 }, timezone: 'UTC' }, 'weekly.days'],
      [{ name: 'x', scope: { clientId: 'contoso' }, monthly: { days: [1], start: '25:00', durationMinutes: 60 }, timezone: 'UTC' }, 'monthly.start'],
      [{ name: 'x', scope: { clientId: 'contoso' }, weekly: { days: [1], start: '22:00', durationMinutes: 20_000 }, timezone: 'UTC' }, 'weekly.durationMinutes'],
      [{ name: 'x', scope: { clientId: 'contoso' }, weekly: { days: [1], start: '22:00', durationMinutes: 60 }, timezone: 'Mars/Olympus' }, 'timezone'],
      [{ name: 'x', scope: { clientId: 'contoso' }, weekly: { days: [1], start: '22:00', durationMinutes: 60 } }, 'timezone'],
      [{ ...oneOff(T0, T0 + HOUR), name: ' ' }, 'name'],
      [{ ...oneOff(T0, T0 + HOUR), name: 'x'.repeat(201) }, 'name'],
      [{ ...oneOff(T0, T0 + HOUR), name: 'x'.repeat(1_001) }, 'name'],
      [oneOff(T0, T0 + HOUR, { deviceIds: Array.from({ length: 1_001 }, (_, i) => `srv-${i}`) }), 'scope.deviceIds'],
      [{ ...oneOff(T0, T0 + HOUR), weekly: { days: [1], start: '22:00', durationMinutes: 60 }, timezone: 'UTC' }, 'start'],
    ];
    for (const [body, field] of cases) {
      const response = await putWindow('bad', body);
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.ok(response.json.errors.some((error: { path?: string }) => error.path === field), `${JSON.stringify(body)} → ${JSON.stringify(response.json.errors)}`);
    }
  });

  test('a one-off start and end are ISO-8601 times with an offset: a local time, a date alone or another format is a 422 naming the field', async () => {
    kit.t.clock.set(T0);
    const loose = ['2026-11-25T10:00:00', 'Wed, 25 Nov 2026 10:00', '11/25/2026', '2027', '2026-11-25T10:00Z', '2026-02-30T10:00:00Z'];
    for (const field of ['start', 'end']) {
      for (const value of loose) {
        const response = await putWindow('loose', { ...oneOff(T0, T0 + HOUR), [field]: value });
        assert.equal(response.status, 422, `${field}: ${value}`);
        const error = response.json.errors.find((e: { path?: string }) => e.path === field);
        assert.ok(error, `${field}: ${value} → ${JSON.stringify(response.json.errors)}`);
        assert.match(error.message, /offset such as Z or \+01:00/);
      }
    }
    const berlin = await ok(putWindow('berlin', { ...oneOff(T0, T0 + HOUR), start: '2026-11-24T14:00:00+01:00', end: '2026-11-24T18:00:00+01:00' }), 201);
    assert.deepEqual([berlin.start, berlin.end], [iso(T0 + HOUR), iso(T0 + 5 * HOUR)]);
  });

  test('a client-scoped credential sees and plans maintenance for its own client only', async () => {
    await server();
    await ok(putWindow('fabrikam-night', { ...oneOff(T0, T0 + HOUR), scope: { clientId: 'fabrikam' } }));
    const token = await embedToken(kit.t, 'contoso', ['read', 'operate']);
    const refused = await putWindow('mine', { ...oneOff(T0, T0 + HOUR), scope: { deviceIds: ['srv-01'] } }, token);
    assert.equal(refused.status, 422);
    assert.equal(refused.json.errors[0].path, 'scope.clientId');
    assert.equal((await putWindow('mine', oneOff(T0, T0 + HOUR), token)).status, 201);
    assert.deepEqual((await ok(kit.t.request('GET', 'maintenance', { token }))).items.map((w: { id: string }) => w.id), ['mine']);
    assert.equal((await kit.t.request('GET', 'maintenance/fabrikam-night', { token })).status, 404);
    assert.equal((await kit.t.request('DELETE', 'maintenance/fabrikam-night', { token })).status, 404);
    assert.equal((await putWindow('fabrikam-night', oneOff(T0, T0 + HOUR), token)).status, 404);
  });
});

describe('during a maintenance window', () => {
  test('no alert opens and no ticket is sent; the device shows maintenance {name, until}', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    await ok(putWindow('move', oneOff(T0, T0 + 6 * HOUR)));
    for (let i = 1; i <= 4; i++) await report('srv-01', 'failed', T0 + i * HOUR);
    assert.deepEqual(await activeAlerts(), []);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    const device = await ok(kit.t.request('GET', 'devices/srv-01'));
    assert.deepEqual(device.maintenance, { name: 'Storage migration', until: iso(T0 + 6 * HOUR) });
    const listed = (await ok(kit.t.request('GET', 'devices'))).items.find((d: { id: string }) => d.id === 'srv-01');
    assert.deepEqual(listed.maintenance, device.maintenance);
    const upserted = await ok(kit.t.request('PUT', 'devices/srv-01', { body: { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'daily' } }));
    assert.deepEqual(upserted.maintenance, device.maintenance);
    const changes = await kit.t.db.all<ChangeRow>("SELECT id, tenant_id, client_id, event, payload FROM changes WHERE event = 'device.changed' ORDER BY id DESC LIMIT 1");
    const [streamed] = await resolveDeviceChanges(kit.t.db, changes, kit.t.clock());
    assert.deepEqual(JSON.parse(streamed!.payload).maintenance, device.maintenance, 'live updates on the stream show it too');
  });

  test('a condition still true when the window ends is evaluated then: the alert opens and its ticket is sent', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    await ok(putWindow('move', oneOff(T0, T0 + 6 * HOUR)));
    for (let i = 1; i <= 3; i++) await report('srv-01', 'failed', T0 + i * HOUR);
    const { next_check_at } = (await kit.t.db.get<{ next_check_at: number }>("SELECT next_check_at FROM devices WHERE id = 'srv-01'"))!;
    assert.equal(next_check_at, T0 + 6 * HOUR, 'the device is due again when the window ends');
    kit.t.clock.set(T0 + 6 * HOUR - 1);
    await sweep();
    assert.deepEqual(await activeAlerts(), []);
    kit.t.clock.set(T0 + 6 * HOUR);
    await sweep();
    const [alert] = await activeAlerts();
    assert.equal(alert.type, 'backup_failed');
    assert.equal(alert.severity, 'critical');
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.equal((await ok(kit.t.request('GET', 'devices/srv-01'))).maintenance, null);
  });

  test('an alert open before the window does not escalate inside it, and escalates when it ends', async () => {
    await server();
    await report('srv-01', 'failed', T0 + HOUR);
    assert.equal((await activeAlerts())[0].severity, 'warning');
    await ok(putWindow('move', oneOff(T0 + HOUR, T0 + 6 * HOUR)));
    await report('srv-01', 'failed', T0 + 2 * HOUR);
    await report('srv-01', 'failed', T0 + 3 * HOUR);
    assert.equal((await activeAlerts())[0].severity, 'warning');
    kit.t.clock.set(T0 + 6 * HOUR);
    await sweep();
    assert.equal((await activeAlerts())[0].severity, 'critical');
  });

  test('no page is sent for an SLA breach inside a window; a fixed problem still resolves', async () => {
    await enableOnCall(kit);
    await server();
    await ok(putWindow('move', oneOff(T0, T0 + 7 * 24 * HOUR)));
    kit.t.clock.set(Date.UTC(2026, 10, 28, 12)); // a Saturday, outside business hours, far past the SLA
    await ok(kit.t.request('POST', 'admin/evaluate'));
    assert.equal((await ok(kit.t.request('GET', 'devices/srv-01'))).sla.state, 'breach');
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0);
    assert.deepEqual(await activeAlerts(), []);
  });

  test('a scheduled run inside a window is not missed; the next run outside it is owed as usual', async () => {
    kit.t.clock.set(T0 - 2 * HOUR);
    await putClient(kit.t, 'contoso', 'Contoso');
    await ok(kit.t.request('PUT', 'policies/nightly', { body: { name: 'Nightly', schedule: { kind: 'cron', expression: '0 22 * * *' }, graceHours: 2 } }));
    await putDevice(kit.t, 'srv-01', { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'nightly' });
    await report('srv-01', 'success', Date.UTC(2026, 10, 23, 22, 10));
    // Tuesday's 22:00 UTC run lies inside the window.
    await ok(putWindow('move', oneOff(Date.UTC(2026, 10, 24, 21), Date.UTC(2026, 10, 24, 23), { deviceIds: ['srv-01'] })));
    kit.t.clock.set(Date.UTC(2026, 10, 25, 3));
    await sweep();
    const device = await ok(kit.t.request('GET', 'devices/srv-01'));
    assert.deepEqual(await activeAlerts(), []);
    assert.notEqual(device.status, 'critical');
    kit.t.clock.set(Date.UTC(2026, 10, 26, 1));
    await sweep();
    assert.ok((await activeAlerts()).some((a: { type: string }) => a.type === 'backup_missed_schedule'), 'Wednesday’s run, outside the window, is missed');
  });
});

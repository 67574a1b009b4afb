import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { recordChange } from '../../bff/services/change-feed.ts';
import { resolveDeviceChanges, type ChangeRow } from '../../bff/services/change-refs.ts';
import { ChangeTail, type Change } from '../../bff/services/change-tail.ts';
import { testApp, T0, type TestApp } from './harness.ts';
import { enroll, HOUR, job, send } from './builders.ts';

const rowsOf = (app: TestApp) =>
  app.db.all<ChangeRow>('SELECT id, tenant_id, client_id, event, payload FROM changes WHERE tenant_id = ? ORDER BY id', [app.tenant.id]);

describe('device change references', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp();
    await enroll(app, { id: 'srv-1', clientId: 'contoso' });
    await send(app, [job('srv-1', 'success', T0 - HOUR)]);
  });
  after(() => app.close());

  test("become device.updated with the device's current list item", async () => {
    const rows = await rowsOf(app);
    const resolved = await resolveDeviceChanges(app.db, rows, app.clock());
    const updated = resolved.filter((row) => row.event === 'device.updated');
    assert.ok(updated.length >= 1);
    const item = JSON.parse(updated.at(-1)!.payload);
    assert.equal(item.id, 'srv-1');
    assert.equal(item.client.id, 'contoso');
    assert.equal(item.status, 'healthy');
    assert.equal(item.lastSuccessAt, new Date(T0 - HOUR).toISOString());
    assert.ok(!resolved.some((row) => row.event === 'device.changed'));
  });

  test('keep their place among other changes, which pass through untouched', async () => {
    await recordChange(app.db, app.tenant.id, 'contoso', 'alert.resolved', { id: 'a-1' } as never, T0);
    await recordChange(app.db, app.tenant.id, 'contoso', 'device.changed', { id: 'srv-1' }, T0);
    const rows = (await rowsOf(app)).slice(-2);
    const resolved = await resolveDeviceChanges(app.db, rows, app.clock());
    assert.deepEqual(resolved.map((row) => [row.id, row.event]), [[rows[0]!.id, 'alert.resolved'], [rows[1]!.id, 'device.updated']]);
    assert.equal(resolved[0]!.payload, rows[0]!.payload);
  });

  test('take the current client of a device that moved, so the old client never sees it', async () => {
    await recordChange(app.db, app.tenant.id, 'contoso', 'device.changed', { id: 'srv-1' }, T0);
    assert.equal((await app.request('PUT', 'clients/fabrikam', { body: { name: 'Fabrikam' } })).status, 201);
    const { status, json } = await app.request('PUT', 'devices/srv-1', { body: { clientId: 'fabrikam', name: 'Moved', kind: 'server', policyId: 'every-4h' } });
    assert.equal(status, 200, JSON.stringify(json));
    const [resolved] = await resolveDeviceChanges(app.db, (await rowsOf(app)).slice(-1), app.clock());
    assert.equal(resolved!.client_id, 'fabrikam');
    assert.equal(JSON.parse(resolved!.payload).client.id, 'fabrikam');

    const tail = new ChangeTail(app.db, { pollMs: 10 });
    const scoped: Change[] = [];
    const subscription = await tail.subscribe({ tenantId: app.tenant.id, clientId: 'contoso' }, { change: async (c) => void scoped.push(c), comment: async () => 0 });
    const delivered = tail.nextDelivery();
    await recordChange(app.db, app.tenant.id, 'contoso', 'device.changed', { id: 'srv-1' }, T0);
    assert.equal((await delivered).clientId, 'fabrikam');
    subscription.close();
    assert.deepEqual(scoped, []);
  });

  test('carry the item with its schedule fields (include=schedule): schedule, next run due, late, offline; not the run strip', async () => {
    await app.request('PUT', 'clients/dental', { body: { name: 'Dental', timezone: 'Europe/Berlin' } });
    const policy = await app.request('PUT', 'policies/workdays', { body: { name: 'Workdays 22:00', schedule: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] }, graceHours: 4 } });
    assert.equal(policy.status, 201, JSON.stringify(policy.json));
    // Enrolled last Tuesday, so the strip has runs to show.
    app.clock.set(T0 - 7 * 24 * HOUR);
    assert.equal((await app.request('PUT', 'devices/ws-1', { body: { clientId: 'dental', name: 'Reception', kind: 'workstation', policyId: 'workdays' } })).status, 201);
    app.clock.set(T0);
    // T0 is Tuesday 24 November 12:00 UTC: Monday's 22:00 Berlin run (21:00 UTC) succeeded.
    await send(app, [job('ws-1', 'success', T0 - 14 * HOUR)]);
    const [row] = (await rowsOf(app)).filter((r) => r.event === 'device.changed' && JSON.parse(r.payload).id === 'ws-1').slice(-1);
    const [resolved] = await resolveDeviceChanges(app.db, [row!], app.clock());
    const streamed = JSON.parse(resolved!.payload);
    assert.deepEqual(streamed.schedule, { kind: 'weekly', text: streamed.schedule.text });
    assert.match(streamed.schedule.text, /22:00 Europe\/Berlin/);
    assert.equal(streamed.nextDueAt, new Date(Date.UTC(2026, 10, 24, 21)).toISOString());
    assert.equal(streamed.lateSince, null);
    assert.equal(streamed.offlineSince, null);
    assert.equal(streamed.runs, undefined, 'a replay would otherwise read every device\'s jobs');
    const listed = (await app.request('GET', 'devices?include=schedule&limit=500')).json.items.find((d: { id: string }) => d.id === 'ws-1');
    assert.deepEqual(streamed, listed, 'the live update is the row as listed with its schedule, field for field');
  });

  test('to a device that does not exist are dropped', async () => {
    await recordChange(app.db, app.tenant.id, 'contoso', 'device.changed', { id: 'no-such-device' }, T0);
    assert.deepEqual(await resolveDeviceChanges(app.db, (await rowsOf(app)).slice(-1), app.clock()), []);
  });

  test("of another tenant resolve against that tenant's devices only", async () => {
    await recordChange(app.db, 'another-tenant', null, 'device.changed', { id: 'srv-1' }, T0);
    const [row] = await app.db.all<ChangeRow>("SELECT id, tenant_id, client_id, event, payload FROM changes WHERE tenant_id = 'another-tenant'");
    assert.deepEqual(await resolveDeviceChanges(app.db, [row!], app.clock()), []);
  });
});

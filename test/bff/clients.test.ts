import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClientItem, DeviceItem } from '../../core/api.ts';
import { testApp, type TestApp } from './harness.ts';
import { embedToken, ok, putClient, seedFleet } from './fleet.ts';

describe('GET /clients', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
    await putClient(t, 'adatum', 'Adatum');
  });
  after(() => t.close());

  test('lists clients by name with their roll-ups', async () => {
    const { items, nextCursor } = await ok(t.request('GET', 'clients'));
    assert.equal(nextCursor, null);
    assert.deepEqual(
      items.map((client: ClientItem) => client.name),
      ['Adatum', 'Contoso', 'Fabrikam'],
    );
  });

  test('counts devices by status and compliance state', async () => {
    const contoso: ClientItem = await ok(t.request('GET', 'clients/contoso'));
    assert.deepEqual(contoso, {
      id: 'contoso',
      name: 'Contoso',
      timezone: 'UTC',
      total: 4,
      counts: { healthy: 1, warning: 1, critical: 1, unknown: 1 },
      compliance: { meeting: 2, breach: 1, pending: 1, percent: 66.7 },
    });
  });

  test('the counts agree with the device list of each client', async () => {
    const { items } = await ok(t.request('GET', 'clients'));
    for (const client of items as ClientItem[]) {
      const devices: DeviceItem[] = (await ok(t.request('GET', `devices?client=${client.id}&limit=500`))).items;
      assert.equal(client.total, devices.length, client.id);
      for (const status of ['healthy', 'warning', 'critical', 'unknown'] as const) {
        assert.equal(client.counts[status], devices.filter((device) => device.status === status).length, `${client.id} ${status}`);
      }
    }
  });

  test('a client without devices has zero counts and no compliance percentage', async () => {
    const adatum: ClientItem = await ok(t.request('GET', 'clients/adatum'));
    assert.equal(adatum.total, 0);
    assert.deepEqual(adatum.compliance, { meeting: 0, breach: 0, pending: 0, percent: null });
  });

  test('pages follow nextCursor without gaps or repeats', async () => {
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ClientItem[]; nextCursor: string | null } = await ok(t.request('GET', `clients?limit=1${cursor ? `&cursor=${cursor}` : ''}`));
      assert.equal(page.items.length, 1);
      names.push(page.items[0]!.name);
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(names, ['Adatum', 'Contoso', 'Fabrikam']);
  });

  test('an invalid cursor is a 400 problem', async () => {
    assert.equal((await t.request('GET', 'clients?cursor=eyJ4Ijox')).status, 400);
  });

  test('retired devices leave the roll-up', async () => {
    await ok(t.request('DELETE', 'devices/srv-stale'));
    const fabrikam: ClientItem = await ok(t.request('GET', 'clients/fabrikam'));
    assert.equal(fabrikam.total, 1);
    assert.equal(fabrikam.counts.critical, 0);
    assert.deepEqual(fabrikam.compliance, { meeting: 1, breach: 0, pending: 0, percent: 100 });
  });

  test('an unknown client is a 404 problem', async () => {
    const response = await t.request('GET', 'clients/nope');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type')!, /problem\+json/);
  });

  test('a client-scoped token sees only its own client', async () => {
    const token = await embedToken(t, 'fabrikam');
    const { items } = await ok(t.request('GET', 'clients', { token }));
    assert.deepEqual(items.map((client: ClientItem) => client.id), ['fabrikam']);
    assert.equal((await t.request('GET', 'clients/fabrikam', { token })).status, 200);
    assert.equal((await t.request('GET', 'clients/contoso', { token })).status, 404);
  });

  test('without a credential the roll-up is a 401', async () => {
    assert.equal((await t.request('GET', 'clients', { token: null })).status, 401);
  });
});

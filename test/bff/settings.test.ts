import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { ReportSettings, SlaSettings } from '../../core/api.ts';
import { SettingsStore } from '../../bff/services/settings-store.ts';
import { createTenant } from '../../bff/services/tenants.ts';
import { T0, testApp, type TestApp } from './harness.ts';
import { apiKey, embedToken, ok, putClient, putDevice, putPolicy } from './fleet.ts';

describe('GET/PUT /settings/sla', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await putClient(t, 'contoso', 'Contoso');
    await putClient(t, 'fabrikam', 'Fabrikam');
  });
  afterEach(() => t.close());

  test('answers the default rules', async () => {
    assert.deepEqual(await ok(t.request('GET', 'settings/sla')), { tenant: { workstationHours: 24, serverHours: 12, saasHours: 36 }, clients: {} });
  });

  test('a PUT changes only the fields it names', async () => {
    const doc: SlaSettings = await ok(t.request('PUT', 'settings/sla', { body: { tenant: { serverHours: 8 } } }));
    assert.deepEqual(doc.tenant, { workstationHours: 24, serverHours: 8, saasHours: 36 });
    assert.deepEqual(await ok(t.request('GET', 'settings/sla')), doc);
  });

  test('client overrides merge per field and null removes one', async () => {
    await ok(t.request('PUT', 'settings/sla', { body: { clients: { contoso: { serverHours: 4, saasHours: 72 }, fabrikam: { workstationHours: 48 } } } }));
    await ok(t.request('PUT', 'settings/sla', { body: { clients: { contoso: { serverHours: 6 } } } }));
    let doc: SlaSettings = await ok(t.request('GET', 'settings/sla'));
    assert.deepEqual(doc.clients, { contoso: { serverHours: 6, saasHours: 72 }, fabrikam: { workstationHours: 48 } });
    doc = await ok(t.request('PUT', 'settings/sla', { body: { clients: { contoso: null } } }));
    assert.deepEqual(doc.clients, { fabrikam: { workstationHours: 48 } });
  });

  test('an override for a client that does not exist is a 422 naming it', async () => {
    const response = await t.request('PUT', 'settings/sla', { body: { clients: { ghost: { serverHours: 4 } } } });
    assert.equal(response.status, 422);
    assert.deepEqual(response.json.errors, [{ path: 'clients.ghost', message: 'No client "ghost" in this tenant.' }]);
    assert.deepEqual((await ok(t.request('GET', 'settings/sla'))).clients, {});
  });

  test('hours must be above 0 and at most 8760', async () => {
    for (const hours of [0, -1, 8761, 'twelve']) {
      const response = await t.request('PUT', 'settings/sla', { body: { tenant: { serverHours: hours } } });
      assert.equal(response.status, 422, String(hours));
      assert.equal(response.json.errors[0].path, 'tenant.serverHours');
    }
  });

  test('unknown keys, __proto__ included, are dropped', async () => {
    const raw = '{"tenant":{"saasHours":48,"colour":"red"},"__proto__":{"polluted":true},"extra":1}';
    const response = await t.request('PUT', 'settings/sla', { raw, headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { tenant: { workstationHours: 24, serverHours: 12, saasHours: 48 }, clients: {} });
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('a change marks the tenant devices due for the next sweep', async () => {
    await putPolicy(t, 'daily', 24);
    await putDevice(t, 'ws-1', { clientId: 'contoso', name: 'WS 1', kind: 'workstation', policyId: 'daily' });
    await t.db.run('UPDATE devices SET next_check_at = ? WHERE tenant_id = ?', [T0 + 3_600_000, t.tenant.id]);
    await ok(t.request('PUT', 'settings/sla', { body: { tenant: { workstationHours: 1 } } }));
    const row = await t.db.get<{ next_check_at: number }>('SELECT next_check_at FROM devices WHERE tenant_id = ? AND id = ?', [t.tenant.id, 'ws-1']);
    assert.equal(row!.next_check_at, 0);
  });

  test('malformed JSON is a 400 problem', async () => {
    const response = await t.request('PUT', 'settings/sla', { raw: '{"tenant":', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('content-type')!, /problem\+json/);
  });

  test('a read key can neither read nor change the settings', async () => {
    const token = await apiKey(t, ['read']);
    assert.equal((await t.request('GET', 'settings/sla', { token })).status, 403);
    const response = await t.request('PUT', 'settings/sla', { token, body: { tenant: { serverHours: 1 } } });
    assert.equal(response.status, 403);
    assert.match(response.headers.get('content-type')!, /problem\+json/);
  });

  test('an embed token cannot change the settings', async () => {
    const token = await embedToken(t);
    assert.equal((await t.request('PUT', 'settings/sla', { token, body: {} })).status, 403);
  });
});

describe('GET/PUT /settings/reports', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(() => t.close());

  test('answers the defaults with the next delivery time', async () => {
    const doc: ReportSettings = await ok(t.request('GET', 'settings/reports'));
    assert.deepEqual(doc, {
      weeklyEnabled: true,
      recipients: [],
      deliveryDay: 'monday',
      deliveryTime: '08:00',
      timezone: 'UTC',
      lastSentAt: null,
      nextDeliveryAt: '2026-11-30T08:00:00.000Z',
    });
  });

  test('a full document round-trips', async () => {
    const body = { weeklyEnabled: true, recipients: ['ops@msp.example', 'lead@msp.example'], deliveryDay: 'friday', deliveryTime: '17:30', timezone: 'America/New_York' };
    const stored: ReportSettings = await ok(t.request('PUT', 'settings/reports', { body }));
    assert.deepEqual({ ...stored, lastSentAt: undefined, nextDeliveryAt: undefined }, { ...body, lastSentAt: undefined, nextDeliveryAt: undefined });
    // Friday 2026-11-27 17:30 in New York (EST, UTC−5).
    assert.equal(stored.nextDeliveryAt, '2026-11-27T22:30:00.000Z');
    assert.deepEqual(await ok(t.request('GET', 'settings/reports')), stored);
  });

  test('a partial update keeps the other fields', async () => {
    const stored: ReportSettings = await ok(t.request('PUT', 'settings/reports', { body: { deliveryTime: '06:15' } }));
    assert.equal(stored.deliveryTime, '06:15');
    assert.equal(stored.deliveryDay, 'friday');
    assert.deepEqual(stored.recipients, ['ops@msp.example', 'lead@msp.example']);
  });

  test('disabling the report clears the next delivery time', async () => {
    const stored: ReportSettings = await ok(t.request('PUT', 'settings/reports', { body: { weeklyEnabled: false } }));
    assert.equal(stored.nextDeliveryAt, null);
  });

  test('recipients are deduplicated ignoring case', async () => {
    const stored: ReportSettings = await ok(t.request('PUT', 'settings/reports', { body: { recipients: ['a@x.example', 'A@X.example', 'b@x.example'] } }));
    assert.equal(stored.recipients.length, 2);
  });

  test('invalid fields are a 422 naming each one, and nothing changes', async () => {
    const before: ReportSettings = await ok(t.request('GET', 'settings/reports'));
    const response = await t.request('PUT', 'settings/reports', {
      body: { weeklyEnabled: 'yes', recipients: ['not-an-address'], deliveryDay: 'someday', deliveryTime: '25:00', timezone: 'Mars/Olympus' },
    });
    assert.equal(response.status, 422);
    const paths = response.json.errors.map((error: { path: string }) => error.path).sort();
    assert.deepEqual(paths, ['deliveryDay', 'deliveryTime', 'recipients.0', 'timezone', 'weeklyEnabled']);
    assert.deepEqual(await ok(t.request('GET', 'settings/reports')), before);
  });

  test('more than 50 recipients is a 422', async () => {
    const recipients = Array.from({ length: 51 }, (_, i) => `r${i}@msp.example`);
    assert.equal((await t.request('PUT', 'settings/reports', { body: { recipients } })).status, 422);
  });

  test('a read key cannot change the report settings', async () => {
    const token = await apiKey(t, ['read']);
    assert.equal((await t.request('PUT', 'settings/reports', { token, body: { weeklyEnabled: true } })).status, 403);
  });
});

describe('several tenants’ rules in one read (a sweep or drain chunk)', () => {
  test('each tenant gets its own stored documents, defaults where it stored none, the same as one read per tenant', async () => {
    const t = await testApp();
    try {
      const store = new SettingsStore(t.db, t.clock);
      const other = await createTenant(t.db, 'Other MSP', t.clock());
      const bare = await createTenant(t.db, 'Bare MSP', t.clock());
      await store.update(t.tenant.id, 'sla', { tenant: { serverHours: 8 }, clients: { contoso: { saasHours: 72 } } }, t.clock());
      await store.update(other.id, 'oncall', { enabled: true }, t.clock());
      await store.update(other.id, 'reports', { weeklyEnabled: false }, t.clock());
      const tenants = [t.tenant.id, other.id, bare.id];

      const docs = await t.db.transaction((tx) => store.getForTenants(tenants, ['sla', 'oncall'], tx));

      assert.deepEqual([...docs.keys()], tenants);
      for (const tenantId of tenants) {
        assert.deepEqual(docs.get(tenantId), { sla: await store.get(tenantId, 'sla'), oncall: await store.get(tenantId, 'oncall') });
      }
      assert.equal(docs.get(t.tenant.id)!.sla.tenant.serverHours, 8);
      assert.equal(docs.get(other.id)!.oncall.enabled, true);
      assert.equal(docs.get(bare.id)!.sla.tenant.serverHours, 12);
      assert.equal('reports' in docs.get(other.id)!, false, 'only the keys asked for');
    } finally {
      t.close();
    }
  });
});

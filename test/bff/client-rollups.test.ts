import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';

/** The roll-up kept by triggers must always equal a fresh aggregate over the devices. */
async function assertRollupsMatchDevices(t: TestApp) {
  const fresh = await t.db.all(
    `SELECT tenant_id, client_id, COUNT(*) AS total, SUM(status = 'healthy') AS healthy, SUM(status = 'warning') AS warning,
       SUM(status = 'critical') AS critical, SUM(status = 'unknown') AS unknown, SUM(sla_state = 'meeting') AS meeting,
       SUM(sla_state = 'breach') AS breach, SUM(sla_state = 'pending') AS pending
     FROM devices WHERE retired_at IS NULL GROUP BY tenant_id, client_id ORDER BY tenant_id, client_id`,
  );
  const kept = await t.db.all(
    `SELECT tenant_id, client_id, total, healthy, warning, critical, unknown, meeting, breach, pending
     FROM client_rollups WHERE total > 0 ORDER BY tenant_id, client_id`,
  );
  assert.deepEqual(kept, fresh);
}

let t: TestApp;
before(async () => {
  t = await testApp();
  t.clock.set(T0 - 3 * 24 * HOUR);
  for (const id of ['contoso', 'fabrikam']) assert.equal((await t.request('PUT', `clients/${id}`, { body: { name: id } })).status, 201);
  await t.request('PUT', 'policies/daily', { body: { name: 'Daily', intervalHours: 24 } });
});
after(() => t.close());

test('the client roll-up follows enrolment, events, sweeps, moves and retirement', async () => {
  for (let i = 0; i < 6; i++) {
    const reply = await t.request('PUT', `devices/d${i}`, {
      body: { clientId: i % 2 ? 'contoso' : 'fabrikam', name: `D${i}`, kind: i % 3 ? 'workstation' : 'server', policyId: 'daily' },
    });
    assert.equal(reply.status, 201);
  }
  await assertRollupsMatchDevices(t);

  const at = new Date(t.clock()).toISOString();
  const events = [0, 1, 2, 3].map((i) => ({ type: 'job', id: `j${i}`, deviceId: `d${i}`, status: i === 3 ? 'failed' : 'success', startedAt: at, endedAt: at }));
  assert.equal((await t.request('POST', 'events', { body: { events } })).status, 202);
  await assertRollupsMatchDevices(t);

  t.clock.advance(3 * 24 * HOUR); // overdue and in breach: the sweep flips statuses and SLA states
  assert.equal((await t.request('POST', 'admin/evaluate')).status, 200);
  await assertRollupsMatchDevices(t);

  await t.request('PUT', 'devices/d0', { body: { clientId: 'contoso', name: 'D0', kind: 'server', policyId: 'daily' } });
  assert.equal((await t.request('DELETE', 'devices/d1')).status, 204);
  await assertRollupsMatchDevices(t);

  const clients = (await t.request('GET', 'clients')).json.items as { id: string; total: number }[];
  assert.deepEqual(
    clients.map((c) => [c.id, c.total]),
    [['contoso', 3], ['fabrikam', 2]],
  );
});

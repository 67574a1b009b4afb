/**
 * Silences (docs/alert-workflow.md) end to end: the routes, who made them and their state; a silence
 * mutes tickets and pages while its alerts still open and show `silencedBy`; closing
 * messages are always sent; expiring it now lets the held ticket go at the next sweep.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { embedToken, ok, contosoServer, reportJob } from './fleet.ts';
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

const silence = (body: object, token?: string) => kit.t.request('POST', 'silences', { body: { endsAt: iso(kit.t.clock() + 4 * HOUR), comment: 'NAS firmware update', ...body }, token });
const activeAlerts = async () => (await ok(kit.t.request('GET', 'alerts?device=srv-01&state=active'))).items;
const failures = async (count: number, from: number) => {
  for (let i = 0; i < count; i++) await report('srv-01', 'failed', from + i * HOUR);
};

describe('silence routes', () => {
  test('POST records who made it; GET lists pending, active and expired silences with their state', async () => {
    kit.t.clock.set(T0);
    const active = await ok(silence({ matchers: { clientId: 'contoso' } }), 201);
    assert.equal(active.createdBy, 'key:admin (created with tenant)');
    assert.equal(active.state, 'active');
    assert.equal(active.startsAt, iso(T0));
    const pending = await ok(silence({ matchers: { type: 'backup_failed' }, startsAt: iso(T0 + HOUR) }), 201);
    assert.equal(pending.state, 'pending');
    const short = await ok(silence({ matchers: { deviceId: 'srv-01' }, endsAt: iso(T0 + 60_000) }), 201);
    kit.t.clock.set(T0 + 2 * 60_000);
    const states = Object.fromEntries((await ok(kit.t.request('GET', 'silences'))).items.map((s: { id: string; state: string }) => [s.id, s.state]));
    assert.deepEqual(states, { [active.id]: 'active', [pending.id]: 'pending', [short.id]: 'expired' });
    assert.deepEqual((await ok(kit.t.request('GET', 'silences?state=expired'))).items.map((s: { id: string }) => s.id), [short.id]);
  });

  test('a silence breaking a rule is a 422 naming the field', async () => {
    kit.t.clock.set(T0);
    const cases: [object, string][] = [
      [{ matchers: {} }, 'matchers'],
      [{ matchers: { type: 'coffee_empty' } }, 'matchers.type'],
      [{ matchers: { clientId: 'contoso' }, endsAt: iso(T0 - HOUR) }, 'endsAt'],
      [{ matchers: { clientId: 'contoso' }, startsAt: iso(T0 + 5 * HOUR) }, 'endsAt'],
      [{ matchers: { clientId: 'contoso' }, comment: '  ' }, 'comment'],
      [{ matchers: { clientId: 'contoso' }, endsAt: 'tomorrow' }, 'endsAt'],
      [{ matchers: { clientId: 'contoso' }, comment: 'x'.repeat(1_001) }, 'comment'],
      [{ matchers: { clientId: 'contoso' }, comment: 'x'.repeat(10_001) }, 'comment'],
    ];
    for (const [body, field] of cases) {
      const response = await silence(body);
      assert.equal(response.status, 422, JSON.stringify(body));
      assert.ok(response.json.errors.some((error: { path?: string }) => error.path === field), `${JSON.stringify(body)} → ${JSON.stringify(response.json.errors)}`);
    }
    assert.deepEqual((await silence({ matchers: { clientId: 'contoso' }, comment: 'x'.repeat(10_001) })).json.errors, [{ path: 'comment', message: 'comment must be at most 1000 characters' }]);
    assert.equal((await silence({ matchers: { clientId: 'contoso' }, comment: 'x'.repeat(1_000) })).status, 201);
  });

  test('startsAt and endsAt are ISO-8601 times with an offset: a local time, a date alone or another format is a 422 naming the field', async () => {
    kit.t.clock.set(T0);
    const loose = ['2026-11-25T10:00:00', 'Wed, 25 Nov 2026 10:00', '11/25/2026', '2027', '2026-11-25T10:00Z', '2026-02-30T10:00:00Z'];
    for (const field of ['startsAt', 'endsAt']) {
      for (const value of loose) {
        const response = await silence({ matchers: { clientId: 'contoso' }, [field]: value });
        assert.equal(response.status, 422, `${field}: ${value}`);
        const error = response.json.errors.find((e: { path?: string }) => e.path === field);
        assert.ok(error, `${field}: ${value} → ${JSON.stringify(response.json.errors)}`);
        assert.match(error.message, /offset such as Z or \+01:00/);
      }
    }
    const berlin = await ok(silence({ matchers: { clientId: 'contoso' }, startsAt: '2026-11-24T14:00:00+01:00', endsAt: '2026-11-24T18:00:00.5+01:00' }), 201);
    assert.equal(berlin.startsAt, iso(T0 + HOUR));
    assert.equal(berlin.endsAt, iso(T0 + 5 * HOUR + 500));
  });

  test('a client-scoped credential sees and creates silences of its own client only', async () => {
    await server();
    const other = await ok(silence({ matchers: { clientId: 'fabrikam' } }), 201);
    const token = await embedToken(kit.t, 'contoso', ['read', 'operate']);
    const refused = await silence({ matchers: { deviceId: 'srv-01' } }, token);
    assert.equal(refused.status, 422);
    assert.equal(refused.json.errors[0].path, 'matchers.clientId');
    const mine = await ok(silence({ matchers: { clientId: 'contoso', deviceId: 'srv-01' } }, token), 201);
    assert.equal(mine.createdBy, 'embed-token:contoso');
    assert.deepEqual((await ok(kit.t.request('GET', 'silences', { token }))).items.map((s: { id: string }) => s.id), [mine.id]);
    assert.equal((await kit.t.request('DELETE', `silences/${other.id}`, { token })).status, 404);
  });

  test('read credentials cannot create or expire silences', async () => {
    kit.t.clock.set(T0);
    const token = await embedToken(kit.t, undefined, ['read']);
    assert.equal((await silence({ matchers: { clientId: 'contoso' } }, token)).status, 403);
  });
});

describe('under a silence', () => {
  test('tickets are not sent, but the alert still opens and shows silencedBy', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    const { id } = await ok(silence({ matchers: { clientId: 'contoso', type: 'backup_failed' } }), 201);
    await failures(3, T0 + HOUR);
    const [alert] = await activeAlerts();
    assert.equal(alert.type, 'backup_failed');
    assert.deepEqual(alert.silencedBy, [id]);
    assert.deepEqual((await ok(kit.t.request('GET', `alerts/${alert.id}`))).silencedBy, [id]);
    assert.deepEqual((await ok(kit.t.request('GET', 'devices/srv-01'))).openAlerts[0].silencedBy, [id]);
    const [opened] = await kit.t.db.all<{ payload: string }>("SELECT payload FROM changes WHERE event = 'alert.opened'");
    assert.deepEqual(JSON.parse(opened!.payload).silencedBy, [id], 'the stream tells it too');
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
  });

  test('a silence of another alert type mutes nothing here', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    await ok(silence({ matchers: { type: 'storage_quota_exceeded' } }), 201);
    await failures(3, T0 + HOUR);
    assert.deepEqual((await activeAlerts())[0].silencedBy, []);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
  });

  test('closing messages are sent: a ticket opened before the silence is resolved when the problem clears', async () => {
    await enablePsa(kit);
    await server();
    await failures(3, T0 + HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    await ok(silence({ matchers: { clientId: 'contoso' } }), 201);
    await report('srv-01', 'success', kit.t.clock() + HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets[0]!.status, 'resolved');
  });

  test('pages are not sent under a silence without a type matcher', async () => {
    await enableOnCall(kit);
    await server();
    kit.t.clock.set(Date.UTC(2026, 10, 28, 12));
    await ok(silence({ matchers: { deviceId: 'srv-01' } }), 201);
    await ok(kit.t.request('POST', 'admin/evaluate'));
    await dispatch(kit.t);
    assert.equal(kit.oncall.pages.length, 0);
  });

  test('expire now: the silence ends at once, stays listed as expired, and the held ticket is sent at the next sweep', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    const { id } = await ok(silence({ matchers: { deviceId: 'srv-01' } }), 201);
    await failures(3, T0 + HOUR);
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 0);
    kit.t.clock.advance(60_000);
    const expired = await ok(kit.t.request('DELETE', `silences/${id}`));
    assert.equal(expired.state, 'expired');
    assert.equal(expired.endsAt, iso(kit.t.clock()));
    assert.equal((await ok(kit.t.request('GET', 'silences'))).items[0].state, 'expired');
    await kit.t.services.sweeper.sweep(kit.t.clock());
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
    assert.deepEqual((await activeAlerts())[0].silencedBy, []);
  });

  test('a silence that ends by itself lets the held ticket go when it ends', async () => {
    await enablePsa(kit);
    await server();
    kit.t.clock.set(T0);
    await ok(silence({ matchers: { deviceId: 'srv-01' }, endsAt: iso(T0 + 5 * HOUR) }), 201);
    await failures(3, T0 + HOUR);
    kit.t.clock.set(T0 + 5 * HOUR);
    await kit.t.services.sweeper.sweep(kit.t.clock());
    await dispatch(kit.t);
    assert.equal(kit.psa.tickets.length, 1);
  });
});

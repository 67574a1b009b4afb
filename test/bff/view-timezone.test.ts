/**
 * One clock in every view (docs/reports.md): `/me` says which timezone a credential's views
 * state their times in — its client's for a client-scoped token, else the tenant's,
 * which is the one the weekly report is set in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './harness.ts';
import { embedToken, ok } from './fleet.ts';

describe('the timezone views state their times in', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
  });
  after(() => t.close());

  test("a new tenant's views are in UTC", async () => {
    assert.equal((await ok(t.request('GET', 'me'))).timezone, 'UTC');
  });

  test("the tenant's timezone is the weekly report's: setting it moves the tenant's views and its new clients", async () => {
    await ok(t.request('PUT', 'settings/reports', { body: { timezone: 'America/Chicago' } }));
    assert.equal((await ok(t.request('GET', 'me'))).timezone, 'America/Chicago');
    const client = await ok(t.request('PUT', 'clients/austin', { body: { name: 'Austin LLC' } }), 201);
    assert.equal(client.timezone, 'America/Chicago');
    const period = await ok(t.request('GET', 'compliance?period=month'));
    assert.equal(period.timezone, 'America/Chicago');
  });

  test("a client-scoped token's views are in its client's timezone", async () => {
    const token = await embedToken(t, 'berlin');
    assert.equal((await ok(t.request('GET', 'me', { token }))).timezone, 'Europe/Berlin');
  });

  test('a report settings change without a timezone keeps the tenant timezone', async () => {
    await ok(t.request('PUT', 'settings/reports', { body: { deliveryTime: '07:00' } }));
    assert.equal((await ok(t.request('GET', 'me'))).timezone, 'America/Chicago');
  });
});

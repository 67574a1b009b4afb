/**
 * Integration receivers on internal addresses (server-side request forgery): refused
 * by default when the settings are saved and again before every call.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { isNonPublicAddress, receiverRefusal } from '../../bff/services/outbox/receiver-address.ts';
import { integrationsOf } from '../../bff/wiring/integrations.ts';
import { postEvents, putClient, putDevice, putPolicy } from './fleet.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { enablePsa, outboxRows, PSA_KEY, startKit, type Kit } from './integrations-kit.ts';

describe('which addresses count as internal', () => {
  const internal = ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'];
  const external = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
  for (const address of internal) test(`${address} is internal`, () => assert.equal(isNonPublicAddress(address), true));
  for (const address of external) test(`${address} is public`, () => assert.equal(isNonPublicAddress(address), false));
});

describe('receiverRefusal', () => {
  const resolvesTo = (...addresses: string[]) => async () => addresses;

  test('a public policy refuses loopback, private and metadata receivers, by IP or by name', async () => {
    assert.match((await receiverRefusal('http://127.0.0.1:9999/api', 'public'))!, /127\.0\.0\.1:9999 resolves to 127\.0\.0\.1.*BHM_INTEGRATION_NETWORKS=any/);
    assert.match((await receiverRefusal('http://[::1]:8080/', 'public'))!, /resolves to ::1/);
    assert.match((await receiverRefusal('http://169.254.169.254/latest/meta-data', 'public'))!, /169\.254\.169\.254/);
    assert.match((await receiverRefusal('https://psa.internal.example/', 'public', resolvesTo('203.0.113.7', '10.0.0.5')))!, /resolves to 10\.0\.0\.5/);
  });

  test('a public policy lets public receivers through', async () => {
    assert.equal(await receiverRefusal('https://psa.example.com/api', 'public', resolvesTo('93.184.216.34')), null);
    assert.equal(await receiverRefusal('https://8.8.8.8/', 'public'), null);
  });

  test('a name that does not resolve is left to the call itself (it fails and is retried)', async () => {
    const failing = async () => {
      throw new Error('ENOTFOUND');
    };
    assert.equal(await receiverRefusal('https://psa.example.invalid/', 'public', failing), null);
  });

  test('the any policy allows internal receivers; neither allows other schemes', async () => {
    assert.equal(await receiverRefusal('http://127.0.0.1:9999/', 'any'), null);
    assert.match((await receiverRefusal('file:///etc/passwd', 'any'))!, /Only http and https/);
  });
});

describe('PUT /settings/integrations with the default policy', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ config: { integrationNetworks: 'public' } });
  });
  afterEach(() => t.close());

  for (const channel of ['psa', 'oncall'] as const) {
    test(`${channel}: an internal baseUrl is a 422 naming baseUrl, and nothing is saved`, async () => {
      const before = (await t.request('GET', `settings/integrations/${channel}`)).json;
      const { status, json, headers } = await t.request('PUT', `settings/integrations/${channel}`, { body: { baseUrl: 'http://169.254.169.254/latest' } });
      assert.equal(status, 422);
      assert.match(headers.get('content-type')!, /application\/problem\+json/);
      assert.equal(json.errors[0].path, 'baseUrl');
      assert.match(json.errors[0].message, /link-local|private|loopback/);
      assert.equal((await t.request('GET', `settings/integrations/${channel}`)).json.baseUrl, before.baseUrl);
    });
  }
});

describe('delivery to a receiver that became internal', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  test('an instance with the default policy refuses the call, marks it failed and says why', async () => {
    // Saved where internal receivers are allowed (the stand-in listens on loopback)…
    await enablePsa(kit);
    kit.t.clock.set(T0 - 2 * HOUR);
    await putClient(kit.t, 'contoso', 'Contoso');
    await putPolicy(kit.t, 'daily', 24);
    await putDevice(kit.t, 'srv-01', { clientId: 'contoso', name: 'SRV-01', kind: 'server', policyId: 'daily' });
    for (let i = 0; i < 3; i++) {
      const endedAt = T0 + i * HOUR;
      kit.t.clock.set(endedAt);
      await postEvents(kit.t, [{ type: 'job', id: `job-${i}`, deviceId: 'srv-01', status: 'failed', startedAt: new Date(endedAt - 600_000).toISOString(), endedAt: new Date(endedAt).toISOString() }]);
    }
    assert.equal((await outboxRows(kit.t, 'psa')).length, 1);

    // …delivered by an instance that refuses them.
    const strict = createApp({ ...kit.t.deps, config: { ...kit.t.deps.config, integrationNetworks: 'public' }, instanceId: 'strict' });
    await integrationsOf(strict.services).dispatchDue(kit.t.clock());
    const [row] = await outboxRows(kit.t, 'psa');
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error!, /resolves to 127\.0\.0\.1/);
    assert.ok(!row!.last_error!.includes(PSA_KEY));
    assert.equal(kit.psa.tickets.length, 0);
  });
});

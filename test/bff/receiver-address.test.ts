/**
 * Integration receivers on internal addresses (server-side request forgery): refused
 * by default when the settings are saved and again before every call.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { createApp } from '../../bff/app.ts';
import { sendJson } from '../../bff/services/outbox/http.ts';
import { isNonPublicAddress, receiverRefusal } from '../../bff/services/outbox/receiver-address.ts';
import { postEvents, putClient, putDevice, putPolicy } from './fleet.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';
import { enablePsa, outboxRows, PSA_KEY, startKit, type Kit } from './integrations-kit.ts';

describe('which addresses count as internal', () => {
  const internal = [
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '::1', '::', 'fe80::1', 'fd12:3456::1', 'fec0::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1', '::7f00:1',
    '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:7f00:1::1',
  ];
  const external = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
  for (const address of internal) test(`${address} is internal`, () => assert.equal(isNonPublicAddress(address), true));
  for (const address of external) test(`${address} is public`, () => assert.equal(isNonPublicAddress(address), false));
});

describe('receiverRefusal', () => {
  const resolvesTo = (...addresses: string[]) => async () => addresses;

  test('a public policy refuses loopback, private and metadata receivers, by IP or by name', async () => {
    assert.match((await receiverRefusal('http://127.0.0.1:9999/api', 'public'))!, /^127\.0\.0\.1:9999 resolves to a loopback, private or link-local address.*BHM_INTEGRATION_NETWORKS=any/);
    assert.match((await receiverRefusal('http://[::1]:8080/', 'public'))!, /resolves to a loopback/);
    assert.match((await receiverRefusal('http://169.254.169.254/latest/meta-data', 'public'))!, /resolves to a loopback/);
    assert.match((await receiverRefusal('http://2130706433/', 'public'))!, /resolves to a loopback/, 'a decimal IPv4 literal is 127.0.0.1');
    const named = await receiverRefusal('https://psa.internal.example/', 'public', resolvesTo('203.0.113.7', '10.0.0.5'));
    assert.match(named!, /^psa\.internal\.example resolves to a loopback/);
    assert.ok(!named!.includes('10.0.0.5'), 'the internal address is not revealed');
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
      assert.match(json.errors[0].message, /loopback, private or link-local/);
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
    await strict.services.integrations.dispatchDue(kit.t.clock());
    const [row] = await outboxRows(kit.t, 'psa');
    assert.equal(row!.status, 'failed');
    assert.match(row!.last_error!, /127\.0\.0\.1:\d+ resolves to a loopback/);
    assert.ok(!row!.last_error!.includes(PSA_KEY));
    assert.equal(kit.psa.tickets.length, 0);
  });
});

describe('the call itself (connect-time check)', () => {
  let kit: Kit;
  beforeEach(async () => {
    kit = await startKit();
  });
  afterEach(() => kit.close());

  const call = (url: string, networks: 'public' | 'any') =>
    sendJson({ method: 'POST', url: `${url}/tickets`, headers: { 'X-Integration-Key': PSA_KEY }, body: {}, timeoutMs: 2_000, now: T0, networks });

  test('a name that resolves to an internal address is refused when connecting, permanently, and nothing is sent', async () => {
    const port = new URL(kit.psa.url).port;
    const answer = await call(`http://localhost:${port}`, 'public');
    assert.equal(answer.ok, false);
    assert.ok(!answer.ok && answer.outcome.kind === 'failed');
    assert.match(!answer.ok ? answer.outcome.error : '', /POST http:\/\/localhost:\d+\/tickets refused: localhost resolves to a loopback/);
    assert.equal(kit.psa.received.length, 0);
  });

  test('an internal IP literal is refused before connecting', async () => {
    const answer = await call(kit.psa.url, 'public');
    assert.ok(!answer.ok && answer.outcome.kind === 'failed');
    assert.match(!answer.ok ? answer.outcome.error : '', /refused: 127\.0\.0\.1:\d+ is a loopback/);
    assert.equal(kit.psa.received.length, 0);
  });

  test('with BHM_INTEGRATION_NETWORKS=any the same receiver is called', async () => {
    const answer = await call(kit.psa.url, 'any');
    assert.equal(kit.psa.received.length, 1);
    // The stand-in answers (its verdict on the empty body does not matter here): no refusal.
    assert.ok(answer.ok || /answered \d{3}/.test(answer.outcome.error));
  });
});

/**
 * `GET /metrics`: Prometheus text with request latency by route pattern, ingested
 * events by type, sweeps, evaluation lag, outbox depth per integration and stream
 * subscribers — and never a tenant, client or device name.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { job, postEvents, seedFleet } from './fleet.ts';
import { HOUR, T0, testApp, type TestApp } from './harness.ts';

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `) || (labels && l.startsWith(`${name}{`) && l.includes(labels)));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('GET /metrics', () => {
  let t: TestApp;
  let text: string;
  before(async () => {
    t = await testApp();
    await seedFleet(t);
    await t.request('GET', 'devices?limit=5');
    await t.request('GET', 'devices/srv-late');
    await postEvents(t, [job('ws-healthy', 'success', T0 - HOUR / 2)]);
    t.clock.advance(30 * HOUR);
    await t.services.background.find((task) => task.name === 'sweep')!.run();
    const response = await t.app.request('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    text = await response.text();
  });
  after(() => t.close());

  test('request latency is labelled by route pattern, never by the raw path', () => {
    assert.ok(sample(text, 'bhm_http_request_duration_seconds_count', 'route="/api/v1/devices/:id"')! >= 1);
    assert.ok(sample(text, 'bhm_http_request_duration_seconds_count', 'route="/api/v1/devices"')! >= 1);
    assert.doesNotMatch(text, /srv-late/);
  });

  test('ingested events are counted by type', () => {
    assert.ok(sample(text, 'bhm_events_ingested_total', 'type="job"')! >= 10);
    assert.ok(sample(text, 'bhm_events_ingested_total', 'type="storage"')! >= 3);
  });

  test('a sweep this instance ran is timed and its evaluations counted', () => {
    assert.equal(sample(text, 'bhm_sweep_duration_seconds_count'), 1);
    assert.ok(sample(text, 'bhm_devices_evaluated_total', 'trigger="sweep"')! >= 1);
  });

  test('evaluation lag, outbox depth per integration and stream subscribers are reported', () => {
    assert.notEqual(sample(text, 'bhm_evaluation_lag_seconds'), undefined);
    assert.notEqual(sample(text, 'bhm_evaluation_due_devices'), undefined);
    assert.equal(sample(text, 'bhm_evaluation_queue_devices'), 0, 'the harness waits for evaluation: nothing queued');
    assert.equal(sample(text, 'bhm_evaluation_queue_lag_seconds'), 0);
    for (const integration of ['psa', 'oncall', 'mail']) {
      assert.equal(sample(text, 'bhm_outbox_depth', `integration="${integration}"`), 0);
      assert.equal(sample(text, 'bhm_outbox_oldest_age_seconds', `integration="${integration}"`), 0);
    }
    assert.equal(sample(text, 'bhm_stream_subscribers'), 0);
  });

  test('no tenant, client or device appears in the metrics', () => {
    for (const name of [t.tenant.id, 'contoso', 'Contoso', 'fabrikam', 'ws-healthy', 'Acme MSP']) assert.ok(!text.includes(name), name);
  });
});

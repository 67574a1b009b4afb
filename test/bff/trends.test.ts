/**
 * `GET /trends`: runs and SLA compliance per local day of the client's timezone, on a
 * fixture computed by hand across Berlin's autumn DST change (25 October 2026, a 25 h day).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { embedToken, job, ok, postEvents, putDevice, putPolicy } from './fleet.ts';
import { testApp, type TestApp } from './harness.ts';

const utc = (iso: string) => Date.parse(iso);
// Tuesday 27 October 2026, 10:00 in Berlin (CET since Sunday).
const NOW = utc('2026-10-27T09:00:00Z');

describe('trends per day (Berlin client, autumn DST change)', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp({ now: utc('2026-10-20T00:00:00Z') });
    await ok(t.request('PUT', 'clients/berlin', { body: { name: 'Berlin GmbH', timezone: 'Europe/Berlin' } }));
    await ok(t.request('PUT', 'clients/oslo', { body: { name: 'Oslo AS', timezone: 'Europe/Oslo' } }));
    await putPolicy(t, 'daily', 24);
    await putDevice(t, 'srv-a', { clientId: 'berlin', name: 'SRV A', kind: 'server', policyId: 'daily' });
    await putDevice(t, 'srv-oslo', { clientId: 'oslo', name: 'SRV Oslo', kind: 'server', policyId: 'daily' });
    t.clock.set(NOW);
    await postEvents(t, [
      // Server SLA 12 h. Met until Sun 10:00Z, breach 10:00–16:00Z (6 h), met until Mon 16:00Z, breach since.
      job('srv-a', 'success', utc('2026-10-24T22:00:00Z')),
      job('srv-a', 'failed', utc('2026-10-25T12:00:00Z')),
      job('srv-a', 'success', utc('2026-10-25T16:00:00Z')),
      job('srv-a', 'success', utc('2026-10-26T04:00:00Z')),
      // Another client's failures never reach Berlin's figures.
      job('srv-oslo', 'failed', utc('2026-10-26T10:00:00Z')),
      job('srv-oslo', 'failed', utc('2026-10-26T11:00:00Z')),
    ]);
  });
  after(() => t.close());

  test("a client's days run from its local midnight to midnight; the Sunday of the change is 25 hours", async () => {
    const trends = await ok(t.request('GET', 'trends?client=berlin&days=3'));
    assert.equal(trends.timezone, 'Europe/Berlin');
    assert.equal(trends.unit, 'day');
    assert.deepEqual(trends.client, { id: 'berlin', name: 'Berlin GmbH' });
    assert.deepEqual(
      trends.buckets.map((b: { start: string; end: string }) => [b.start, b.end]),
      [
        ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
        ['2026-10-25T23:00:00.000Z', '2026-10-26T23:00:00.000Z'],
        ['2026-10-26T23:00:00.000Z', '2026-10-27T23:00:00.000Z'],
      ],
    );
  });

  test('success rate counts the runs that ended in the day; compliance is meeting time over counted time', async () => {
    const { buckets } = await ok(t.request('GET', 'trends?client=berlin&days=3'));
    assert.deepEqual(
      buckets.map(({ start: _s, end: _e, ...figures }: Record<string, unknown>) => figures),
      [
        // Sunday: 3 runs, 1 failed; 19 of 25 hours meeting.
        { successRate: 2 / 3, jobs: 3, failed: 1, compliance: 76 },
        // Monday: 1 run; meeting 23:00Z–16:00Z (17 h) of 24.
        { successRate: 1, jobs: 1, failed: 0, compliance: 70.8 },
        // Tuesday so far: no runs, 10 hours of breach.
        { successRate: null, jobs: 0, failed: 0, compliance: 0 },
      ],
    );
  });

  test('tenant-wide the other client counts too; weeks start on Monday', async () => {
    const days = await ok(t.request('GET', 'trends?days=3'));
    assert.equal(days.client, null);
    // The tenant's days are UTC days: Saturday's 22:00Z success falls before them.
    assert.equal(days.timezone, 'UTC');
    assert.deepEqual(days.buckets.map((b: { jobs: number; failed: number }) => [b.jobs, b.failed]), [[2, 1], [3, 2], [0, 0]]);
    const weeks = await ok(t.request('GET', 'trends?client=berlin&weeks=12'));
    assert.equal(weeks.unit, 'week');
    assert.equal(weeks.buckets.length, 12);
    assert.equal(weeks.buckets[11].start, '2026-10-25T23:00:00.000Z');
    // Before the device was enrolled nothing is evaluable.
    assert.equal(weeks.buckets[0].compliance, null);
  });

  test('the default is 30 days', async () => {
    const trends = await ok(t.request('GET', 'trends'));
    assert.equal(trends.buckets.length, 30);
  });

  test('a client-scoped credential sees its own client only', async () => {
    const token = await embedToken(t, 'oslo');
    const own = await ok(t.request('GET', 'trends?days=2', { token }));
    assert.deepEqual(own.client, { id: 'oslo', name: 'Oslo AS' });
    assert.deepEqual(own.buckets.map((b: { failed: number }) => b.failed), [2, 0]);
    assert.equal((await t.request('GET', 'trends?client=berlin', { token })).status, 404);
  });

  test('bad queries are 422 naming the parameter; an unknown client is 404', async () => {
    const tooMany = await t.request('GET', 'trends?days=367');
    assert.equal(tooMany.status, 422);
    assert.match(JSON.stringify(tooMany.json), /days/);
    const both = await t.request('GET', 'trends?days=3&weeks=2');
    assert.equal(both.status, 422);
    assert.match(JSON.stringify(both.json), /weeks/);
    assert.equal((await t.request('GET', 'trends?client=nowhere')).status, 404);
  });
});

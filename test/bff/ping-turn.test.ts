/**
 * Pings of one turn of the event loop are resolved, paired and stored together
 * (bff/inbound/ping/ping-ingest.ts): the jobs they leave must be those they leave
 * when they arrive one after another — starts paired with their ends, log lines
 * appended to the running job, an end without `rid` closing the newest running job.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PingAction } from '../../bff/inbound/ping/interpret.ts';
import { PingIngest } from '../../bff/inbound/ping/ping-ingest.ts';
import { enroll, MINUTE } from './builders.ts';
import { testApp, T0 } from './harness.ts';

const DEVICES = ['nas-1', 'nas-2'];
const RIDS = ['0d5a6a3e-6d0c-4b8e-9b1a-2f3c4d5e6f70', '1e6b7b4f-7e1d-4c9f-8c2b-3a4d5e6f7a81'];

interface Ping {
  slug: string;
  action: PingAction;
}

const rid = fc.option(fc.constantFrom(...RIDS), { nil: null });
const line = fc.option(fc.constantFrom('rsync: 12 files', 'warning: disk 91 %', 'done'), { nil: null });
const ping: fc.Arbitrary<Ping> = fc.record({
  slug: fc.constantFrom(...DEVICES),
  action: fc.oneof(
    fc.record({ kind: fc.constant('start' as const), runId: rid, at: fc.constant(0), message: line }),
    fc.record({
      kind: fc.constant('end' as const),
      runId: rid,
      status: fc.constantFrom('success' as const, 'warning' as const, 'failed' as const),
      endedAt: fc.constant(0),
      startedAt: fc.constant(null),
      bytes: fc.option(fc.integer({ min: 0, max: 1e9 }), { nil: null }),
      message: line,
    }),
    fc.record({ kind: fc.constant('log' as const), runId: rid, at: fc.constant(0), message: line }),
  ),
});

/** The ping `n` of a run at its own minute (times of the action set to it). */
const at = (p: Ping, now: number): PingAction =>
  p.action.kind === 'end' ? { ...p.action, endedAt: now } : { ...p.action, at: now };

/** Sends `before` one by one, then `turn` either in one turn or one by one; the jobs left, without their random ids. */
async function jobsAfter(before: readonly Ping[], turn: readonly Ping[], together: boolean) {
  const app = await testApp({ now: T0 });
  try {
    for (const id of DEVICES) await enroll(app, { id, kind: 'server', intervalHours: 24 });
    const pingKey = (await app.request('GET', 'settings/ingest')).json.pingKey as string;
    const ingest = new PingIngest(app.db, app.services.ingestor);
    let n = 0;
    const send = (p: Ping) => {
      const now = T0 + ++n * MINUTE;
      return ingest.apply(pingKey, p.slug, at(p, now), now);
    };
    for (const p of before) assert.deepEqual(await send(p), { applied: true });
    if (together) assert.deepEqual(await Promise.all(turn.map(send)), turn.map(() => ({ applied: true })));
    else for (const p of turn) assert.deepEqual(await send(p), { applied: true });
    const rows = await app.db.all<Record<string, unknown>>(
      "SELECT device_id, CASE WHEN id LIKE '%:0d5a%' OR id LIKE '%:1e6b%' THEN id ELSE 'random' END AS id, status, started_at, ended_at, bytes, message FROM jobs",
    );
    return rows.map((row) => JSON.stringify(row)).sort();
  } finally {
    await app.close();
  }
}

describe('pings of one turn', () => {
  test('leave the same jobs as the same pings one after another (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(ping, { maxLength: 3 }), fc.array(ping, { minLength: 1, maxLength: 8 }), async (before, turn) => {
        assert.deepEqual(await jobsAfter(before, turn, true), await jobsAfter(before, turn, false));
      }),
      { numRuns: 100 },
    );
  });

  test('a start of a run that already ended is stale in a turn too: a later end without rid does not pair with it', async () => {
    // fast-check's counterexample (seed -1168731956): the turn read no stored job for a start's run id.
    const R = '0d5a6a3e-6d0c-4b8e-9b1a-2f3c4d5e6f70';
    const end = (runId: string | null) => ({ kind: 'end', runId, status: 'success', endedAt: 0, startedAt: null, bytes: null, message: null });
    const before = [{ slug: 'nas-2', action: end(R) }];
    const turn = [
      { slug: 'nas-2', action: { kind: 'start', runId: R, at: 0, message: null } },
      { slug: 'nas-2', action: end(null) },
      { slug: 'nas-1', action: { kind: 'start', runId: null, at: 0, message: null } },
    ];
    const together = await jobsAfter(before as never, turn as never, true);
    assert.deepEqual(together, await jobsAfter(before as never, turn as never, false));
    assert.equal(together.filter((row) => row.includes('"device_id":"nas-2"')).length, 2, together.join('\n'));
  });

  test('two runs of one device without rid in one turn are two jobs, each end closing its own start', async () => {
    const start: Ping = { slug: 'nas-1', action: { kind: 'start', runId: null, at: 0, message: null } };
    const end: Ping = { slug: 'nas-1', action: { kind: 'end', runId: null, status: 'success', endedAt: 0, startedAt: null, bytes: null, message: null } };
    const jobs = (await jobsAfter([], [start, end, start, end], true)).map((row) => JSON.parse(row));
    assert.deepEqual(jobs.map((job) => [job.status, job.ended_at - job.started_at]), [['success', MINUTE], ['success', MINUTE]]);
  });

  test('an end without rid in the turn closes the newest running start; the older one keeps running', async () => {
    const start = (message: string): Ping => ({ slug: 'nas-1', action: { kind: 'start', runId: null, at: 0, message } });
    const end: Ping = { slug: 'nas-1', action: { kind: 'end', runId: null, status: 'failed', endedAt: 0, startedAt: null, bytes: null, message: null } };
    for (const [before, turn] of [[[start('first')], [start('second'), end]], [[], [start('first'), start('second'), end]]] as const) {
      const jobs = (await jobsAfter(before, turn, true)).map((row) => JSON.parse(row));
      assert.deepEqual(jobs.map((job) => [job.status, job.message]).sort(), [['failed', 'second'], ['running', 'first']]);
    }
  });

  test('a log line sent with its start in one turn is appended to that job', async () => {
    const jobs = (
      await jobsAfter([], [
        { slug: 'nas-2', action: { kind: 'start', runId: null, at: 0, message: 'begin' } },
        { slug: 'nas-2', action: { kind: 'log', runId: null, at: 0, message: 'half way' } },
      ], true)
    ).map((row) => JSON.parse(row));
    assert.deepEqual(jobs.map((job) => [job.status, job.message]), [['running', 'begin\nhalf way']]);
  });
});

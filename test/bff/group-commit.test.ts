/**
 * Group commit (issue #19): batches that do not wait for evaluation and arrive in the
 * same turn of the event loop are stored in one transaction, in arrival order; one
 * that is refused is rolled back alone and answered alone.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Database } from '../../bff/db/client.ts';
import { GroupCommit } from '../../bff/services/ingest/group-commit.ts';
import { parseEventBody } from '../../bff/services/ingest/index.ts';
import { activeAlerts, enroll, HOUR, job } from './builders.ts';
import { T0, testApp, type TestApp } from './harness.ts';

/** The app's database, counting the transactions opened through it. */
function counting(db: Database) {
  const counter = { transactions: 0 };
  const wrapped: Database = { ...db, transaction: (work) => (counter.transactions++, db.transaction(work)) };
  return { db: wrapped, counter };
}

const postQueued = (app: TestApp, events: unknown[]) => app.request('POST', 'events', { body: { events }, headers: { prefer: 'respond-async' } });
const storedJobs = async (app: TestApp) => (await app.db.all<{ device_id: string }>('SELECT device_id FROM jobs ORDER BY device_id')).map((row) => row.device_id);

describe('group commit', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await testApp({ now: T0 });
    for (const id of ['srv-1', 'srv-2', 'srv-3']) await enroll(app, { id, intervalHours: 24 });
  });
  afterEach(() => app.close());

  test('batches submitted in one turn share one transaction and are answered each with its own counts', async () => {
    const { db, counter } = counting(app.db);
    const group = new GroupCommit(db, app.services.ingestor);
    const batch = (events: unknown[]) => parseEventBody({ events }, T0, app.deps.config.clockSkewMs);
    const first = job('srv-1', 'success', T0 - HOUR);
    const results = await Promise.all([
      group.submit(async () => ({ tenantId: app.tenant.id, batch: batch([first]), now: T0 })),
      group.submit(async () => ({ tenantId: app.tenant.id, batch: batch([first, job('srv-2', 'failed', T0 - HOUR)]), now: T0 })),
      group.submit(async () => ({ tenantId: app.tenant.id, batch: batch([job('srv-3', 'success', T0 - HOUR)]), now: T0 })),
    ]);
    assert.equal(counter.transactions, 1);
    assert.deepEqual(results.map((r) => [r.accepted, r.duplicates]), [[1, 0], [1, 1], [1, 0]], 'the second batch sees the first one stored before it');
    assert.deepEqual(await storedJobs(app), ['srv-1', 'srv-2', 'srv-3']);
  });

  test('a refused batch among concurrent POST /events fails alone: 422 for it, 202 and stored for the others', async () => {
    const answers = await Promise.all([
      postQueued(app, [job('srv-1', 'success', T0 - HOUR)]),
      postQueued(app, [job('srv-2', 'success', T0 - HOUR), job('no-such-device', 'success', T0 - HOUR)]),
      postQueued(app, [job('srv-3', 'failed', T0 - HOUR)]),
    ]);
    assert.deepEqual(answers.map((a) => a.status), [202, 422, 202]);
    assert.match(JSON.stringify(answers[1]!.json), /no-such-device/);
    assert.deepEqual(await storedJobs(app), ['srv-1', 'srv-3'], 'nothing of the refused batch, not even its good event');
    await app.services.evaluationQueue.drain();
    assert.deepEqual(await activeAlerts(app, 'srv-3'), ['backup_failed:warning']);
    assert.deepEqual(await activeAlerts(app, 'srv-2'), []);
  });
});

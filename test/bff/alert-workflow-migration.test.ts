/**
 * Migration 0007 on a database that already holds alerts and tickets: acknowledged
 * alerts stay acknowledged (who is unknown, the note comes from their history), open
 * alerts remind from when they last asked for attention, and tickets learn their
 * device and alert type (for reopening).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openDatabase, type Database } from '../../bff/db/client.ts';
import { migrate } from '../../bff/db/migrate.ts';
import { workflowOf } from '../../bff/services/alert-workflow.ts';
import type { StoredAlert } from '../../bff/services/alerts.ts';
import { toAlertItem } from '../../bff/services/views.ts';

const folder = new URL('../../bff/db/migrations/', import.meta.url);
const journal = JSON.parse(readFileSync(new URL('meta/_journal.json', folder), 'utf8')) as { entries: { idx: number; tag: string }[] };

async function migrateBefore(db: Database, idx: number) {
  await db.run('CREATE TABLE IF NOT EXISTS __migrations (tag TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const { tag } of journal.entries.filter((e) => e.idx < idx).sort((a, b) => a.idx - b.idx)) {
    for (const statement of readFileSync(new URL(`${tag}.sql`, folder), 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean)) {
      await db.run(statement);
    }
    await db.run('INSERT INTO __migrations (tag, applied_at) VALUES (?, 0)', [tag]);
  }
}

const insertAlert = (db: Database, id: string, state: string, acknowledgedAt: number | null) =>
  db.run(
    `INSERT INTO alerts (id, tenant_id, device_id, client_id, type, severity, state, triggered_at, updated_at, acknowledged_at, reason, recommended_action)
     VALUES (?, 't1', ?, 'c', 'backup_failed', 'critical', ?, 100, 900, ?, 'Failing', 'Look')`,
    [id, `dev-${id}`, state, acknowledgedAt],
  );
const event = (db: Database, alertId: string, action: string, at: number, note: string | null) =>
  db.run("INSERT INTO alert_events (alert_id, tenant_id, action, severity, at, note) VALUES (?, 't1', ?, 'critical', ?, ?)", [alertId, action, at, note]);

let db: Database;
before(async () => {
  db = openDatabase({ url: ':memory:' });
  await migrateBefore(db, 7);
  await insertAlert(db, 'acked', 'acknowledged', 500);
  await event(db, 'acked', 'opened', 200, 'Failing');
  await event(db, 'acked', 'acknowledged', 500, 'On it');
  await insertAlert(db, 'open', 'open', null);
  await event(db, 'open', 'opened', 200, 'Failing');
  await event(db, 'open', 'escalated', 700, 'Worse');
  await db.run("INSERT INTO tickets (tenant_id, alert_id, external_id, ticket_type, priority, requested_at) VALUES ('t1', 'open', 'PSA-1', 'Backup Failure', 'Critical', 200)");
  assert.deepEqual(await migrate(db), journal.entries.filter((e) => e.idx >= 7).map((e) => e.tag));
});
after(() => db.close());

const alert = async (id: string) => (await db.get<StoredAlert>('SELECT a.*, NULL AS device_name, NULL AS client_name FROM alerts a WHERE id = ?', [id]))!;

test('an alert acknowledged before the migration stays acknowledged, by an unknown actor, with its note', async () => {
  const row = await alert('acked');
  const item = toAlertItem(row);
  assert.equal(item.state, 'acknowledged');
  assert.equal(item.acknowledgedBy, null);
  assert.equal(item.acknowledgementNote, 'On it');
  assert.deepEqual(workflowOf(row).acknowledgement, { by: 'unknown', at: 500, note: 'On it' });
  assert.equal(row.remind_from, null, 'an acknowledged alert does not remind');
});

test('an open alert reminds from when it last asked for attention (its escalation)', async () => {
  assert.equal((await alert('open')).remind_from, 700);
});

test("tickets learn their alert's device and type", async () => {
  const ticket = await db.get<{ device_id: string; alert_type: string; ticket_ref: string | null }>("SELECT device_id, alert_type, ticket_ref FROM tickets WHERE alert_id = 'open'");
  assert.deepEqual({ ...ticket }, { device_id: 'dev-open', alert_type: 'backup_failed', ticket_ref: null });
});

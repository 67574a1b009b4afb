import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPsaStandIn, type PsaStandIn } from '../../demo/standins/psa.ts';

const KEY = 'psa-stand-in-key-0123456789abcdef';
let psa: PsaStandIn;

const call = async (method: string, path: string, body?: unknown, idempotencyKey?: string) => {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-integration-key': KEY };
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  const response = await fetch(`${psa.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

async function newTicket(): Promise<string> {
  const { status, body } = await call('POST', '/tickets', {
    externalRef: `alert-${Math.random()}`, type: 'Backup Failure', priority: 'Critical', summary: 'Backups failing on WS-1', description: '3 failures',
    client: { id: 'acme', name: 'Acme' }, device: { id: 'ws-1', name: 'WS-1' }, alertType: 'backup_failed', triggeredAt: '2026-11-24T11:00:00Z',
    lastSuccessfulBackupAt: null, jobLogUrl: 'https://rmm.example.com/jobs/1/log',
  });
  assert.equal(status, 201);
  return body.id;
}
const ticket = (id: string) => psa.tickets.find((t) => t.id === id)!;

describe('PSA stand-in: notes and reopening', () => {
  before(async () => {
    psa = await startPsaStandIn({ key: KEY });
  });
  after(() => psa.close());

  test('a note is added to a ticket’s history and answered 201 with its id', async () => {
    const id = await newTicket();
    const reply = await call('POST', `/tickets/${id}/notes`, { note: 'Another failed backup at 2026-11-24 12:00 UTC (4 in a row).' });
    assert.equal(reply.status, 201);
    assert.equal(reply.body.id, `${id}-N1`);
    assert.deepEqual(ticket(id).notes.map((n) => [n.kind, n.text]), [['note', 'Another failed backup at 2026-11-24 12:00 UTC (4 in a row).']]);
    assert.equal(ticket(id).status, 'open');
  });

  test('the same note sent twice with one Idempotency-Key is recorded once', async () => {
    const id = await newTicket();
    await call('POST', `/tickets/${id}/notes`, { note: 'Reminder 1' }, 'reminder:a-1:2026-11-25T12:00:00.000Z');
    const again = await call('POST', `/tickets/${id}/notes`, { note: 'Reminder 1' }, 'reminder:a-1:2026-11-25T12:00:00.000Z');
    assert.equal(again.status, 201);
    assert.equal(ticket(id).notes.length, 1);
  });

  test('a resolved ticket is reopened by PATCH {status:"open", note}, keeping its whole history', async () => {
    const id = await newTicket();
    await call('PATCH', `/tickets/${id}`, { status: 'resolved', note: 'Resolved automatically: backup succeeded' });
    assert.equal(ticket(id).status, 'resolved');
    const reply = await call('PATCH', `/tickets/${id}`, { status: 'open', note: 'Reopened: the problem is back' });
    assert.equal(reply.status, 200);
    assert.deepEqual([ticket(id).status, ticket(id).resolvedAt, typeof ticket(id).reopenedAt], ['open', null, 'string']);
    assert.equal(ticket(id).note, 'Reopened: the problem is back');
    assert.deepEqual(ticket(id).notes.map((n) => [n.kind, n.text]), [
      ['resolved', 'Resolved automatically: backup succeeded'],
      ['reopened', 'Reopened: the problem is back'],
    ]);
  });

  test('the ticket list shows each ticket’s note history', async () => {
    const id = await newTicket();
    await call('POST', `/tickets/${id}/notes`, { note: 'Escalated to critical' });
    const list = await fetch(`${psa.url}/tickets`).then((r) => r.json());
    const listed = list.items.find((t: { id: string }) => t.id === id);
    assert.deepEqual(listed.notes.map((n: { text: string }) => n.text), ['Escalated to critical']);
  });

  test('a note needs text and a known ticket; a wrong key is refused', async () => {
    const id = await newTicket();
    assert.equal((await call('POST', `/tickets/${id}/notes`, { note: '  ' })).status, 400);
    assert.equal((await call('POST', `/tickets/${id}/notes`, {})).status, 400);
    assert.equal((await call('POST', '/tickets/T-9/notes', { note: 'x' })).status, 404);
    const wrongKey = await fetch(`${psa.url}/tickets/${id}/notes`, { method: 'POST', headers: { 'x-integration-key': 'wrong' }, body: JSON.stringify({ note: 'x' }) });
    assert.equal(wrongKey.status, 401);
    assert.equal(ticket(id).notes.length, 0);
  });

  test('a note on a PATCH without a status change is kept as a note', async () => {
    const id = await newTicket();
    await call('PATCH', `/tickets/${id}`, { status: 'open', note: 'Still failing' });
    assert.deepEqual(ticket(id).notes.map((n) => [n.kind, n.text]), [['note', 'Still failing']]);
  });
});

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { keywordRulesSchema, writeKeywordRules } from '../../bff/inbound/mail/index.ts';
import type { MailInbox } from '../../bff/inbound/mail/index.ts';
import { deviceRow } from './builders.ts';
import { testApp, type TestApp } from './harness.ts';
import { deviceJobs, enrollNamed, fixture, inboxOf, MAIL_NOW, mailboxKeyOf, storedMail } from './mail-support.ts';

const DAY = 86_400_000;
let app: TestApp;
let inbox: MailInbox;

beforeEach(async () => {
  app = await testApp({ now: MAIL_NOW });
  inbox = inboxOf(app);
});
afterEach(() => app.close());

describe('mail inbox: recording results', () => {
  it('a Veeam mail records one job per VM on the device named like it, visible in the device detail', async () => {
    await enrollNamed(app, [{ id: 'dc01', name: 'DC01' }, { id: 'sql01', name: 'SQL01' }, { id: 'fs01', name: 'FS01' }]);
    const item = await inbox.receive(app.tenant.id, fixture('veeam-br-success-3-vms.eml'));
    assert.equal(item.state, 'parsed');
    assert.equal(item.parser, 'veeam');
    assert.equal(item.reason, null);
    assert.deepEqual(item.jobs.map((j) => j.deviceId), ['dc01', 'sql01', 'fs01']);
    const [job] = await deviceJobs(app, 'sql01');
    assert.equal(job!.status, 'success');
    assert.equal(job!.startedAt, '2026-12-02T22:07:10.000Z');
    assert.equal(job!.endedAt, '2026-12-02T23:41:55.000Z');
    assert.equal(job!.bytes, 100 * 1024 ** 3);
  });

  it('a failed job from mail is evaluated like one from POST /events', async () => {
    await enrollNamed(app, [{ id: 'laptop-07', name: 'LAPTOP-07' }]);
    await inbox.receive(app.tenant.id, fixture('veeam-agent-failed-1-machine.eml'));
    await app.services.evaluationQueue.drain();
    const row = await deviceRow(app, 'laptop-07');
    assert.equal(row!.consecutive_failures, 1);
    assert.notEqual(row!.status, 'unknown');
  });

  it('devices are matched by id, and by name whatever its case', async () => {
    await enrollNamed(app, [{ id: 'DC01', name: 'Domain controller' }, { id: 'sql-a', name: 'sql01' }, { id: 'fs-a', name: 'Fs01' }]);
    const item = await inbox.receive(app.tenant.id, fixture('veeam-br-success-3-vms.eml'));
    assert.deepEqual(item.jobs.map((j) => j.deviceId), ['DC01', 'sql-a', 'fs-a']);
  });

  it('a name two clients share is settled by the client of the plus address', async () => {
    await enrollNamed(app, [{ id: 'print-a', name: 'print01', clientId: 'contoso' }, { id: 'print-b', name: 'print01', clientId: 'fabrikam' }, { id: 'zh', name: 'FILESRV-Zürich' }]);
    const item = await inbox.receive(app.tenant.id, fixture('veeam-br-warning-windows-1252.eml'), 'fabrikam');
    assert.deepEqual(item.jobs.map((j) => j.deviceId), ['zh', 'print-b']);
  });

  it('without a plus address a shared name is not guessed: the reason asks for the client or the id', async () => {
    await enrollNamed(app, [{ id: 'print-a', name: 'print01', clientId: 'contoso' }, { id: 'print-b', name: 'print01', clientId: 'fabrikam' }, { id: 'zh', name: 'FILESRV-Zürich' }]);
    const item = await inbox.receive(app.tenant.id, fixture('veeam-br-warning-windows-1252.eml'));
    assert.match(item.reason!, /2 devices are named "print01" \(print-a, print-b\); send to the client's plus address or name the device by id/);
    assert.deepEqual(item.jobs.map((j) => j.deviceId), ['zh', null]);
  });

  it('results for unknown devices are kept with the reason while the others are recorded', async () => {
    await enrollNamed(app, [{ id: 'dc01', name: 'DC01' }]);
    const item = await inbox.receive(app.tenant.id, fixture('veeam-br-success-3-vms.eml'));
    assert.equal(item.state, 'parsed');
    assert.match(item.reason!, /^2 of 3 result\(s\) were not recorded\. SQL01: No device is named "SQL01"/);
    assert.equal((await deviceJobs(app, 'dc01')).length, 1);
  });

  it('a retired device records nothing and the reason says how to re-activate it', async () => {
    await enrollNamed(app, [{ id: 'laptop-07', name: 'LAPTOP-07' }]);
    await app.request('DELETE', 'devices/laptop-07');
    const item = await inbox.receive(app.tenant.id, fixture('veeam-agent-failed-1-machine.eml'));
    assert.equal(item.state, 'unmatched');
    assert.match(item.reason!, /retired; PUT \/api\/v1\/devices\/laptop-07 re-activates it/);
  });

  it('a result dated in the future (a wrong clock at the sender) is not recorded', async () => {
    await enrollNamed(app, [{ id: 'ws-anna', name: 'WS-ANNA' }]);
    app.clock.set(Date.parse('2026-12-02T21:00:00Z'));
    const item = await inbox.receive(app.tenant.id, fixture('duplicati-backup-success.eml'));
    assert.equal(item.state, 'unmatched');
    assert.match(item.reason!, /in the future; check the clock and time zone/);
    assert.deepEqual(await deviceJobs(app, 'ws-anna'), []);
  });
});

describe('mail inbox: storage, duplicates and the unmatched list', () => {
  it('every message is stored raw, byte for byte', async () => {
    const raw = fixture('unknown-newsletter.eml');
    const item = await inbox.receive(app.tenant.id, raw);
    const row = await app.db.get<{ raw: Uint8Array; size_bytes: number }>('SELECT raw, size_bytes FROM inbound_mail WHERE id = ?', [item.id]);
    assert.ok(Buffer.from(row!.raw).equals(raw));
    assert.equal(row!.size_bytes, raw.length);
  });

  it('a second copy of a Message-ID is a duplicate without its raw bytes and records no job twice', async () => {
    await enrollNamed(app, [{ id: 'ws-anna', name: 'WS-ANNA' }]);
    const first = await inbox.receive(app.tenant.id, fixture('duplicati-backup-success.eml'));
    const second = await inbox.receive(app.tenant.id, fixture('duplicati-backup-success.eml'));
    assert.equal(second.state, 'duplicate');
    assert.match(second.reason!, new RegExp(`already received \\(${first.id}\\)`));
    assert.deepEqual((await storedMail(app)).map((m) => [m.state, m.raw === null]), [['parsed', false], ['duplicate', true]]);
    assert.equal((await deviceJobs(app, 'ws-anna')).length, 1);
  });

  it('a message without a Message-ID is deduplicated by its content', async () => {
    const raw = Buffer.from(fixture('unknown-newsletter.eml').toString('latin1').replace(/^Message-ID:.*\r\n/m, ''), 'latin1');
    assert.equal((await inbox.receive(app.tenant.id, raw)).state, 'unmatched');
    assert.equal((await inbox.receive(app.tenant.id, raw)).state, 'duplicate');
  });

  it('mail no parser claims is listed as unmatched with the reason, newest first, in pages', async () => {
    app.clock.set(MAIL_NOW);
    await inbox.receive(app.tenant.id, fixture('unknown-newsletter.eml'));
    app.clock.advance(1000);
    await inbox.receive(app.tenant.id, fixture('keyword-synology-success.eml'));
    app.clock.advance(1000);
    await inbox.receive(app.tenant.id, fixture('csv-report-missing-column.eml'));
    const first = await inbox.list(app.tenant.id, { state: 'unmatched', limit: 2 });
    assert.deepEqual(first.items.map((i) => i.subject), ['Backup Report CSV - Weekly', '[NAS-01] Hyper Backup task Nightly to C2 on NAS-01 has completed']);
    assert.match(first.items[1]!.reason!, /Add a keyword rule/);
    const second = await inbox.list(app.tenant.id, { state: 'unmatched', limit: 2, cursor: first.nextCursor! });
    assert.deepEqual(second.items.map((i) => i.subject), ['Your December product update']);
    assert.equal(second.nextCursor, null);
  });

  it('re-parsing after a keyword rule is added records the job and takes the message off the unmatched list', async () => {
    await enrollNamed(app, [{ id: 'nas-01', name: 'NAS-01' }]);
    const item = await inbox.receive(app.tenant.id, fixture('keyword-synology-success.eml'));
    assert.equal(item.state, 'unmatched');
    await writeKeywordRules(app.db, app.tenant.id, [{ match: { subject: 'on (\\S+) has' }, device: '$1', successKeywords: ['has completed'] }], app.clock());
    const reparsed = await inbox.reparse(app.tenant.id, item.id);
    assert.equal(reparsed.state, 'parsed');
    assert.equal(reparsed.parser, 'keyword-rule');
    assert.equal((await deviceJobs(app, 'nas-01'))[0]!.status, 'success');
    assert.deepEqual((await inbox.list(app.tenant.id, { state: 'unmatched' })).items, []);
  });

  it('a rule is previewed against a stored message without recording anything', async () => {
    await enrollNamed(app, [{ id: 'nas-01', name: 'NAS-01' }]);
    const item = await inbox.receive(app.tenant.id, fixture('keyword-synology-failed.eml'));
    const rules = keywordRulesSchema.parse([{ match: { subject: 'on (\\S+) has' }, device: '$1', failureKeywords: ['has failed'] }]);
    const verdict = await inbox.preview(app.tenant.id, item.id, rules);
    assert.equal(verdict.parser, 'keyword-rule');
    assert.deepEqual(verdict.result.kind === 'jobs' && verdict.result.jobs.map((j) => [j.device, j.status]), [['NAS-01', 'failed']]);
    assert.deepEqual(await deviceJobs(app, 'nas-01'), []);
    assert.equal((await inbox.list(app.tenant.id, { state: 'unmatched' })).items.length, 1);
  });

  it('re-parsing a parsed message records nothing twice', async () => {
    await enrollNamed(app, [{ id: 'ws-anna', name: 'WS-ANNA' }]);
    const item = await inbox.receive(app.tenant.id, fixture('duplicati-backup-success.eml'));
    await inbox.reparse(app.tenant.id, item.id);
    assert.equal((await deviceJobs(app, 'ws-anna')).length, 1);
  });

  it('re-parsing an unknown message is a 404 problem', async () => {
    await assert.rejects(inbox.reparse(app.tenant.id, 'no-such-id'), { status: 404 });
  });

  it('another tenant neither sees nor re-parses the message', async () => {
    const item = await inbox.receive(app.tenant.id, fixture('unknown-newsletter.eml'));
    assert.deepEqual((await inbox.list('other-tenant')).items, []);
    await assert.rejects(inbox.reparse('other-tenant', item.id), { status: 404 });
  });

  it('mail is kept 30 days', async () => {
    await inbox.receive(app.tenant.id, fixture('unknown-newsletter.eml'));
    assert.equal(await inbox.purgeExpired(MAIL_NOW + 30 * DAY), 0);
    assert.equal(await inbox.purgeExpired(MAIL_NOW + 30 * DAY + 1), 1);
    assert.deepEqual(await storedMail(app), []);
  });
});

describe('mail inbox: recipients', () => {
  it('a message is delivered to the tenant of its mailbox key, with the plus-address client', async () => {
    const [item] = await inbox.deliver(fixture('unknown-newsletter.eml'), ['nobody@mail.test', `${await mailboxKeyOf(app, app.tenant.id)}+fabrikam@mail.test`]);
    assert.equal(item!.clientId, 'fabrikam');
    assert.equal((await storedMail(app)).length, 1);
  });

  it('a message for no known mailbox is not stored', async () => {
    assert.deepEqual(await inbox.deliver(fixture('unknown-newsletter.eml'), ['nobody@mail.test']), []);
    assert.deepEqual(await storedMail(app), []);
  });
});

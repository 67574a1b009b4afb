/**
 * E-mail ingestion (docs/ingest-mail.md) over HTTP: unmatched mail listed with the reason, keyword
 * rules saved and tried against a stored message, and a message re-read once a rule
 * exists — all admin-only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testApp, type TestApp } from './harness.ts';
import { apiKey, embedToken } from './fleet.ts';
import { deviceJobs, enrollNamed, fixture, MAIL_NOW } from './mail-support.ts';

const synology = { name: 'Synology Hyper Backup', match: { from: '^nas-\\d+@', subject: 'task .+ on (\\S+) (?:has|is)' }, device: '$1', failureKeywords: ['has failed'], successKeywords: ['has completed'] };

describe('/mail and keyword rules', () => {
  let t: TestApp;
  let mailId: string;
  before(async () => {
    t = await testApp({ now: MAIL_NOW });
    await enrollNamed(t, [{ id: 'nas-01', name: 'NAS-01' }]);
    mailId = (await t.services.mailInbox.receive(t.tenant.id, fixture('keyword-synology-success.eml'))).id;
  });
  after(() => t.close());

  test('mail no parser claims is listed as unmatched, with the reason a person can act on', async () => {
    const { status, json } = await t.request('GET', 'mail?state=unmatched');
    assert.equal(status, 200);
    const item = json.items.find((candidate: { id: string }) => candidate.id === mailId);
    assert.ok(item, 'listed');
    assert.equal(item.state, 'unmatched');
    assert.match(item.subject, /Hyper Backup task/);
    assert.match(item.reason, /keyword rule/i);
    assert.deepEqual((await t.request('GET', 'mail?state=parsed')).json.items, []);
  });

  test('rules are tried against a stored message before saving: the verdict, and nothing recorded', async () => {
    const { status, json } = await t.request('POST', `mail/${mailId}/preview`, { body: { rules: [synology] } });
    assert.equal(status, 200);
    assert.equal(json.parser, 'keyword-rule');
    assert.equal(json.kind, 'jobs');
    assert.deepEqual(json.jobs.map((job: { device: string; status: string }) => [job.device, job.status]), [['NAS-01', 'success']]);
    assert.deepEqual(await deviceJobs(t, 'nas-01'), []);
  });

  test('saved rules show in the ingest settings, and re-reading the message records its job once', async () => {
    const saved = await t.request('PUT', 'settings/ingest/keyword-rules', { body: [synology] });
    assert.equal(saved.status, 200);
    assert.equal(saved.json[0].device, '$1');
    assert.equal((await t.request('GET', 'settings/ingest')).json.keywordRules[0].name, 'Synology Hyper Backup');

    const reread = await t.request('POST', `mail/${mailId}/reparse`);
    assert.equal(reread.status, 200);
    assert.equal(reread.json.state, 'parsed');
    assert.equal(reread.json.parser, 'keyword-rule');
    await t.request('POST', `mail/${mailId}/reparse`);
    const jobs = await deviceJobs(t, 'nas-01');
    assert.equal(jobs.length, 1, 'a second re-read adds nothing');
    assert.equal(jobs[0]!.status, 'success');
    assert.equal((await t.request('GET', 'mail?state=unmatched')).json.items.length, 0);
  });

  test('bad rules are a 422 naming the field, and nothing is saved', async () => {
    const bad = [{ match: { subject: '(' }, device: '$1', successKeywords: ['ok'] }];
    for (const [method, path, body] of [
      ['PUT', 'settings/ingest/keyword-rules', bad],
      ['POST', `mail/${mailId}/preview`, { rules: bad }],
    ] as const) {
      const { status, json } = await t.request(method, path, { body });
      assert.equal(status, 422, path);
      assert.ok(json.errors.some((error: { path: string }) => error.path === '0.match.subject'), JSON.stringify(json.errors));
    }
    assert.equal((await t.request('GET', 'settings/ingest')).json.keywordRules.length, 1);
  });

  test('an unknown message is a 404; a bad state or cursor is refused', async () => {
    assert.equal((await t.request('POST', 'mail/nobody/reparse')).status, 404);
    assert.equal((await t.request('POST', 'mail/nobody/preview', { body: { rules: [] } })).status, 404);
    assert.equal((await t.request('GET', 'mail?state=lost')).status, 422);
    assert.equal((await t.request('GET', 'mail?cursor=nonsense')).status, 400);
  });

  test('only admin credentials read mail or change rules', async () => {
    const read = await apiKey(t, ['read']);
    const token = await embedToken(t, undefined, ['read', 'operate']);
    for (const credential of [read, token]) {
      assert.equal((await t.request('GET', 'mail', { token: credential })).status, 403);
      assert.equal((await t.request('POST', `mail/${mailId}/reparse`, { token: credential })).status, 403);
      assert.equal((await t.request('PUT', 'settings/ingest/keyword-rules', { token: credential, body: [] })).status, 403);
    }
  });
});

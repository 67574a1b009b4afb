import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { keywordRulesSchema, readKeywordRules, writeKeywordRules, type KeywordRule } from '../../bff/inbound/mail/index.ts';
import { ProblemError } from '../../bff/http/problem.ts';
import { testApp } from './harness.ts';
import { jobsOf, reasonOf, verdictOf } from './mail-support.ts';

const synology: KeywordRule = keywordRulesSchema.parse([
  { name: 'Synology Hyper Backup', match: { from: '^nas-\\d+@', subject: 'task .+ on (\\S+) (?:has|is)' }, device: '$1', failureKeywords: ['has failed', 'partially completed'], successKeywords: ['has completed'] },
])[0]!;
const kanzlei: KeywordRule = keywordRulesSchema.parse([
  { match: { subject: '^Sicherungsprotokoll (?<host>\\S+)' }, device: '$<host>', failureKeywords: ['fehlgeschlagen'], successKeywords: ['erfolgreich'] },
])[0]!;

describe('keyword rules', () => {
  it('a matching rule names the device from a subject group and a success keyword makes a success', async () => {
    const verdict = await verdictOf('keyword-synology-success.eml', { keywordRules: [synology] });
    assert.equal(verdict.parser, 'keyword-rule');
    const [job] = jobsOf(verdict);
    assert.deepEqual([job!.device, job!.status, job!.endedAt], ['NAS-01', 'success', Date.parse('2026-12-03T03:11:40Z')]);
  });

  it('failure keywords are checked first: "has failed … completed before" is a failure', async () => {
    const [job] = jobsOf(await verdictOf('keyword-synology-failed.eml', { keywordRules: [synology] }));
    assert.equal(job!.status, 'failed');
    assert.match(job!.message!, /Synology Hyper Backup.*has failed/);
  });

  it('a named group and an ISO-8859-1 quoted-printable body work (fehlgeschlagen)', async () => {
    const [job] = jobsOf(await verdictOf('keyword-iso-8859-1-failure.eml', { keywordRules: [synology, kanzlei] }));
    assert.deepEqual([job!.device, job!.status], ['SRV-KANZLEI', 'failed']);
  });

  it('a rule that matches but finds no keyword says which keywords it looked for', async () => {
    assert.match(reasonOf(await verdictOf('keyword-no-keyword.eml', { keywordRules: [synology] })), /Synology Hyper Backup" matched, but .*has completed/);
  });

  it('without a matching rule the message is unclaimed and the reason suggests a rule', async () => {
    const verdict = await verdictOf('keyword-synology-success.eml', { keywordRules: [kanzlei] });
    assert.equal(verdict.parser, null);
    assert.match(reasonOf(verdict), /Add a keyword rule/);
  });

  it('rules come after the product parsers: a Veeam subject is Veeam even if a rule matches it', async () => {
    const greedy = keywordRulesSchema.parse([{ match: { subject: '.' }, device: 'x', successKeywords: ['success'] }]);
    assert.equal((await verdictOf('veeam-br-success-3-vms.eml', { keywordRules: greedy })).parser, 'veeam');
  });
});

describe('keyword rule settings', () => {
  const appPromise = testApp();
  after(async () => (await appPromise).close());

  it('stored rules are read back in order', async () => {
    const app = await appPromise;
    await writeKeywordRules(app.db, app.tenant.id, [synology, kanzlei], app.clock());
    assert.deepEqual(await readKeywordRules(app.db, app.tenant.id), [synology, kanzlei]);
  });

  it('a rule with a broken pattern, no match and no keywords is refused naming each field; nothing is saved', async () => {
    const app = await appPromise;
    const before = await readKeywordRules(app.db, app.tenant.id);
    await assert.rejects(
      writeKeywordRules(app.db, app.tenant.id, [{ match: { subject: '(' }, device: '$1', successKeywords: ['ok'] }, { match: {}, device: 'x' }], app.clock()),
      (error: unknown) => {
        assert.ok(error instanceof ProblemError);
        assert.equal(error.status, 422);
        const paths = (error.problem.errors ?? []).map((e) => e.path);
        assert.ok(paths.includes('0.match.subject'), JSON.stringify(paths));
        assert.ok(paths.includes('1.match'), JSON.stringify(paths));
        assert.ok(paths.includes('1.failureKeywords'), JSON.stringify(paths));
        return true;
      },
    );
    assert.deepEqual(await readKeywordRules(app.db, app.tenant.id), before);
  });
});

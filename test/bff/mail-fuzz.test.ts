/**
 * Fuzzing: no message, however malformed, crashes a parser or parseMessage, and no
 * message is ever half stored (its row without its jobs, or jobs without its row).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { keywordRulesSchema, MailInbox, MAIL_PARSERS, parseMessage, type InboundMessage, type MailJob } from '../../bff/inbound/mail/index.ts';
import type { SqlValue } from '../../bff/db/client.ts';
import { testApp, type TestApp } from './harness.ts';
import { context, enrollNamed, fixture, inboxOf, MAIL_NOW } from './mail-support.ts';

const FIXTURES = [
  'veeam-br-success-3-vms.eml', 'veeam-br-warning-windows-1252.eml', 'veeam-agent-failed-1-machine.eml', 'veeam-m365-warning-2-objects.eml',
  'csv-report-mixed.eml', 'csv-report-iso-8859-1.eml', 'csv-report-bad-row.eml', 'duplicati-backup-success.eml', 'duplicati-backup-warning-qp.eml',
  'duplicati-backup-fatal.eml', 'keyword-synology-success.eml', 'keyword-iso-8859-1-failure.eml', 'unknown-newsletter.eml',
];
const raws = FIXTURES.map(fixture);

/** A fixture with some bytes overwritten and possibly cut short. */
const mutatedFixture = fc
  .record({
    index: fc.nat(raws.length - 1),
    edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 20 }),
    cut: fc.option(fc.nat()),
  })
  .map(({ index, edits, cut }) => {
    const raw = Buffer.from(raws[index]!);
    for (const { at, byte } of edits) raw[at % raw.length] = byte;
    return cut === null ? raw : raw.subarray(0, cut % (raw.length + 1));
  });

const word = fc.string({ minLength: 0, maxLength: 12 });
const cell = fc.oneof(word, fc.constantFrom('Success', 'Warning', 'Failed', '22:00:31', '00:14:33', '10:05 PM', '60 GB', '0 B', '', 'Wednesday, 2 December 2026', '12/2/2026 10:00:31 PM'));
const veeamHtml = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 9 }), { maxLength: 8 })
  .map((rows) => {
    const header = '<tr><td>Name</td><td>Status</td><td>Start time</td><td>End time</td><td>Size</td><td>Read</td><td>Transferred</td><td>Duration</td><td>Details</td></tr>';
    return `<table><tr><td>Start time</td><td>22:00:05</td></tr>${header}${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;
  });
const csvText = fc
  .array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 })
  .map((rows) => ['Device,Status,Backup Date,Data Size', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\r\n'));
const duplicatiText = fc
  .array(fc.tuple(fc.constantFrom('ParsedResult', 'BeginTime', 'EndTime', 'SizeOfExaminedFiles', 'Errors', 'Warnings', 'X'), fc.oneof(cell, fc.constant('[')), fc.constant('(1796248801)')), { maxLength: 10 })
  .map((lines) => lines.map(([k, v, e]) => `${k}: ${v} ${k.endsWith('Time') ? e : ''}`).join('\n'));

/** Messages each parser claims (and anything else), with bodies of that parser's shape or noise. */
const message: fc.Arbitrary<InboundMessage> = fc.record({
  from: fc.oneof(fc.string(), fc.constant('nas-01@contoso.com')),
  to: fc.array(fc.string(), { maxLength: 2 }),
  subject: fc.oneof(
    fc.string(),
    fc.tuple(fc.constantFrom('Success', 'Warning', 'Failed'), word, fc.nat(999)).map(([r, n, c]) => `[${r}] ${n} (${c} VMs) 0 issues`),
    word.map((w) => `Backup Report CSV ${w}`),
    fc.tuple(fc.constantFrom('Backup', 'Restore'), fc.string({ maxLength: 10 })).map(([op, name]) => `Duplicati ${op} report for ${name}`),
    word.map((w) => `Task on ${w} has completed`),
  ),
  date: fc.option(fc.integer({ min: 0, max: 8.64e15 })),
  messageId: fc.option(fc.string()),
  text: fc.oneof(fc.string(), duplicatiText),
  html: fc.oneof(fc.string(), veeamHtml),
  attachments: fc.array(
    fc.record({ filename: fc.option(fc.constantFrom('r.csv', 'x.bin')), contentType: fc.constantFrom('text/csv', 'application/octet-stream'), charset: fc.option(fc.constantFrom('utf-8', 'iso-8859-1', 'no-such-charset')), content: fc.oneof(csvText, fc.string()).map((s) => Buffer.from(s)) }),
    { maxLength: 2 },
  ),
}, { noNullPrototype: true });

const rules = keywordRulesSchema.parse([
  { match: { subject: 'on (\\S*) has' }, device: '$1', failureKeywords: ['fail'], successKeywords: ['completed'] },
  { match: { from: '^nas-' }, device: 'nas $2', successKeywords: ['a'] },
]);

function assertSaneJob(job: MailJob) {
  assert.ok(typeof job.device === 'string' && job.device.trim() !== '', `device ${JSON.stringify(job.device)}`);
  assert.ok(['success', 'warning', 'failed'].includes(job.status));
  assert.ok(Number.isFinite(job.startedAt) && Number.isFinite(job.endedAt) && job.startedAt <= job.endedAt, `${job.startedAt}–${job.endedAt}`);
  assert.ok(job.bytes === null || (Number.isSafeInteger(job.bytes) && job.bytes >= 0), `bytes ${job.bytes}`);
  assert.ok(job.message === null || job.message.length <= 4_000);
}

describe('fuzzing the mail parsers', () => {
  for (const parser of MAIL_PARSERS) {
    it(`the ${parser.name} parser never throws and yields only well-formed jobs`, () => {
      fc.assert(
        fc.property(message, fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'), (m, timeZone) => {
          const result = parser.parse(m, context({ timeZone, keywordRules: rules }));
          if (result?.kind === 'jobs') result.jobs.forEach(assertSaneJob);
          if (result?.kind === 'unreadable') assert.ok(result.reason.length > 0);
        }),
        { numRuns: 1_000 },
      );
    });
  }

  it('parseMessage never throws, on mangled reports and on random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutatedFixture, fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b))), async (raw) => {
        const parsed = await parseMessage(raw);
        assert.equal(typeof parsed.subject, 'string');
        assert.ok(Array.isArray(parsed.attachments));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('fuzzing the inbox: no half-stored mail', () => {
  let app: TestApp;
  before(async () => {
    app = await testApp({ now: MAIL_NOW });
    await enrollNamed(app, [{ id: 'dc01', name: 'DC01' }, { id: 'fs01', name: 'FS01' }, { id: 'ws-anna', name: 'WS-ANNA' }, { id: 'nas-02', name: 'nas-02' }]);
  });
  after(() => app.close());

  const jobIdsStored = async (ids: string[]) =>
    (await app.db.all<{ id: string }>('SELECT jb.id FROM json_each(?) j JOIN jobs jb ON jb.tenant_id = ? AND jb.id = j.value', [JSON.stringify(ids), app.tenant.id])).map((r) => r.id);

  it('a stored message has its recorded jobs, an unmatched one none, whatever the message', async () => {
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(mutatedFixture, async (raw) => {
        serial += 1;
        // A fresh Message-ID per run, so every run is read rather than found a duplicate.
        const unique = Buffer.concat([Buffer.from(`Message-ID: <fuzz-${serial}@test>\r\n`), raw]);
        const item = await inboxOf(app).receive(app.tenant.id, unique);
        const recorded = item.jobs.filter((j) => j.problem === null).map((j) => j.jobId);
        const stored = await jobIdsStored(item.jobs.map((j) => j.jobId));
        if (item.state === 'parsed') {
          assert.ok(recorded.length > 0);
          assert.deepEqual(stored.sort(), recorded.sort());
        } else assert.deepEqual(stored, []);
        const rows = await app.db.all('SELECT id FROM inbound_mail WHERE tenant_id = ? AND message_key = ?', [app.tenant.id, `fuzz-${serial}@test`]);
        assert.equal(rows.length, 1);
      }),
      { numRuns: 150 },
    );
  });

  it('a failure while storing leaves no message row, and the retry the sender is told to make records every job once', async () => {
    const { ingestor } = app.services;
    const failingIngest = Object.assign(Object.create(ingestor) as typeof ingestor, { ingest: async () => Promise.reject(new Error('disk I/O error')) });
    // The row write fails after the jobs were recorded.
    const failingRowDb = new Proxy(app.db, {
      get(target, property) {
        if (property === 'all') {
          return (sql: string, args?: SqlValue[]) => (sql.startsWith('INSERT INTO inbound_mail') ? Promise.reject(new Error('disk I/O error')) : target.all(sql, args));
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const jobCount = async () => (await app.db.get<{ n: number }>('SELECT count(*) AS n FROM jobs WHERE tenant_id = ?', [app.tenant.id]))!.n;
    let serial = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...raws), fc.constantFrom('ingest', 'row'), async (raw, failing) => {
        serial += 1;
        const key = `broken-${serial}@test`;
        const unique = Buffer.concat([Buffer.from(`Message-ID: <${key}>\r\n`), raw]);
        const deps = { db: app.db, ingestor, clock: app.clock, tenantForMailbox: async () => app.tenant.id, clockSkewMs: 300_000 };
        const broken = new MailInbox(failing === 'ingest' ? { ...deps, ingestor: failingIngest } : { ...deps, db: failingRowDb });
        const jobsBefore = await jobCount();
        const outcome = await broken.receive(app.tenant.id, unique).then(() => 'stored', (error: Error) => error.message);
        const rows = () => app.db.all('SELECT id FROM inbound_mail WHERE message_key = ?', [key]);
        if (outcome !== 'stored') {
          assert.equal(outcome, 'disk I/O error');
          assert.equal((await rows()).length, 0, 'no row for a message whose storing failed');
          if (failing === 'ingest') assert.equal(await jobCount(), jobsBefore, 'a failed ingest records no job');
        }
        const jobsAfterFailure = await jobCount();
        // The sender's retry (451 tells it to) through a healthy inbox.
        const retried = outcome === 'stored' ? null : await inboxOf(app).receive(app.tenant.id, unique);
        if (retried) {
          assert.notEqual(retried.state, 'duplicate');
          assert.equal((await rows()).length, 1);
          const recorded = retried.jobs.filter((j) => j.problem === null).length;
          const expected = failing === 'row' ? jobsAfterFailure : jobsBefore + recorded;
          assert.equal(await jobCount(), expected, 'every job once');
        }
      }),
      { numRuns: 40 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobsOf, reasonOf, verdictOf } from './mail-support.ts';

describe('generic CSV report (Backup Radar convention)', () => {
  it('each row of the first CSV attachment is a job: Success → success, Warning → warning, Failure → failed', async () => {
    const verdict = await verdictOf('csv-report-mixed.eml');
    assert.equal(verdict.parser, 'csv-report');
    assert.deepEqual(jobsOf(verdict).map((j) => [j.device, j.status]), [['DC01', 'success'], ['SQL01', 'warning'], ['nas-02', 'failed']]);
  });

  it('Backup Date is read in the tenant time zone, ISO or US month-first', async () => {
    const jobs = jobsOf(await verdictOf('csv-report-mixed.eml', { timeZone: 'America/New_York' }));
    assert.equal(jobs[0]!.endedAt, Date.parse('2026-12-03T03:05:00Z'));
    assert.equal(jobs[2]!.endedAt, Date.parse('2026-12-03T04:45:00Z')); // 12/2/2026 11:45 PM EST
  });

  it('the optional Data Size, Job and Client columns become bytes and the message', async () => {
    const jobs = jobsOf(await verdictOf('csv-report-mixed.eml'));
    assert.equal(jobs[0]!.bytes, 1_234_567);
    assert.equal(jobs[1]!.bytes, Math.round(48.5 * 1024 ** 3));
    assert.equal(jobs[0]!.message, 'Job "Nightly System State", client "Contoso"');
  });

  it('an ISO-8859-1 attachment in quoted-printable keeps its accented names; Successful and Finished are success, Fatal failed', async () => {
    const verdict = await verdictOf('csv-report-iso-8859-1.eml');
    assert.deepEqual(jobsOf(verdict).map((j) => [j.device, j.status]), [['WS-MÜLLER-01', 'success'], ['srv-bäckerei', 'failed'], ['WS-MÜLLER-02', 'success']]);
    assert.equal(jobsOf(verdict)[1]!.endedAt, Date.parse('2026-12-02T19:30:00Z'), 'an explicit offset is kept');
  });

  it('a report without a required column is unreadable and names the column', async () => {
    assert.match(reasonOf(await verdictOf('csv-report-missing-column.eml')), /lacks the column\(s\) Backup Date/);
  });

  it('a row with an unknown status is left out and the others are kept (Normal → success, Error → failed)', async () => {
    const verdict = await verdictOf('csv-report-bad-row.eml');
    assert.deepEqual(jobsOf(verdict).map((j) => [j.device, j.status]), [['DC01', 'success'], ['FS01', 'failed']]);
    assert.deepEqual((verdict.result as { skipped?: string[] }).skipped, ['row 3: Status "Pending" is not one of Success, Successful, Finished, Normal, Warning, Failure, Failed, Error, Fatal']);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobsOf, reasonOf, verdictOf } from './mail-support.ts';

describe('Duplicati mail reports', () => {
  it('a Backup report is one job of the device named like the backup, timed by BeginTime and EndTime', async () => {
    const verdict = await verdictOf('duplicati-backup-success.eml');
    assert.equal(verdict.parser, 'duplicati');
    const [job] = jobsOf(verdict);
    assert.equal(job!.device, 'WS-ANNA');
    assert.equal(job!.status, 'success');
    assert.equal(job!.startedAt, Date.parse('2026-12-02T22:00:01Z'));
    assert.equal(job!.endedAt, Date.parse('2026-12-02T22:05:12Z'));
  });

  it('the size is SizeOfExaminedFiles of the report, not of the nested backend statistics', async () => {
    const [job] = jobsOf(await verdictOf('duplicati-backup-success.eml'));
    assert.equal(job!.bytes, 39_219_384_320);
  });

  it('a Warning report from a quoted-printable ISO-8859-1 body is a warning job naming the warning', async () => {
    const [job] = jobsOf(await verdictOf('duplicati-backup-warning-qp.eml'));
    assert.equal(job!.device, 'Büro-PC');
    assert.equal(job!.status, 'warning');
    assert.match(job!.message!, /Failed to process path: C:\\Users\\Jürgen\\NTUSER\.DAT/);
  });

  it('a Fatal report without times is a failed job at the mail date, carrying the error', async () => {
    const [job] = jobsOf(await verdictOf('duplicati-backup-fatal.eml'));
    assert.equal(job!.status, 'failed');
    assert.equal(job!.endedAt, Date.parse('2026-12-02T22:05:20Z'));
    assert.match(job!.message!, /please run repair/);
  });

  it('a Restore report is claimed but is no backup result', async () => {
    assert.match(reasonOf(await verdictOf('duplicati-restore-report.eml')), /Restore report is not a backup result/);
  });
});

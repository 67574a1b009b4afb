import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jobsOf, reasonOf, verdictOf } from './mail-support.ts';

const utc = (text: string) => Date.parse(text);

describe('Veeam job notifications', () => {
  it('a B&R job of 3 VMs is one job per VM, named like the VM, with its size and times', async () => {
    const verdict = await verdictOf('veeam-br-success-3-vms.eml');
    assert.equal(verdict.parser, 'veeam');
    const jobs = jobsOf(verdict);
    assert.deepEqual(jobs.map((j) => [j.device, j.status]), [['DC01', 'success'], ['SQL01', 'success'], ['FS01', 'success']]);
    assert.equal(jobs[0]!.startedAt, utc('2026-12-02T22:00:31Z'));
    assert.equal(jobs[0]!.endedAt, utc('2026-12-02T22:07:02Z'));
    assert.equal(jobs[0]!.bytes, 60 * 1024 ** 3);
    assert.match(jobs[0]!.message!, /Daily Servers/);
  });

  it('an object ending after midnight ends on the next day', async () => {
    const fs01 = jobsOf(await verdictOf('veeam-br-success-3-vms.eml')).find((j) => j.device === 'FS01')!;
    assert.equal(fs01.startedAt, utc('2026-12-02T23:58:02Z'));
    assert.equal(fs01.endedAt, utc('2026-12-03T00:14:33Z'));
  });

  it('the date comes from the report header, not from the job description above it', async () => {
    // The description says "Created by … at 11/3/2026"; the session is on 2 December.
    const [first] = jobsOf(await verdictOf('veeam-br-success-3-vms.eml'));
    assert.equal(new Date(first!.startedAt).toISOString().slice(0, 10), '2026-12-02');
  });

  it('times of day are wall-clock times in the tenant time zone', async () => {
    const [first] = jobsOf(await verdictOf('veeam-br-success-3-vms.eml', { timeZone: 'Europe/Berlin' }));
    assert.equal(first!.startedAt, utc('2026-12-02T21:00:31Z'));
  });

  it('a warning object keeps its details, decoded from windows-1252 quoted-printable', async () => {
    const jobs = jobsOf(await verdictOf('veeam-br-warning-windows-1252.eml'));
    assert.deepEqual(jobs.map((j) => [j.device, j.status]), [['FILESRV-Zürich', 'warning'], ['print01', 'success']]);
    assert.match(jobs[0]!.message!, /Changed block tracking is disabled – résumé/);
    assert.equal(jobs[0]!.bytes, 2 * 1024 ** 4);
  });

  it('a failed Veeam Agent machine is a failed job carrying the error', async () => {
    const [laptop] = jobsOf(await verdictOf('veeam-agent-failed-1-machine.eml'));
    assert.equal(laptop!.device, 'LAPTOP-07');
    assert.equal(laptop!.status, 'failed');
    assert.match(laptop!.message!, /network path was not found/);
    assert.equal(laptop!.bytes, 0);
  });

  it('Microsoft 365 objects ("N objects", "Month D, YYYY" header) are read the same way', async () => {
    const jobs = jobsOf(await verdictOf('veeam-m365-warning-2-objects.eml'));
    assert.deepEqual(jobs.map((j) => [j.device, j.status]), [['alice@contoso.com', 'success'], ['bob@contoso.com', 'warning']]);
    assert.equal(jobs[1]!.startedAt, utc('2026-12-02T02:20:35Z'));
    assert.match(jobs[1]!.message!, /skipped/);
  });

  it('a Veeam subject without the HTML table is claimed but unreadable, with what to change', async () => {
    const verdict = await verdictOf('veeam-plain-text-no-table.eml');
    assert.equal(verdict.parser, 'veeam');
    assert.match(reasonOf(verdict), /no per-object table.*as HTML/);
  });

  it('other subjects are left to the next parser', async () => {
    assert.notEqual((await verdictOf('duplicati-backup-success.eml')).parser, 'veeam');
    assert.notEqual((await verdictOf('unknown-newsletter.eml')).parser, 'veeam');
  });
});

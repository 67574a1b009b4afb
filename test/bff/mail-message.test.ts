import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMailbox, parseMessage } from '../../bff/inbound/mail/index.ts';
import { findLocalDate, parseReportTime, parseTimeOfDay } from '../../bff/inbound/mail/report-time.ts';
import { parseDataSize } from '../../bff/inbound/mail/report-values.ts';
import { fixture } from './mail-support.ts';

describe('parseMessage', () => {
  it('reads sender, recipients, subject, date and Message-ID without angle brackets', async () => {
    const message = await parseMessage(fixture('veeam-br-warning-windows-1252.eml'));
    assert.equal(message.from, 'veeam@vbr01.contoso.local');
    assert.deepEqual(message.to, ['acme+contoso@mail.backup-health.test']);
    assert.equal(message.subject, '[Warning] File Server Backup (2 VMs) 1 warning');
    assert.equal(message.date, Date.parse('2026-12-01T21:52:20Z'));
    assert.equal(message.messageId, '20261201215220.99F1@vbr01.contoso.local');
  });

  it('decodes a windows-1252 quoted-printable HTML body', async () => {
    const message = await parseMessage(fixture('veeam-br-warning-windows-1252.eml'));
    assert.match(message.html, /FILESRV-Zürich/);
    assert.match(message.html, /disabled – résumé/);
  });

  it('decodes an ISO-8859-1 encoded-word subject and keeps the attachment with its charset', async () => {
    const message = await parseMessage(fixture('csv-report-iso-8859-1.eml'));
    assert.equal(message.subject, 'Backup CSV Report für Müller GmbH');
    assert.equal(message.attachments.length, 1);
    assert.equal(message.attachments[0]!.filename, 'mueller.csv');
    assert.equal(message.attachments[0]!.charset, 'iso-8859-1');
  });

  it('decodes a base64 body', async () => {
    assert.match((await parseMessage(fixture('veeam-agent-failed-1-machine.eml'))).html, /LAPTOP-07/);
  });

  it('a message cut off inside an attachment header still reads (found by fuzzing)', async () => {
    const raw = fixture('csv-report-bad-row.eml');
    const cut = raw.subarray(0, raw.indexOf('Content-Type:', raw.indexOf('Attached')) + 'Content-Type:'.length);
    const message = await parseMessage(cut);
    assert.equal(message.subject, 'Backup CSV Report (daily)');
    assert.deepEqual(message.attachments.map((a) => a.contentType), ['application/octet-stream']);
  });

  it('a message of no headers at all reads as empty fields', async () => {
    const message = await parseMessage(Buffer.from('just some bytes\r\n'));
    assert.equal(message.subject, '');
    assert.equal(message.messageId, null);
    assert.equal(message.from, '');
  });
});

describe('mailbox addresses', () => {
  it('the part before + is the key, after it the client id', () => {
    assert.deepEqual(parseMailbox('k3y+client-7@mail.example'), { key: 'k3y', clientId: 'client-7' });
    assert.deepEqual(parseMailbox('k3y@mail.example'), { key: 'k3y', clientId: null });
    assert.equal(parseMailbox('@mail.example'), null);
  });
});

describe('report dates, times and sizes', () => {
  it('dates in the forms products print', () => {
    assert.deepEqual(findLocalDate('Wednesday, 2 December 2026 22:00')?.date, { year: 2026, month: 12, day: 2 });
    assert.deepEqual(findLocalDate('December 2, 2026')?.date, { year: 2026, month: 12, day: 2 });
    assert.deepEqual(findLocalDate('12/2/2026')?.date, { year: 2026, month: 12, day: 2 });
    assert.deepEqual(findLocalDate('2.12.2026')?.date, { year: 2026, month: 12, day: 2 });
    assert.deepEqual(findLocalDate('25/12/2026')?.date, { year: 2026, month: 12, day: 25 }, 'a day above 12 can only be day-first');
    assert.equal(findLocalDate('no date here 99/99/2026'), null);
  });

  it('times of day with seconds, AM/PM and fractions', () => {
    assert.equal(parseTimeOfDay('22:07:02'), 22 * 3600 + 7 * 60 + 2);
    assert.equal(parseTimeOfDay('10:05:12 PM'), 22 * 3600 + 5 * 60 + 12);
    assert.equal(parseTimeOfDay('12:30 AM'), 30 * 60);
    assert.equal(parseTimeOfDay('00:05:11.0312340'), 311);
    assert.equal(parseTimeOfDay('25:00'), null);
  });

  it('a time with an offset is kept; one without is wall-clock time in the zone, across DST', () => {
    assert.equal(parseReportTime('2026-12-02T20:30:00+01:00', 'UTC'), Date.parse('2026-12-02T19:30:00Z'));
    assert.equal(parseReportTime('2026-07-02 20:30', 'Europe/Berlin'), Date.parse('2026-07-02T18:30:00Z'));
    assert.equal(parseReportTime('2026-12-02 20:30', 'Europe/Berlin'), Date.parse('2026-12-02T19:30:00Z'));
  });

  it('sizes in binary units, with decimal commas and thousands separators', () => {
    assert.equal(parseDataSize('60 GB'), 60 * 1024 ** 3);
    assert.equal(parseDataSize('640,5 MB'), Math.round(640.5 * 1024 ** 2));
    assert.equal(parseDataSize('1,234,567'), 1_234_567);
    assert.equal(parseDataSize('0 B'), 0);
    assert.equal(parseDataSize('lots'), null);
  });
});

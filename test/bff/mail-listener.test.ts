import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import nodemailer from 'nodemailer';
import { readEnvironment } from '../../bff/env.ts';
import { MAX_MAIL_BYTES, startMailListener, type MailListener } from '../../bff/inbound/mail/index.ts';
import { startBff } from '../../bff/start.ts';
import { testApp, type TestApp } from './harness.ts';
import { deviceJobs, enrollNamed, fixture, inboxOf, MAIL_NOW, mailboxKeyOf, storedMail } from './mail-support.ts';

let app: TestApp;
let listener: MailListener;
let address: string;

const transport = (port: number) => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });

describe('SMTP listener', () => {
  beforeEach(async () => {
    app = await testApp({ now: MAIL_NOW });
    listener = await startMailListener({ inbox: inboxOf(app), port: 0, host: '127.0.0.1' });
    address = `${await mailboxKeyOf(app, app.tenant.id)}@reports.backup-health.test`;
  });
  afterEach(async () => {
    await listener.close();
    app.close();
  });

  it('a Veeam report sent through SMTP becomes jobs on the devices', async () => {
    await enrollNamed(app, [{ id: 'dc01', name: 'DC01' }, { id: 'sql01', name: 'SQL01' }, { id: 'fs01', name: 'FS01' }]);
    await transport(listener.port).sendMail({ envelope: { from: 'veeam@vbr01.contoso.local', to: [address] }, raw: fixture('veeam-br-success-3-vms.eml') });
    assert.deepEqual((await deviceJobs(app, 'fs01')).map((j) => [j.status, j.endedAt]), [['success', '2026-12-03T00:14:33.000Z']]);
  });

  it('a CSV report composed by nodemailer (attachment, plus address) is read from its attachment', async () => {
    await enrollNamed(app, [{ id: 'srv1', name: 'SRV-1', clientId: 'fabrikam' }]);
    await transport(listener.port).sendMail({
      from: 'rmm@fabrikam.net',
      to: address.replace('@', '+fabrikam@'),
      subject: 'Backup Report CSV – nightly',
      text: 'Report attached.',
      attachments: [{ filename: 'report.csv', content: 'Device,Status,Backup Date,Data Size\r\nSRV-1,Failed,2026-12-04 23:00,0\r\n', contentType: 'text/csv' }],
    });
    const [stored] = (await inboxOf(app).list(app.tenant.id)).items;
    assert.equal(stored!.clientId, 'fabrikam');
    assert.equal(stored!.state, 'parsed');
    assert.deepEqual((await deviceJobs(app, 'srv1')).map((j) => j.status), ['failed']);
  });

  it('a recipient that names no tenant is refused with 550 at RCPT TO', async () => {
    await assert.rejects(
      transport(listener.port).sendMail({ envelope: { from: 'x@example.com', to: ['nobody@reports.backup-health.test'] }, raw: fixture('unknown-newsletter.eml') }),
      (error: { responseCode?: number }) => error.responseCode === 550,
    );
    assert.deepEqual(await storedMail(app), []);
  });

  it('a failure while storing answers 451, so the sender tries again later', async () => {
    const inbox = inboxOf(app);
    const failing = await startMailListener({ inbox: Object.assign(Object.create(inbox) as typeof inbox, { deliver: () => Promise.reject(new Error('disk I/O error')) }), port: 0, host: '127.0.0.1' });
    try {
      await assert.rejects(
        transport(failing.port).sendMail({ envelope: { from: 'x@example.com', to: [address] }, raw: fixture('unknown-newsletter.eml') }),
        (error: { responseCode?: number }) => error.responseCode === 451,
      );
    } finally {
      await failing.close();
    }
  });

  it('a message over 10 MB is refused with 552 and nothing is stored', async () => {
    const attachment = Buffer.alloc(MAX_MAIL_BYTES + 64 * 1024, 'A');
    await assert.rejects(
      transport(listener.port).sendMail({ from: 'veeam@vbr01.contoso.local', to: address, subject: '[Success] Huge (1 VMs)', text: 'see attachment', attachments: [{ filename: 'big.bin', content: attachment }] }),
      (error: { responseCode?: number }) => error.responseCode === 552,
    );
    assert.deepEqual(await storedMail(app), []);
    // The connection stays usable for the next message.
    await transport(listener.port).sendMail({ envelope: { from: 'x@example.com', to: [address] }, raw: fixture('unknown-newsletter.eml') });
    assert.equal((await storedMail(app)).length, 1);
  });
});

describe('BHM_MAIL_INGEST_PORT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bhm-mail-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is off unless set, and must be a port number', () => {
    assert.equal(readEnvironment({}).mailIngestPort, undefined);
    assert.equal(readEnvironment({ BHM_MAIL_INGEST_PORT: '' }).mailIngestPort, undefined);
    assert.equal(readEnvironment({ BHM_MAIL_INGEST_PORT: '2525' }).mailIngestPort, 2525);
    assert.throws(() => readEnvironment({ BHM_MAIL_INGEST_PORT: 'smtp' }), /BHM_MAIL_INGEST_PORT/);
  });

  it('a started BFF listens for mail; a report sent to it shows its job in GET /devices/:id', async () => {
    const adminKey = 'bootstrap-key-for-mail-tests-0123';
    const bff = await startBff(
      readEnvironment({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `file:${join(dir, 'bff.db')}`, BHM_BOOTSTRAP_KEY: adminKey, BHM_MAIL_INGEST_PORT: '0' }),
      { background: false, clock: () => MAIL_NOW },
    );
    try {
      assert.ok(bff.mail, 'the listener runs');
      const api = (method: string, path: string, body?: unknown) =>
        fetch(`${bff.url}/api/v1/${path}`, { method, headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      await api('PUT', 'clients/anna', { name: 'Anna' });
      await api('PUT', 'policies/daily', { name: 'Daily', intervalHours: 24 });
      assert.equal((await api('PUT', 'devices/ws-anna', { clientId: 'anna', name: 'WS-ANNA', kind: 'workstation', policyId: 'daily' })).status, 201);

      const to = `${await mailboxKeyOf(bff.deps, 'default')}@reports.backup-health.test`;
      await transport(bff.mail.listener.port).sendMail({ envelope: { from: 'duplicati@ws-anna.fabrikam.net', to: [to] }, raw: fixture('duplicati-backup-success.eml') });
      const detail = (await (await api('GET', 'devices/ws-anna')).json()) as { jobs: { status: string; bytes: number }[] };
      assert.deepEqual(detail.jobs.map((j) => [j.status, j.bytes]), [['success', 39_219_384_320]]);
    } finally {
      await bff.close();
    }
  });
});

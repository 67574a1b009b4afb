/**
 * Compliance exports: the CSV and the PDF carry the same figures as
 * `GET /compliance`, read back with papaparse and pdftotext.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import Papa from 'papaparse';
import type { ComplianceReport } from '../../core/api.ts';
import { toWinAnsi } from '../../bff/services/exports/pdf-fonts.ts';
import { formatDateTime } from '../../bff/services/mail/format.ts';
import { embedToken, ok, putDevice, seedFleet } from './fleet.ts';
import { testApp, type TestApp } from './harness.ts';
import { pdfText } from './pdf-text.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await seedFleet(t);
});
afterEach(() => t.close());

const exportFile = async (query: string, token?: string) => {
  const result = await t.request('GET', `compliance/export?${query}`, token ? { token } : {});
  assert.equal(result.status, 200, `HTTP ${result.status}`);
  return { headers: result.headers, body: Buffer.from(await result.response.arrayBuffer()) };
};

// No options beyond `header`: the file is plain RFC 4180 (papaparse skips the BOM itself).
const csvRows = (csv: string) => Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

/** The CSV columns a JSON compliance device should produce. */
const expectedRow = (entry: ComplianceReport['devices'][number], generatedAt: string) => ({
  'client id': entry.client.id,
  client: entry.client.name,
  'device id': entry.device.id,
  device: entry.device.name,
  kind: entry.device.kind,
  'SLA hours': String(entry.maxHours),
  'last success': entry.lastSuccessAt ?? '',
  state: entry.state,
  'breach since': entry.breachSince ?? '',
  'breach hours': entry.breachHours === null ? '' : String(entry.breachHours),
  'generated at': generatedAt,
});

describe('CSV', () => {
  test('parsed back with papaparse, the rows equal GET /compliance', async () => {
    const report: ComplianceReport = await ok(t.request('GET', 'compliance'));
    const { body } = await exportFile('format=csv');
    assert.deepEqual(csvRows(body.toString('utf8')), report.devices.map((entry) => expectedRow(entry, report.generatedAt)));
  });

  test("is RFC 4180 with the header first: Python's csv.DictReader reads back the same rows as papaparse", async () => {
    await putDevice(t, 'ws-quoted', { clientId: 'contoso', name: 'Réception, "front desk" PC', kind: 'workstation', policyId: 'daily' });
    const { body } = await exportFile('format=csv&client=contoso');
    const csv = body.toString('utf8');
    assert.ok(csv.startsWith('\uFEFFclient id,client,device id'), 'the header row comes first');
    const folder = mkdtempSync(join(tmpdir(), 'bh-csv-'));
    const file = join(folder, 'report.csv');
    writeFileSync(file, body);
    try {
      const script = "import csv, json, sys\nwith open(sys.argv[1], newline='', encoding='utf-8-sig') as f: print(json.dumps(list(csv.DictReader(f))))";
      const python = JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>[];
      assert.deepEqual(python, csvRows(csv));
      assert.equal(python.find((row) => row['device id'] === 'ws-quoted')?.device, 'Réception, "front desk" PC');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('is an attachment named for the client and date', async () => {
    const { headers } = await exportFile('format=csv&client=contoso');
    assert.equal(headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(headers.get('content-disposition'), 'attachment; filename="sla-compliance-contoso-2026-11-24.csv"');
  });

  test('a device name that a spreadsheet would run as a formula is escaped', async () => {
    await putDevice(t, 'ws-evil', { clientId: 'contoso', name: '=HYPERLINK("http://evil.example","click")', kind: 'workstation', policyId: 'daily' });
    const rows = csvRows((await exportFile('format=csv')).body.toString('utf8'));
    assert.equal(rows.find((row) => row['device id'] === 'ws-evil')!.device, `'=HYPERLINK("http://evil.example","click")`);
  });

  test('defaults to CSV without a format', async () => {
    const { headers } = await exportFile('');
    assert.match(headers.get('content-type')!, /^text\/csv/);
  });
});

describe('PDF', () => {
  test('read back with pdftotext it holds the title, client, compliance % and every device', async () => {
    const report: ComplianceReport = await ok(t.request('GET', 'compliance?client=contoso'));
    const { headers, body } = await exportFile('format=pdf&client=contoso');
    assert.equal(headers.get('content-type'), 'application/pdf');
    assert.equal(headers.get('content-disposition'), 'attachment; filename="sla-compliance-contoso-2026-11-24.pdf"');
    const text = pdfText(body);
    assert.match(text, /Backup SLA compliance report/);
    assert.match(text, /Client: Contoso/);
    assert.ok(text.includes(`Compliance: ${report.summary.percent} %`), text);
    assert.ok(text.includes(`Meeting ${report.summary.meeting} · Breach ${report.summary.breach} · Pending ${report.summary.pending}`));
    assert.ok(report.devices.length >= 4);
    for (const entry of report.devices) assert.ok(text.includes(entry.device.name), `${entry.device.name} missing`);
    assert.match(text, /Workstations 24 h · Servers 12 h · SaaS 36 h/);
  });

  test("every time is in the client's timezone, labelled; the whole tenant's in the tenant's", async () => {
    await ok(t.request('PUT', 'clients/contoso', { body: { name: 'Contoso', timezone: 'Europe/Berlin' } }));
    const client = pdfText((await exportFile('format=pdf&client=contoso')).body);
    // 2026-11-24 (the harness's day) is winter time in Berlin.
    assert.match(client, /\(times in Europe\/Berlin\)/);
    assert.match(client, /Generated: 24 Nov 2026, \d{2}:\d{2} CET/);
    const report: ComplianceReport = await ok(t.request('GET', 'compliance?client=contoso'));
    for (const entry of report.devices) if (entry.lastSuccessAt) assert.ok(client.includes(formatDateTime(entry.lastSuccessAt, 'Europe/Berlin')), entry.device.name);
    assert.doesNotMatch(client, /UTC/);
    await ok(t.request('PUT', 'settings/reports', { body: { timezone: 'America/Chicago' } }));
    assert.match(pdfText((await exportFile('format=pdf')).body), /\(times in America\/Chicago\)/);
  });

  test('the whole tenant prints as "All clients"', async () => {
    assert.match(pdfText((await exportFile('format=pdf')).body), /Client: All clients/);
  });

  test('the whole tenant starts with the clients worst first, then the devices with breaches first', async () => {
    const report: ComplianceReport = await ok(t.request('GET', 'compliance'));
    const text = pdfText((await exportFile('format=pdf')).body);
    const clients = text.indexOf('Clients, worst first');
    const devices = text.indexOf('Devices, worst first');
    assert.ok(clients > 0 && devices > clients, text);
    const breached = report.devices.filter((d) => d.state === 'breach');
    const meeting = report.devices.filter((d) => d.state === 'meeting');
    assert.ok(breached.length > 0 && meeting.length > 0);
    const table = text.slice(devices);
    assert.ok(Math.max(...breached.map((d) => table.indexOf(d.device.name))) < Math.min(...meeting.map((d) => table.indexOf(d.device.name))), table);
  });

  test('a long fleet breaks across pages with the table header repeated and "Page n of m" footers', async () => {
    for (let i = 0; i < 90; i++) {
      await putDevice(t, `ws-${String(i).padStart(3, '0')}`, { clientId: 'contoso', name: `Workstation ${String(i).padStart(3, '0')}`, kind: 'workstation', policyId: 'daily' });
    }
    const text = pdfText((await exportFile('format=pdf')).body);
    const pages = [...text.matchAll(/Page (\d+) of (\d+)/g)];
    assert.ok(pages.length >= 3, `${pages.length} pages`);
    assert.deepEqual(pages.map((match) => Number(match[1])), pages.map((_, i) => i + 1));
    assert.ok(pages.every((match) => Number(match[2]) === pages.length));
    assert.equal([...text.matchAll(/Last success/g)].length, pages.length, 'the table header on every page');
    for (let i = 0; i < 90; i++) assert.ok(text.includes(`Workstation ${String(i).padStart(3, '0')}`));
  });

  test('without an embedded font, text is reduced to what Helvetica can encode', () => {
    assert.equal(toWinAnsi('Łódź — café 東京\n€'), 'Lódz — café ?? €');
  });
});

describe('access', () => {
  test('a client-scoped token exports its own client only', async () => {
    const token = await embedToken(t, 'fabrikam');
    const rows = csvRows((await exportFile('format=csv', token)).body.toString('utf8'));
    assert.ok(rows.length > 0);
    assert.ok(rows.every((row) => row['client id'] === 'fabrikam'));
  });

  test("a client-scoped token asking for another client's export gets 404", async () => {
    const token = await embedToken(t, 'fabrikam');
    assert.equal((await t.request('GET', 'compliance/export?format=pdf&client=contoso', { token })).status, 404);
  });

  test('an unknown client is 404 and an unknown format 422', async () => {
    assert.equal((await t.request('GET', 'compliance/export?format=csv&client=nope')).status, 404);
    const bad = await t.request('GET', 'compliance/export?format=xlsx');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.errors[0].path, 'format');
  });

  test('needs a credential', async () => {
    assert.equal((await t.request('GET', 'compliance/export?format=csv', { token: null })).status, 401);
  });
});

/**
 * The compliance report over a period as a PDF (docs/reports.md), read back with pdftotext:
 * a seeded client with known breaches across the October DST change in Berlin gives
 * the hand-computed figures, every time in the client's timezone with its label, the
 * summary first, then breaches, the weekly chart and the devices worst first, under
 * the MSP's branding. The tenant-wide PDF starts with the clients, worst first.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Papa from 'papaparse';
import { embedToken, ok, putDevice } from './fleet.ts';
import { testApp, type TestApp } from './harness.ts';
import { BERLIN_NOW, seedBerlinOctober } from './period-fixture.ts';
import { pdfText } from './pdf-text.ts';

let t: TestApp;
before(async () => {
  t = await testApp({ now: Date.parse('2026-09-27T00:00:00Z') });
  await seedBerlinOctober(t);
  await ok(t.request('PUT', 'settings/branding', { body: { mspName: 'Northwind IT Services', accentColor: '#0b4f6c' } }));
});
after(() => t.close());

const exportFile = async (query: string, token?: string) => {
  const result = await t.request('GET', `compliance/export?${query}`, token ? { token } : {});
  assert.equal(result.status, 200, `HTTP ${result.status} ${JSON.stringify(result.json)}`);
  return { headers: result.headers, body: Buffer.from(await result.response.arrayBuffer()) };
};

/** Asserts that the fragments occur in this order. */
function inOrder(text: string, fragments: string[]): void {
  let at = -1;
  for (const fragment of fragments) {
    const next = text.indexOf(fragment, at + 1);
    assert.ok(next > at, `"${fragment}" after position ${at}:\n${text}`);
    at = next;
  }
}

describe("a client's period PDF", () => {
  let text: string;
  let headers: Headers;
  before(async () => {
    const file = await exportFile('format=pdf&client=berlin&period=month');
    headers = file.headers;
    text = pdfText(file.body);
  });

  test('is an attachment named for the client and the period', () => {
    assert.equal(headers.get('content-type'), 'application/pdf');
    assert.equal(headers.get('content-disposition'), 'attachment; filename="sla-compliance-berlin-2026-10-01-to-2026-11-01.pdf"');
  });

  test("states the period in the client's timezone, with the zone's label on every time", () => {
    assert.match(text, /Client: Berlin GmbH/);
    assert.match(text, /Period: 1 Oct 2026, 00:00 CEST – 1 Nov 2026, 00:00 CET/);
    assert.match(text, /all times in Europe\/Berlin/);
  });

  test('the summary matches the hand-computed figures: 97.6 % meeting, 2 devices, 1 breach of 36 h', () => {
    assert.match(text, /Meeting SLA: 97\.6 % of the time/);
    assert.match(text, /Devices 2 · Devices with a breach 1 · Breaches 1 · Hours in breach 36/);
  });

  test('the breach is listed with its start and end in local time and its duration, across the DST change', () => {
    assert.match(text, /SRV Gap\s+24 Oct 2026, 16:00 CEST\s+26 Oct 2026, 03:00 CET\s+36 h/);
  });

  test('the weekly chart has five weeks: 100 % except the week of the breach, 302 of 338 h = 89.3 %', () => {
    assert.match(text, /Compliance per week/);
    assert.equal([...text.matchAll(/89\.3 %/g)].length, 1);
    for (const day of ['1 Oct', '8 Oct', '15 Oct', '22 Oct', '29 Oct']) assert.ok(text.includes(day), day);
  });

  test('reads summary first, then breaches, the weekly chart, and the devices worst first', () => {
    inOrder(text, ['Meeting SLA: 97.6 %', 'Breaches (1)', 'Compliance per week', 'Devices, worst first', 'SRV Gap', '95.2 %', 'SRV Steady', '100 %']);
  });

  test("carries the MSP's name from the branding settings", () => {
    assert.match(text, /Northwind IT Services/);
    assert.match(text, /Prepared by: Northwind IT Services/);
  });
});

describe('the tenant-wide period PDF', () => {
  test('starts with the per-client summary table, worst first, then each client with its breaches', async () => {
    // Acme's server never backed up: in breach since its SLA window after enrolment ran out, all October (0 %).
    t.clock.set(Date.parse('2026-09-28T00:00:00Z'));
    await ok(t.request('PUT', 'clients/acme', { body: { name: 'Acme Ltd' } }));
    await putDevice(t, 'acme-srv', { clientId: 'acme', name: 'Acme Server', kind: 'server', policyId: 'ten-hourly' });
    t.clock.set(BERLIN_NOW);
    const text = pdfText((await exportFile('format=pdf&from=2026-10-01T00:00:00Z&to=2026-11-01T00:00:00Z')).body);
    assert.match(text, /Client: All clients/);
    inOrder(text, ['Clients, worst first', 'Acme Ltd', 'Berlin GmbH', 'Compliance per week', 'Acme Ltd: meeting SLA 0 %', 'Acme Server', 'Berlin GmbH: meeting SLA 97.6 %', 'SRV Gap', 'SRV Steady']);
  });
});

describe('period exports', () => {
  test('the CSV over a period has the header first and one row per device, worst first, naming the period and timezone', async () => {
    const csv = (await exportFile('format=csv&client=berlin&period=month')).body.toString('utf8');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    assert.deepEqual(rows.map((row) => [row.device, row['meeting SLA %'], row['breach hours'], row.breaches]), [['SRV Gap', '95.2', '36', '1'], ['SRV Steady', '100', '0', '0']]);
    assert.ok(rows.every((row) => row.timezone === 'Europe/Berlin' && row['period from'] === '2026-09-30T22:00:00.000Z'));
  });

  test('a period before any device was enrolled says that nothing was counted, not "n/a of the time"', async () => {
    const text = pdfText((await exportFile('format=pdf&client=berlin&from=2025-01-01&to=2025-01-31')).body);
    assert.match(text, /Meeting SLA: n\/a \(no device time counted\)/);
    assert.doesNotMatch(text, /of the time/);
  });

  test('a bad period is a 422 naming the parameter, as for GET /compliance', async () => {
    const bad = await t.request('GET', 'compliance/export?format=pdf&client=berlin&from=2026-10-01T00:00:00Z');
    assert.equal(bad.status, 422);
    assert.equal(bad.json.errors[0].path, 'to');
  });

  test("a client-scoped token gets its own client's period PDF, and 404 for another's", async () => {
    const token = await embedToken(t, 'berlin');
    assert.match(pdfText((await exportFile('format=pdf&period=month', token)).body), /Client: Berlin GmbH/);
    assert.equal((await t.request('GET', 'compliance/export?format=pdf&period=month&client=acme', { token })).status, 404);
  });
});

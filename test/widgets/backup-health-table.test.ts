import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { DeviceItem, DeviceListItem, Page } from '../../core/api.ts';
import '../../widgets/backup-health-table/index.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import { devicesFilename, devicesToCsv } from '../../widgets/backup-health-table/device-csv.ts';
import type { BackupHealthDeviceDetail } from '../../widgets/backup-health-device-detail/component.ts';
import { formatBytes } from '../../widgets/shared/format.ts';
import { STATUS_LABELS } from '../../widgets/shared/labels.ts';
import { $, $$, apiGet, choose, countRequests, expectAccessible, ingest, mount, nextEvent, selectLabelled, testEnv, text, until, type TestEnv } from './support.ts';

const rowsOf = (table: BackupHealthTable) => $$(table, '.body [role="row"]');
const namesOf = (table: BackupHealthTable) => table.rows.map((device) => device.name);
const header = (table: BackupHealthTable, label: string) => $$(table, '[role="columnheader"]').find((cell) => text(cell) === label)!;

async function allDevices(query = ''): Promise<DeviceItem[]> {
  const devices: DeviceItem[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<DeviceItem> = await apiGet(`/devices?limit=500${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    devices.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return devices;
}

describe('<backup-health-table>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountTable(attributes: { token?: string; client?: string; pageSize?: number } = {}): Promise<BackupHealthTable> {
    const table = await mount<BackupHealthTable>(
      html`<backup-health-table api-base=${env.apiBase} token=${attributes.token ?? env.tokens.read} client=${attributes.client ?? ''} page-size=${attributes.pageSize ?? 200}></backup-health-table>`,
    );
    await table.loadComplete;
    await until(() => rowsOf(table).length > 0 || $(table, '[part~="empty"], [part~="error"], [part~="auth-expired"]'), 'rows rendered');
    return table;
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    const table = await mountTable();
    await expectAccessible(table);
  });

  it("shows each device's last runs as a strip whose cells say their slot and result in words", async () => {
    const table = await mountTable();
    const [device] = table.rows as DeviceListItem[];
    const row = rowsOf(table)[0]!;
    const cells = [...row.querySelectorAll('[part~="runs"] li')];
    expect(cells.length).to.equal(device!.runs!.length);
    expect(cells.length).to.be.greaterThan(0);
    for (const [index, cell] of cells.entries()) {
      expect(text(cell)).to.contain(device!.runs![index]!.result);
      expect(cell.getAttribute('title')).to.equal(text(cell));
    }
    expect(text(row.querySelector('[data-column="policy"]'))).to.contain(device!.schedule!.text);
  });

  it('reloads its devices when the stream says reset (it fell too far behind)', async () => {
    const original = window.fetch;
    const encoder = new TextEncoder();
    let resets = 0;
    // The reset is sent once the first load is counted (a slow machine could otherwise see both before counting).
    let sendReset!: () => void;
    const resetSent = new Promise<void>((resolve) => (sendReset = resolve));
    // The real BFF answers everything but the stream, which sends a reset and stays open.
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.includes('/stream')) return original(input, init);
      resets += 1;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          void resetSent.then(() => controller.enqueue(encoder.encode(': connected\n\nid: 424242\nevent: reset\ndata: {"reason":"behind"}\n\n')));
        },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    };
    const requests = countRequests('/devices?');
    try {
      const table = await mountTable();
      const loaded = requests.count;
      expect(loaded).to.be.greaterThan(0);
      sendReset();
      await until(() => requests.count > loaded, 'devices fetched again after the reset', 5_000);
      await table.loadComplete;
      expect(table.rows.length).to.equal((await allDevices()).length);
      expect(resets).to.equal(1);
    } finally {
      requests.restore();
      window.fetch = original;
    }
  });

  it('renders every device of the API, each status as an icon and a word', async () => {
    const table = await mountTable();
    const expected = await allDevices();
    expect(table.rows.length).to.equal(expected.length);
    expect($(table, '[role="table"]')!.getAttribute('aria-rowcount')).to.equal(String(expected.length + 1));
    const first = rowsOf(table)[0]!;
    const device = table.rows[0]!;
    const status = first.querySelector('[part~="status"]')!;
    expect(status.querySelector('svg')).to.exist;
    expect(text(status)).to.equal(STATUS_LABELS[device.status]);
    expect(text(first)).to.contain(device.name).and.contain(device.client.name);
  });

  it('shows the first page at once and fetches the rest in the background', async () => {
    const table = await mount<BackupHealthTable>(html`<backup-health-table api-base=${env.apiBase} token=${env.tokens.read} page-size="10"></backup-health-table>`);
    await until(() => table.rows.length > 0, 'first page');
    const total = (await allDevices()).length;
    await table.loadComplete;
    expect(table.rows.length).to.equal(total);
    expect(new Set(table.rows.map((device) => device.id)).size).to.equal(total);
  });

  it('sorts through the API when a header is clicked, with aria-sort following', async () => {
    const table = await mountTable();
    const name = header(table, 'Device');
    expect(name.hasAttribute('aria-sort')).to.be.false;
    expect(header(table, 'Score').getAttribute('aria-sort')).to.equal('ascending');

    name.querySelector('button')!.click();
    await table.loadComplete;
    expect(name.getAttribute('aria-sort')).to.equal('ascending');
    expect(header(table, 'Score').hasAttribute('aria-sort')).to.be.false;
    const ascending = namesOf(table);
    expect(ascending).to.deep.equal((await allDevices('&sort=name&order=asc')).map((d) => d.name));

    name.querySelector('button')!.click();
    await table.loadComplete;
    expect(name.getAttribute('aria-sort')).to.equal('descending');
    expect(namesOf(table)).to.deep.equal([...ascending].reverse());
  });

  it('filters by status through the API', async () => {
    const table = await mountTable();
    choose(table, 'Status', 'critical');
    await table.loadComplete;
    const critical = await allDevices('&status=critical');
    expect(critical.length).to.be.greaterThan(0);
    expect(table.rows.map((d) => d.id)).to.have.members(critical.map((d) => d.id));
    await until(() => rowsOf(table).every((row) => row.dataset.status === 'critical'), 'only critical rows');
  });

  it('searches by text after the person stops typing', async () => {
    const table = await mountTable();
    const target = table.rows[3]!;
    const input = $<HTMLInputElement>(table, 'input[type="search"]')!;
    input.value = target.name;
    input.dispatchEvent(new Event('input'));
    const q = target.name.toLowerCase();
    await until(() => table.rows.length > 0 && table.rows.every((d) => d.name.toLowerCase().includes(q) || d.id.toLowerCase().includes(q)), 'search applied');
    expect(table.rows.map((d) => d.id)).to.include(target.id);
  });

  it('pre-filters by the client attribute and hides the client filter', async () => {
    const clientId = env.clientScoped.clientId;
    const table = await mountTable({ client: clientId });
    expect(table.rows.length).to.be.greaterThan(0);
    expect(table.rows.every((d) => d.client.id === clientId)).to.be.true;
    const labels = $$(table, 'label.field > span').map(text);
    expect(labels).to.include('Status').and.not.include('Client');
  });

  it('moves between rows with the arrow keys and opens a device with Enter', async () => {
    const table = await mountTable();
    await table.focusRow(0);
    await sendKeys({ press: 'ArrowDown' });
    await until(() => table.shadowRoot!.activeElement?.getAttribute('data-index') === '1', 'second row focused');

    const selected = nextEvent(table, 'bh-device-select');
    await sendKeys({ press: 'Enter' });
    const event = await selected;
    expect(event.detail).to.deep.equal({ deviceId: table.rows[1]!.id });
    expect(event.bubbles && event.composed).to.be.true;
    const dialog = $<HTMLDialogElement>(table, 'dialog')!;
    await until(() => dialog.open, 'detail open');

    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open, 'detail closed');
    await until(() => table.shadowRoot!.activeElement?.getAttribute('data-index') === '1', 'focus back on the row');
  });

  it('marks a device in maintenance in its row and its detail panel: the window and until when', async () => {
    const table = await mountTable();
    const index = table.rows.findIndex((d) => d.id === env.maintenance.deviceId);
    expect(index).to.be.greaterThan(-1);
    expect(table.rows[index]!.maintenance!.name).to.equal(env.maintenance.windowName);
    await table.focusRow(index);
    const row = rowsOf(table).find((candidate) => candidate.dataset.index === String(index))!;
    expect(text(row.querySelector('[part~="maintenance"]'))).to.match(new RegExp(`^Maintenance: ${env.maintenance.windowName} until .+`));
    // Devices outside any window carry no marker.
    const other = rowsOf(table).find((candidate) => candidate.dataset.index !== String(index))!;
    expect(other.querySelector('[part~="maintenance"]')).to.equal(null);
    row.click();
    await until(() => $(table, 'backup-health-device-detail'), 'detail element');
    const detail = $<BackupHealthDeviceDetail>(table, 'backup-health-device-detail')!;
    await until(() => $(detail, '[part~="maintenance"]'), 'detail shows maintenance');
    const marker = $(detail, '[part~="maintenance"]')!;
    expect(text(marker)).to.contain(`Maintenance: ${env.maintenance.windowName} until`);
    expect(marker.querySelector('time')!.getAttribute('datetime')).to.equal(table.rows[index]!.maintenance!.until);
  });

  it('shows the score breakdown, SLA, history and a storage trend chart in the detail panel', async () => {
    const table = await mountTable();
    const index = table.rows.findIndex((d) => d.storage.usedBytes !== null);
    await table.focusRow(index);
    rowsOf(table).find((row) => row.dataset.index === String(index))!.click();
    const detail = await (async () => {
      await until(() => $(table, 'backup-health-device-detail'), 'detail element');
      return $<BackupHealthDeviceDetail>(table, 'backup-health-device-detail')!;
    })();
    await until(() => $(detail, '[part~="score-table"]'), 'detail loaded');
    const scoreTable = text($(detail, '[part~="score-table"]'));
    expect(scoreTable).to.contain('Recency').and.contain('Success rate').and.contain('DR test').and.contain('Storage').and.contain('Total');
    // The band sentence explains the score shown in the row, not only the points.
    const shown = table.rows[index]!;
    const band = text($(detail, '[part~="score-band"]'));
    if (shown.status === 'unknown') expect(band).to.contain('score 0');
    else expect(band).to.match(new RegExp(`devices score \\d+–\\d+: .* = ${shown.score}\\.$`));
    expect(text($(detail, 'section[aria-labelledby="sla-heading"]'))).to.match(/Meeting SLA|In breach|Pending/);
    await detail.chartReady;
    const canvas = $<HTMLCanvasElement>(detail, 'canvas.storage-chart')!;
    expect(canvas.getAttribute('aria-label')).to.contain('Storage used');
    await until(() => canvas.width > 0, 'chart drawn');
  });

  it('exports the current view as CSV through a cancelable bh-export', async () => {
    const table = await mountTable();
    choose(table, 'Status', 'warning');
    await table.loadComplete;
    setTimeout(() => $<HTMLButtonElement>(table, '[part~="export-button"]')!.click());
    const event = await nextEvent(table, 'bh-export');
    event.preventDefault(); // the test keeps the file instead of downloading it
    expect(event.detail.report).to.equal('devices');
    expect(event.detail.format).to.equal('csv');
    expect(event.detail.rowCount).to.be.greaterThan(0);
    const csv = (await event.detail.blob.text()).replace(/^\ufeff/, '');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).to.contain('Status').and.contain('Device').and.contain('Last successful backup');
    expect(lines.length).to.equal(event.detail.rowCount! + 1);
    expect(lines.slice(1).every((line) => line.startsWith('Warning,'))).to.be.true;
    expect(event.detail.filename).to.match(/^backup-health-devices-warning-\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('names an export after its view, so different views never share a file name', () => {
    expect(devicesFilename({}, '2026-11-24')).to.equal('backup-health-devices-2026-11-24.csv');
    expect(devicesFilename({ client: 'Contoso Dental', status: 'critical', kind: '', q: '' }, '2026-11-24')).to.equal('backup-health-devices-contoso-dental-critical-2026-11-24.csv');
    expect(devicesFilename({ client: 'Société Générale / Zürich', q: 'SRV 01' }, '2026-11-24')).to.equal('backup-health-devices-societe-generale-zurich-search-srv-01-2026-11-24.csv');
    expect(devicesFilename({ q: '../../etc' }, '2026-11-24')).to.equal('backup-health-devices-search-etc-2026-11-24.csv');
  });

  it('neutralises spreadsheet formulae in exported names', async () => {
    const device: DeviceItem = {
      id: 'x',
      name: '=HYPERLINK("http://evil.example","click")',
      kind: 'server',
      client: { id: 'c', name: '+Client' },
      policy: { id: 'p', name: 'Hourly', intervalHours: 1 },
      status: 'healthy',
      score: 95,
      lastSuccessAt: null,
      lastJobStatus: null,
      consecutiveFailures: 0,
      storage: { usedBytes: null, quotaBytes: null },
      maintenance: null,
    };
    const csv = await devicesToCsv([device]);
    expect(csv).to.contain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csv).to.contain(`'+Client`);
  });

  it('shows "session expired" and fires bh-auth-expired on a 401, then reloads with a new token', async () => {
    const expired = mount<BackupHealthTable>(html`<backup-health-table api-base=${env.apiBase} token=${env.tokens.expired}></backup-health-table>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const table = await expired;
    expect(event.composed).to.be.true;
    await until(() => $(table, '[part~="auth-expired"]'), 'expired state');
    expect(text($(table, '[part~="auth-expired"]'))).to.contain('Your session has expired');

    table.token = env.tokens.read;
    await until(() => rowsOf(table).length > 0, 'rows after the new token');
    expect($(table, '[part~="auth-expired"]')).to.be.null;
  });

  it('says when its client filter names no client (a stale link), and "All clients" resets it', async () => {
    const table = await mount<BackupHealthTable>(
      html`<backup-health-table api-base=${env.apiBase} token=${env.tokens.read} client-filter="does-not-exist" page-size="200"></backup-health-table>`,
    );
    await table.loadComplete;
    await until(() => $(table, '[part~="empty"]'), 'no devices match');
    const select = selectLabelled(table, 'Client');
    await until(() => select.value === 'does-not-exist', 'the control shows the filter in force');
    expect(text(select.selectedOptions[0])).to.equal('Unknown client (does-not-exist)');
    choose(table, 'Client', '');
    await until(() => table.clientFilter === '' && rowsOf(table).length > 0, 'filter reset, devices listed');
  });

  it('updates a row in place when the stream reports the device changed', async () => {
    const table = await mountTable();
    const index = 2;
    const device = table.rows[index]!;
    const usedBytes = 123_456_789_012 + Math.floor(Math.random() * 1_000_000_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the stream connect
    await until(() => table.api?.stream.connected, 'stream connected');
    await ingest([{ type: 'storage', deviceId: device.id, at: new Date().toISOString(), usedBytes, quotaBytes: device.storage.quotaBytes ?? undefined }]);
    await until(() => table.rows[index]?.storage.usedBytes === usedBytes, 'row updated from the stream');
    expect(table.rows[index]!.id).to.equal(device.id);
    await until(() => text(rowsOf(table).find((row) => row.dataset.index === String(index))).includes(formatBytes(usedBytes)), 'cell shows the new size');
  });
});

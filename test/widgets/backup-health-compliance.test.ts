import { expect, html } from '@open-wc/testing';
import type { ClientItem, ComplianceReport, DeviceItem, Page } from '../../core/api.ts';
import '../../widgets/backup-health-compliance/index.ts';
import type { BackupHealthCompliance } from '../../widgets/backup-health-compliance/component.ts';
import { SLA_STATE_LABELS } from '../../widgets/shared/labels.ts';
import { $, $$, apiGet, choose, countRequests, expectAccessible, ingest, mount, nextEvent, testEnv, text, until, type TestEnv } from './support.ts';

const rows = (report: BackupHealthCompliance) => $$(report, 'tbody tr');
const header = (report: BackupHealthCompliance, label: string) => $$(report, 'thead th').find((cell) => text(cell) === label)!;

describe('<backup-health-compliance>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountReport(attributes: { token?: string; client?: string } = {}): Promise<BackupHealthCompliance> {
    const report = await mount<BackupHealthCompliance>(
      html`<backup-health-compliance api-base=${env.apiBase} token=${attributes.token ?? env.tokens.read} client=${attributes.client ?? ''}></backup-health-compliance>`,
    );
    await report.loadComplete;
    await until(() => rows(report).length > 0 || $(report, '[part~="error"], [part~="auth-expired"], [part~="empty"]'), 'report rendered');
    return report;
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    await expectAccessible(await mountReport());
  });

  it('shows the summary and every device with its SLA state, as the API reports them', async () => {
    const report = await mountReport();
    const expected = await apiGet<ComplianceReport>('/compliance');
    expect(rows(report).length).to.equal(expected.devices.length);
    const summary = text($(report, '[part~="summary"]'));
    expect(summary).to.contain(String(expected.summary.meeting)).and.contain(String(expected.summary.breach));
    const row = rows(report)[0]!;
    expect(row.querySelector('[part~="status"] svg')).to.exist;
    expect(Object.values(SLA_STATE_LABELS)).to.include(text(row.querySelector('[part~="status"]')));
  });

  it('filters by SLA state and sorts by hours in breach', async () => {
    const report = await mountReport();
    choose(report, 'SLA state', 'breach');
    await report.updateComplete;
    expect(rows(report).every((row) => row.dataset.state === 'breach')).to.be.true;
    header(report, 'Hours in breach').querySelector('button')!.click();
    await report.updateComplete;
    expect(header(report, 'Hours in breach').getAttribute('aria-sort')).to.equal('descending');
    const hours = rows(report).map((row) => Number(text(row.children[4]!)));
    expect(hours).to.deep.equal([...hours].sort((a, b) => b - a));
  });

  it("shows one client's report and exports it with the client id", async () => {
    const client = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items[1]!;
    const report = await mountReport({ client: client.id });
    expect(rows(report).every((row) => text(row.children[1]!) === client.name)).to.be.true;
    expect(text($(report, '[part~="rules"]'))).to.contain(client.name);
    const csv = $$<HTMLButtonElement>(report, '[part~="export-button"]').find((button) => text(button) === 'Export CSV')!;
    setTimeout(() => csv.click());
    const event = await nextEvent(report, 'bh-export');
    event.preventDefault();
    expect(event.detail).to.include({ report: 'compliance', format: 'csv', clientId: client.id });
    expect(await event.detail.blob.text()).to.contain(rows(report).length > 0 ? text(rows(report)[0]!.querySelector('th')) : '');
  });

  it('shows "session expired" and fires bh-auth-expired on a 401', async () => {
    const mounting = mount<BackupHealthCompliance>(html`<backup-health-compliance api-base=${env.apiBase} token=${env.tokens.expired}></backup-health-compliance>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const report = await mounting;
    expect(event.composed).to.be.true;
    await until(() => $(report, '[part~="auth-expired"]'), 'expired state');
  });

  it('reloads the report when the stream reports device changes', async () => {
    const report = await mountReport();
    await until(() => report.api?.stream.connected, 'stream connected');
    const device = (await apiGet<Page<DeviceItem>>('/devices?limit=1&sort=name')).items[0]!;
    const requests = countRequests('/compliance');
    try {
      await ingest([{ type: 'storage', deviceId: device.id, at: new Date().toISOString(), usedBytes: (device.storage.usedBytes ?? 0) + 1_000, quotaBytes: device.storage.quotaBytes ?? undefined }]);
      await until(() => requests.count > 0, 'report reloaded');
      await report.loadComplete;
      expect(rows(report).length).to.be.greaterThan(0);
    } finally {
      requests.restore();
    }
  });
});

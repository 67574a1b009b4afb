import { expect, html } from '@open-wc/testing';
import type { DeviceDetail, Page, DeviceItem } from '../../core/api.ts';
import '../../widgets/backup-health-device-detail/index.ts';
import type { BackupHealthDeviceDetail } from '../../widgets/backup-health-device-detail/component.ts';
import { $, $$, apiGet, expectAccessible, mount, testEnv, text, until, type TestEnv } from './support.ts';

describe('<backup-health-device-detail>: a result recorded by hand', () => {
  let env: TestEnv;
  let device: DeviceItem;
  before(async () => {
    env = await testEnv();
    device = (await apiGet<Page<DeviceItem>>('/devices?status=healthy&sort=name&limit=1')).items[0]!;
  });

  async function mountDetail(token: string): Promise<BackupHealthDeviceDetail> {
    const detail = await mount<BackupHealthDeviceDetail>(html`<backup-health-device-detail api-base=${env.apiBase} token=${token} device-id=${device.id}></backup-health-device-detail>`);
    await until(() => $(detail, '[part~="score-table"]'), 'detail loaded');
    return detail;
  }
  const form = (detail: BackupHealthDeviceDetail) => $<HTMLDetailsElement>(detail, '[part~="manual-result"]');

  it('says the schedule in words, when the next run is due, and shows the last runs as a labelled strip', async () => {
    const before = await apiGet<DeviceDetail>(`/devices/${device.id}`);
    const detail = await mountDetail(env.tokens.read);
    const stored = await apiGet<DeviceDetail>(`/devices/${device.id}`);
    const facts = text($(detail, '[part~="facts"]'));
    expect(facts).to.contain(stored.schedule.text);
    expect(facts).to.contain('Next run due');
    const cells = $$(detail, '[part~="runs"] li');
    // The strip gains a cell when a slot's window opens (grace before the slot, at a full
    // hour in the client's zone): the widget shows the API's answer from before or after.
    expect([before, stored].map((answer) => answer.runs.map((run) => run.result))).to.deep.include(cells.map((cell) => text(cell).split(': ').pop()));
  });

  it('says when the reasons were evaluated, so "2 h ago" has its anchor', async () => {
    const detail = await mountDetail(env.tokens.read);
    const line = $(detail, '[part~="evaluated-at"]')!;
    expect(text(line)).to.match(/^As evaluated at .+; evaluated again when a result arrives or a run falls due\.$/);
    const at = Date.parse(line.querySelector('time')!.getAttribute('datetime')!);
    expect(at).to.be.at.most(Date.now());
  });

  it('offers "Record a result by hand" to operators only, and is accessible open, in light and dark', async () => {
    const reader = await mountDetail(env.tokens.read);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(form(reader), 'read-only token').to.be.null;

    const operator = await mountDetail(env.tokens.operate);
    await until(() => form(operator), 'form for an operator');
    form(operator)!.open = true;
    await expectAccessible(operator);
  });

  it('shows a refusal beside its field, then records the result and lists it as entered by hand', async () => {
    const detail = await mountDetail(env.tokens.operate);
    await until(() => form(detail), 'form');
    form(detail)!.open = true;
    $<HTMLButtonElement>(detail, '[part~="manual-result-submit"]')!.click();
    await until(() => $(detail, '#manual-note-error'), 'note error');
    expect(text($(detail, '#manual-note-error'))).to.contain('note');
    expect($(detail, 'textarea[name="note"]')!.getAttribute('aria-describedby')).to.equal('manual-note-error');

    const note = `Copied by hand ${Date.now()}`;
    $<HTMLTextAreaElement>(detail, 'textarea[name="note"]')!.value = note;
    $<HTMLButtonElement>(detail, '[part~="manual-result-submit"]')!.click();
    await until(() => text($(detail, '.manual-result [role="status"]')).includes('Recorded'), 'recorded');
    await until(() => $$(detail, '[part~="jobs-table"] tbody tr').some((row) => text(row).includes(note)), 'job listed');
    const row = $$(detail, '[part~="jobs-table"] tbody tr').find((candidate) => text(candidate).includes(note))!;
    expect(text(row)).to.contain('Entered by hand');
    const stored = await apiGet<DeviceDetail>(`/devices/${device.id}`);
    expect(stored.jobs.some((job) => job.source === 'manual' && job.note === note)).to.be.true;
    expect(stored.lastSuccessAt).to.not.equal(device.lastSuccessAt);
  });

  it('shows an admin how the device reports (ping URL, cron line, mail address) and never shows the ping key to others', async () => {
    const admin = await mountDetail(env.tokens.admin);
    await until(() => $(admin, '[part~="reporting"]'), 'reporting section');
    const values = $$(admin, '[part~="reporting-value"]').map((code) => text(code));
    expect(values[0]).to.match(/\/ping\/[^/]+\/[^/]+$/);
    expect(values[1]).to.equal(`curl -fsS -m 10 --retry 5 -o /dev/null ${values[0]}`);
    expect(values[2]).to.contain('@');
    $<HTMLButtonElement>(admin, '[part~="copy-button"]')!.click();
    await until(() => text($(admin, '.reporting ~ [role="status"]')) !== '', 'copy announced');
    await expectAccessible(admin);

    const operator = await mountDetail(env.tokens.operate);
    expect($(operator, '[part~="reporting"]')).to.be.null;
    const pingKey = values[0]!.split('/ping/')[1]!.split('/')[0]!;
    expect(text(operator.shadowRoot!.querySelector('section[aria-labelledby="reporting-heading"]'))).to.contain('An admin sees').and.not.contain(pingKey);
  });
});

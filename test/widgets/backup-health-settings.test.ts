import { expect, html } from '@open-wc/testing';
import type { ClientItem, OnCallSettings, Page, PsaSettings, SlaSettings } from '../../core/api.ts';
import '../../widgets/backup-health-settings/index.ts';
import type { BackupHealthSettings } from '../../widgets/backup-health-settings/component.ts';
import type { SettingsSectionElement } from '../../widgets/backup-health-settings/settings-section.ts';
import type { SettingsSection } from '../../widgets/shared/api-client.ts';
import { $, apiGet, expectAccessible, mount, nextEvent, testEnv, text, until, type TestEnv } from './support.ts';

type Section = SettingsSectionElement<SettingsSection>;

/** Sets a form field by name, as typing would. */
function fill(section: Element, name: string, value: string | boolean): void {
  const field = $<HTMLInputElement | HTMLSelectElement>(section, `[name="${name}"]`);
  if (!field) throw new Error(`No field ${name}`);
  if (field instanceof HTMLInputElement && field.type === 'checkbox') field.checked = value as boolean;
  else field.value = String(value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

function check(section: Element, name: string, value: string, checked: boolean): void {
  const box = $<HTMLInputElement>(section, `input[name="${name}"][value="${value}"]`)!;
  box.checked = checked;
  box.dispatchEvent(new Event('change', { bubbles: true }));
}

async function save(section: Section): Promise<void> {
  const saved = nextEvent(section, 'bh-settings-save');
  $<HTMLButtonElement>(section, '[part~="save-button"]')!.click();
  await saved;
  await until(() => text($(section, '.message')).includes('Saved'), 'saved message');
}

describe('<backup-health-settings>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountSettings(token = env.tokens.admin): Promise<{ settings: BackupHealthSettings; section: (tag: string) => Section }> {
    const settings = await mount<BackupHealthSettings>(html`<backup-health-settings api-base=${env.apiBase} token=${token}></backup-health-settings>`);
    const section = (tag: string) => settings.shadowRoot!.querySelector(tag) as Section;
    for (const tag of ['backup-health-sla-settings', 'backup-health-policy-settings', 'backup-health-report-settings', 'backup-health-branding-settings', 'backup-health-client-report-settings', 'backup-health-alert-settings', 'backup-health-psa-settings', 'backup-health-oncall-settings', 'backup-health-maintenance-settings', 'backup-health-silence-settings', 'backup-health-ingest-settings', 'backup-health-keyword-rules-settings', 'backup-health-unmatched-mail', 'backup-health-discovery-inbox']) {
      await section(tag).loadComplete;
      await section(tag).updateComplete;
    }
    return { settings, section };
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    const { settings, section } = await mountSettings();
    await until(() => $(section('backup-health-sla-settings'), 'tbody tr'), 'client overrides listed');
    await expectAccessible(settings);
  });

  it('saves tenant SLA hours and a per-client override, and clears the override again', async () => {
    const { section } = await mountSettings();
    const sla = section('backup-health-sla-settings');
    await until(() => $(sla, 'tbody tr'), 'client overrides listed');
    const original = await apiGet<SlaSettings>('/settings/sla');
    const client = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items.find((candidate) => !original.clients[candidate.id])!;

    fill(sla, 'tenant.workstationHours', '30');
    fill(sla, `client.${client.id}.serverHours`, '6');
    await save(sla);
    let stored = await apiGet<SlaSettings>('/settings/sla');
    expect(stored.tenant.workstationHours).to.equal(30);
    expect(stored.clients[client.id]).to.deep.equal({ serverHours: 6 });

    fill(sla, 'tenant.workstationHours', String(original.tenant.workstationHours));
    fill(sla, `client.${client.id}.serverHours`, '');
    await save(sla);
    stored = await apiGet<SlaSettings>('/settings/sla');
    expect(stored.tenant.workstationHours).to.equal(original.tenant.workstationHours);
    expect(stored.clients[client.id] ?? {}).to.deep.equal({});
  });

  it('keeps the PSA key write-only: shown as set, never sent back unless a new one is typed', async () => {
    const { section } = await mountSettings();
    const psa = section('backup-health-psa-settings');
    const before = await apiGet<PsaSettings>('/settings/integrations/psa');
    const key = $<HTMLInputElement>(psa, '[name="integrationKey"]')!;
    expect(key.type).to.equal('password');
    expect(key.value).to.equal('');
    expect(key.placeholder).to.equal(before.integrationKeySet ? '••• set' : 'Not set');

    fill(psa, 'failureThreshold', '4');
    fill(psa, 'mapping.storage_quota_exceeded.priority', 'Low');
    fill(psa, 'mapping.storage_quota_exceeded.ticketType', 'Storage');
    await save(psa);
    const after = await apiGet<PsaSettings>('/settings/integrations/psa');
    expect(after.failureThreshold).to.equal(4);
    expect(after.mapping.storage_quota_exceeded).to.deep.equal({ ticketType: 'Storage', priority: 'Low' });
    expect(after.integrationKeySet).to.equal(before.integrationKeySet);
    expect(after).to.not.have.property('integrationKey');
    expect(text(psa.shadowRoot!.querySelector('[part~="integration-status"]'))).to.contain('Last success').and.contain('Queued');
  });

  it('saves On-Call device kinds and business hours', async () => {
    const { section } = await mountSettings();
    const oncall = section('backup-health-oncall-settings');
    fill(oncall, 'enabled', true);
    fill(oncall, 'escalationPolicy', 'backups-primary');
    check(oncall, 'deviceKinds', 'workstation', true);
    check(oncall, 'businessHours.days', '6', true);
    fill(oncall, 'businessHours.start', '07:30');
    await save(oncall);
    const stored = await apiGet<OnCallSettings>('/settings/integrations/oncall');
    expect(stored.enabled).to.be.true;
    expect(stored.escalationPolicy).to.equal('backups-primary');
    expect(stored.deviceKinds).to.include.members(['server', 'workstation']);
    expect(stored.businessHours.days).to.include(6);
    expect(stored.businessHours.start).to.equal('07:30');
  });

  it("saves the MSP's name and colour for the e-mails, and an empty name restores the tenant's", async () => {
    const { section } = await mountSettings();
    const branding = section('backup-health-branding-settings');
    fill(branding, 'mspName', 'Northwind IT Services');
    fill(branding, 'accentColor', '#0b4f6c');
    await save(branding);
    expect(await apiGet('/settings/branding')).to.deep.equal({ mspName: 'Northwind IT Services', accentColor: '#0b4f6c' });
    fill(branding, 'mspName', '');
    await save(branding);
    expect(((await apiGet('/settings/branding')) as { mspName: string | null }).mspName).to.be.null;
  });

  it('saves the reminder period and the reopen window', async () => {
    const { section } = await mountSettings();
    const alerts = section('backup-health-alert-settings');
    const before = await apiGet<{ reminderHours: number; reopenDays: number }>('/settings/alerts');
    fill(alerts, 'reminderHours', '12');
    fill(alerts, 'reopenDays', '5');
    await save(alerts);
    expect(await apiGet('/settings/alerts')).to.deep.equal({ reminderHours: 12, reopenDays: 5 });
    fill(alerts, 'reminderHours', String(before.reminderHours));
    fill(alerts, 'reopenDays', String(before.reopenDays));
    await save(alerts);
    expect(await apiGet('/settings/alerts')).to.deep.equal(before);
  });

  it('saves monthly client reports: day, hour and recipients per client; a client left out stops getting them', async () => {
    const { section } = await mountSettings();
    const reports = section('backup-health-client-report-settings');
    fill(reports, 'enabled', true);
    fill(reports, 'day', '3');
    fill(reports, 'hour', '7');
    fill(reports, 'recipientsByClient', 'contoso: it@contoso.example, boss@contoso.example\nfabrikam: ops@fabrikam.example');
    await save(reports);
    expect(await apiGet('/settings/client-reports')).to.deep.equal({
      enabled: true,
      day: 3,
      hour: 7,
      recipientsByClient: { contoso: ['it@contoso.example', 'boss@contoso.example'], fabrikam: ['ops@fabrikam.example'] },
    });
    fill(reports, 'enabled', false);
    fill(reports, 'day', '1');
    fill(reports, 'hour', '8');
    fill(reports, 'recipientsByClient', '');
    await save(reports);
    expect(await apiGet('/settings/client-reports')).to.deep.equal({ enabled: false, day: 1, hour: 8, recipientsByClient: {} });
  });

  it('sends the weekly report now', async () => {
    const { section } = await mountSettings();
    const reports = section('backup-health-report-settings');
    setTimeout(() => $<HTMLButtonElement>(reports, '[part~="send-button"]')!.click());
    await nextEvent(reports, 'bh-report-send');
    await until(() => text($(reports, '.message')).includes('on its way'), 'confirmation');
  });

  it('explains a refusal to a token without the admin scope', async () => {
    const { section } = await mountSettings(env.tokens.read);
    const error = $(section('backup-health-sla-settings'), '[part~="error"]')!;
    expect(text(error)).to.contain('Not allowed');
    expect(error.querySelector('button')).to.exist;
  });
});

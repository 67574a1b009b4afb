import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/backup-health-dashboard/index.ts';
import type { BackupHealthDashboard } from '../../widgets/backup-health-dashboard/component.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import type { ClientCompliance } from '../../widgets/client-compliance/component.ts';
import type { BackupHealthCompliance } from '../../widgets/backup-health-compliance/component.ts';
import type { BhFleetTrends, Trends } from '../../widgets/backup-health-dashboard/fleet-trends.ts';
import { $, $$, apiGet, choose, expectAccessible, mount, nextEvent, selectLabelled, testEnv, text, until, type TestEnv } from './support.ts';

const tabs = (dashboard: BackupHealthDashboard) => $$(dashboard, '[role="tab"]');
const tab = (dashboard: BackupHealthDashboard, label: string) => tabs(dashboard).find((candidate) => text(candidate) === label)!;
const panel = (dashboard: BackupHealthDashboard, name: string) => $(dashboard, `#panel-${name}`)!;
const selectedTab = (dashboard: BackupHealthDashboard) => text(tabs(dashboard).find((candidate) => candidate.getAttribute('aria-selected') === 'true'));

describe('<backup-health-dashboard>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountDashboard(token: string): Promise<BackupHealthDashboard> {
    const dashboard = await mount<BackupHealthDashboard>(html`<backup-health-dashboard api-base=${env.apiBase} token=${token}></backup-health-dashboard>`);
    await until(() => tabs(dashboard).length > 0 || $(dashboard, '[part~="auth-expired"]'), 'dashboard rendered');
    return dashboard;
  }

  const table = (dashboard: BackupHealthDashboard) => panel(dashboard, 'devices').querySelector<BackupHealthTable>('backup-health-table')!;

  it('has no accessibility violations, in the light and the dark theme', async () => {
    const dashboard = await mountDashboard(env.tokens.admin);
    await until(() => tabs(dashboard).length === 5, 'settings tab for admin');
    await table(dashboard).loadComplete;
    await expectAccessible(dashboard);
  });

  it('follows the WAI-ARIA tabs pattern: tablist, tabs with aria-selected and aria-controls, tabpanels', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    expect($(dashboard, '[role="tablist"]')).to.exist;
    expect(tabs(dashboard).map(text)).to.deep.equal(['Devices', 'Clients', 'Alerts', 'Compliance']);
    for (const candidate of tabs(dashboard)) {
      const controlled = $(dashboard, `#${candidate.getAttribute('aria-controls')}`)!;
      expect(controlled.getAttribute('role')).to.equal('tabpanel');
      expect(controlled.getAttribute('aria-labelledby')).to.equal(candidate.id);
    }
    expect(selectedTab(dashboard)).to.equal('Devices');
    expect(panel(dashboard, 'devices').hidden).to.be.false;
    expect(panel(dashboard, 'alerts').hidden).to.be.true;
  });

  it('moves between tabs with the arrow keys, Home and End, and emits bh-tab-change', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    tab(dashboard, 'Devices').focus();
    const changed = nextEvent(dashboard, 'bh-tab-change');
    await sendKeys({ press: 'ArrowRight' });
    expect((await changed).detail).to.deep.equal({ tab: 'clients' });
    await until(() => selectedTab(dashboard) === 'Clients', 'Clients selected');
    expect(dashboard.shadowRoot!.activeElement).to.equal(tab(dashboard, 'Clients'));
    expect(tab(dashboard, 'Clients').tabIndex).to.equal(0);
    expect(tab(dashboard, 'Devices').tabIndex).to.equal(-1);
    await sendKeys({ press: 'End' });
    await until(() => selectedTab(dashboard) === 'Compliance', 'last tab');
    await sendKeys({ press: 'ArrowRight' });
    await until(() => selectedTab(dashboard) === 'Devices', 'wraps to the first');
    await sendKeys({ press: 'ArrowLeft' });
    await until(() => selectedTab(dashboard) === 'Compliance', 'wraps to the last');
    await sendKeys({ press: 'Home' });
    await until(() => selectedTab(dashboard) === 'Devices', 'first tab');
  });

  it('shows Settings only to an admin token', async () => {
    const reader = await mountDashboard(env.tokens.read);
    expect(tabs(reader).map(text)).to.not.include('Settings');
    const admin = await mountDashboard(env.tokens.admin);
    await until(() => tabs(admin).map(text).includes('Settings'), 'settings tab');
    tab(admin, 'Settings').click();
    await until(() => panel(admin, 'settings').querySelector('backup-health-settings')?.shadowRoot?.querySelector('backup-health-sla-settings'), 'settings forms loaded on demand');
  });

  it('drills into the devices of a client chosen in the Clients tab', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    tab(dashboard, 'Clients').click();
    await until(() => panel(dashboard, 'clients').querySelector('client-compliance'), 'clients panel');
    const clients = panel(dashboard, 'clients').querySelector<ClientCompliance>('client-compliance')!;
    await clients.loadComplete;
    await until(() => $$(clients, '[part~="client-button"]').length > 0, 'client buttons');
    const button = $$<HTMLButtonElement>(clients, '[part~="client-button"]')[0]!;
    const clientId = button.closest('tr')!.dataset.client!;
    const clientName = text(button);
    button.click();
    await until(() => selectedTab(dashboard) === 'Devices', 'devices tab selected');
    await until(() => table(dashboard).client === clientId, 'table filtered by the client');
    await table(dashboard).loadComplete;
    expect(table(dashboard).rows.length).to.be.greaterThan(0);
    expect(table(dashboard).rows.every((device) => device.client.id === clientId)).to.be.true;
    await until(() => text($(dashboard, '[part~="drilldown"]')).includes(clientName), 'drill-down names the client');

    $<HTMLButtonElement>(dashboard, '[part~="drilldown"] button')!.click();
    await until(() => !table(dashboard).client, 'all clients again');
    await table(dashboard).loadComplete;
    expect(new Set(table(dashboard).rows.map((device) => device.client.id)).size).to.be.greaterThan(1);
  });

  it('shows the compliance summary, the device states and export buttons in the Compliance tab', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    tab(dashboard, 'Compliance').click();
    await until(() => panel(dashboard, 'compliance').querySelector('backup-health-compliance'), 'compliance panel');
    const report = panel(dashboard, 'compliance').querySelector<BackupHealthCompliance>('backup-health-compliance')!;
    await report.loadComplete;
    await until(() => $(report, '[part~="summary"]'), 'summary');
    expect(text($(report, '[part~="summary"]'))).to.contain('SLA compliance');
    expect($$(report, 'tbody tr').length).to.be.greaterThan(0);
    expect($$(report, '[part~="export-button"]').map(text)).to.deep.equal(['Export CSV', 'Export PDF']);
  });

  it('shows "session expired" and fires bh-auth-expired on a 401', async () => {
    const mounting = mount<BackupHealthDashboard>(html`<backup-health-dashboard api-base=${env.apiBase} token=${env.tokens.expired}></backup-health-dashboard>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const dashboard = await mounting;
    expect(event.bubbles && event.composed).to.be.true;
    await until(() => $(dashboard, '[part~="auth-expired"]') || table(dashboard)?.shadowRoot?.querySelector('[part~="auth-expired"]'), 'expired state');
    dashboard.token = env.tokens.read;
    await until(() => tabs(dashboard).length === 4 && table(dashboard)?.rows.length > 0, 'reloaded with the new token');
  });
  it('opens the Devices tab on counts by status that add up to the fleet, each a filter', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    await until(() => $$(dashboard, '[part~="overview-count"]').length === 5, 'overview strip');
    await table(dashboard).loadComplete;
    const counts = $$(dashboard, '[part~="overview-count"]');
    const number = (button: HTMLElement) => Number(text(button.querySelector('strong')).replace(/\D/g, ''));
    expect(counts.map((button) => text(button).replace(/^[\d,.\s]+/, ''))).to.deep.equal(['All devices', 'Critical', 'Warning', 'Unknown', 'Healthy']);
    expect(number(counts[0]!)).to.equal(table(dashboard).rows.length);
    expect(counts.slice(1).reduce((sum, button) => sum + number(button), 0)).to.equal(number(counts[0]!));
    expect(counts[0]!.getAttribute('aria-pressed')).to.equal('true');

    const critical = counts[1]!;
    critical.click();
    await until(() => table(dashboard).status === 'critical', 'table filtered to critical');
    await table(dashboard).loadComplete;
    expect(table(dashboard).rows.length).to.equal(number(critical));
    expect(critical.getAttribute('aria-pressed')).to.equal('true');
    critical.click();
    await until(() => table(dashboard).status === '', 'pressed again: all statuses');
  });

  it('shows fleet trends (success rate and SLA compliance, 30 days) on the Devices and Clients tabs, in words as well as a chart', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    const trendsOf = (name: string) => panel(dashboard, name).querySelector<BhFleetTrends>('bh-fleet-trends')!;
    await until(() => trendsOf('devices')?.shadowRoot?.querySelector('canvas'), 'trends chart on Devices');
    const devicesTrends = trendsOf('devices');
    await devicesTrends.chartReady;
    const expected = await apiGet<Trends>('/trends?days=30', env.tokens.read);
    const rows = $$(devicesTrends, 'table tbody tr');
    expect(rows.length).to.equal(30);
    expect(text($(devicesTrends, 'h3'))).to.equal('Success rate and SLA compliance, last 30 days');
    // The text alternative: a sentence with the range and a table with every day.
    expect(text($(devicesTrends, 'p.visually-hidden'))).to.match(/^Last 30 days \(.+\): success rate .* SLA compliance .*/);
    // Yesterday's bucket: today's moves while other test files post jobs to the same BFF.
    const yesterday = expected.buckets[28]!;
    expect(text(rows[28]!.querySelector('td'))).to.equal(yesterday.successRate === null ? '—' : new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 }).format(Math.round(yesterday.successRate * 1000) / 1000));
    expect($(devicesTrends, 'canvas')!.getAttribute('aria-hidden')).to.equal('true');

    tab(dashboard, 'Clients').click();
    await until(() => trendsOf('clients')?.shadowRoot?.querySelector('canvas'), 'trends chart on Clients');
    await expectAccessible(dashboard);
  });

  it('shows a retry when the trends cannot be loaded', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    await until(() => panel(dashboard, 'devices').querySelector('bh-fleet-trends')?.shadowRoot?.querySelector('canvas, [role="alert"], .empty'), 'trends rendered');
    const trends = panel(dashboard, 'devices').querySelector<BhFleetTrends>('bh-fleet-trends')!;
    trends.client = 'no-such-client';
    await until(() => $(trends, '[part="error"]'), 'error state');
    expect(text($(trends, '[part="retry-button"]'))).to.equal('Retry');
  });

  describe('with url-state="hash"', () => {
    const start = window.location.href;
    afterEach(() => window.history.replaceState(null, '', start));

    async function mountLinked(hash: string): Promise<BackupHealthDashboard> {
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
      const dashboard = await mount<BackupHealthDashboard>(
        html`<backup-health-dashboard api-base=${env.apiBase} token=${env.tokens.read} url-state="hash"></backup-health-dashboard>`,
      );
      await until(() => $(dashboard, '[role="tabpanel"]:not([hidden]) > *'), 'the linked view rendered');
      return dashboard;
    }
    const hashParams = () => new URLSearchParams(window.location.hash.slice(1));

    it('opens the view a shared link describes: tab, filters, sort and search', async () => {
      const dashboard = await mountLinked('#status=critical&sort=name&order=desc&q=srv');
      await table(dashboard).loadComplete;
      expect(selectedTab(dashboard)).to.equal('Devices');
      expect(table(dashboard).filters).to.deep.equal({ status: 'critical', q: 'srv', sort: 'name', order: 'desc' });
      expect($<HTMLInputElement>(table(dashboard), '[part~="search"]')!.value).to.equal('srv');
      expect(table(dashboard).rows.every((device) => device.status === 'critical')).to.be.true;

      const alerts = await mountLinked('#tab=alerts');
      expect(selectedTab(alerts)).to.equal('Alerts');
    });

    it('records each view in the URL, and Back returns to the previous one', async () => {
      const dashboard = await mountLinked('');
      await table(dashboard).loadComplete;
      choose(table(dashboard), 'Status', 'warning');
      await until(() => hashParams().get('status') === 'warning', 'status in the URL');
      tab(dashboard, 'Alerts').click();
      await until(() => hashParams().get('tab') === 'alerts', 'tab in the URL');
      expect(hashParams().get('status')).to.equal('warning');

      window.history.back();
      await until(() => selectedTab(dashboard) === 'Devices', 'Back shows Devices again');
      window.history.back();
      await until(() => table(dashboard).status === '', 'Back clears the status filter');
      expect(hashParams().has('status')).to.be.false;
      expect(selectLabelled(table(dashboard), 'Status').value, 'the Status control follows').to.equal('');
    });

    it('Back and Forward set the filter controls to the view they restore, also options picked by hand', async () => {
      const dashboard = await mountLinked('');
      await table(dashboard).loadComplete;
      const status = () => selectLabelled(table(dashboard), 'Status');
      choose(table(dashboard), 'Status', 'critical');
      await until(() => hashParams().get('status') === 'critical', 'critical in the URL');
      choose(table(dashboard), 'Status', 'warning');
      await until(() => hashParams().get('status') === 'warning', 'warning in the URL');

      window.history.back();
      await until(() => table(dashboard).status === 'critical', 'Back restores critical');
      await until(() => status().value === 'critical', 'the Status control shows Critical');
      window.history.forward();
      await until(() => table(dashboard).status === 'warning', 'Forward restores warning');
      await until(() => status().value === 'warning', 'the Status control shows Warning');
    });

    it('leaves the URL alone by default, and ignores a malformed link', async () => {
      window.history.replaceState(null, '', `${window.location.pathname}#status=critical`);
      const plain = await mountDashboard(env.tokens.read);
      expect(table(plain).status).to.equal('');
      tab(plain, 'Clients').click();
      await until(() => selectedTab(plain) === 'Clients', 'Clients selected');
      expect(window.location.hash).to.equal('#status=critical');

      const mangled = await mountLinked('#tab=nope&status=purple&sort=%3Cscript%3E');
      await table(mangled).loadComplete;
      expect(selectedTab(mangled)).to.equal('Devices');
      expect(table(mangled).filters).to.deep.equal({ sort: 'score', order: 'asc' });
    });
  });
});

import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../widgets/backup-health-dashboard/index.ts';
import type { BackupHealthDashboard } from '../../widgets/backup-health-dashboard/component.ts';
import type { BhSavedViews } from '../../widgets/backup-health-dashboard/saved-views.ts';
import { ownerOf, readViews, storageKeyOf } from '../../widgets/backup-health-dashboard/saved-view-store.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import { $, $$, choose, expectAccessible, mount, testEnv, text, until, type TestEnv } from './support.ts';

const selectedTab = (dashboard: BackupHealthDashboard) => text($$(dashboard, '[role="tab"]').find((tab) => tab.getAttribute('aria-selected') === 'true'));
const table = (dashboard: BackupHealthDashboard) => $(dashboard, '#panel-devices')!.querySelector<BackupHealthTable>('backup-health-table')!;
const viewsButton = (dashboard: BackupHealthDashboard) => $<HTMLButtonElement>(dashboard, '[part~="saved-views-button"]')!;
const panel = (dashboard: BackupHealthDashboard) => $<BhSavedViews>(dashboard, 'bh-saved-views');
const names = (views: BhSavedViews) => $$(views, '[part~="saved-view-apply"]').map(text);
const view = (views: BhSavedViews, name: string) => $$(views, '[part~="saved-view"]').find((item) => text(item.querySelector('[part~="saved-view-apply"]')) === name)!;
const button = (within: Element, label: string) => [...within.querySelectorAll('button')].find((candidate) => text(candidate).startsWith(label))!;

/** A token in the embed-token format with these claims (the signature is not checked client-side). */
const fakeToken = (claims: object) => `bhe_${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.signature`;

describe('saved views in <backup-health-dashboard>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });
  beforeEach(() => localStorage.clear());
  after(() => localStorage.clear());

  async function mountDashboard(token: string, urlState = 'off'): Promise<BackupHealthDashboard> {
    const dashboard = await mount<BackupHealthDashboard>(html`<backup-health-dashboard api-base=${env.apiBase} token=${token} url-state=${urlState}></backup-health-dashboard>`);
    await until(() => $$(dashboard, '[role="tab"]').length > 0 && table(dashboard), 'dashboard rendered');
    await table(dashboard).loadComplete;
    return dashboard;
  }

  async function openPanel(dashboard: BackupHealthDashboard): Promise<BhSavedViews> {
    viewsButton(dashboard).click();
    await until(() => panel(dashboard)?.shadowRoot?.querySelector('#view-name'), 'the panel chunk loaded');
    const views = panel(dashboard)!;
    await views.updateComplete;
    return views;
  }

  async function saveAs(views: BhSavedViews, name: string): Promise<void> {
    $<HTMLInputElement>(views, '#view-name')!.value = name;
    button(views.shadowRoot!.querySelector('form')!, 'Save view').click();
    await views.updateComplete;
  }

  it('loads the panel on first use: a disclosure button that focuses the name field, and Escape closes it', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    expect(panel(dashboard)).to.equal(null);
    expect(viewsButton(dashboard).getAttribute('aria-expanded')).to.equal('false');
    expect($(dashboard, '#saved-views')!.hidden).to.be.true;

    const views = await openPanel(dashboard);
    expect(viewsButton(dashboard).getAttribute('aria-expanded')).to.equal('true');
    expect(viewsButton(dashboard).getAttribute('aria-controls')).to.equal('saved-views');
    expect(views.shadowRoot!.activeElement?.id).to.equal('view-name');
    expect(text($(views, '.base'))).to.contain('No saved views yet');

    await sendKeys({ press: 'Escape' });
    await until(() => viewsButton(dashboard).getAttribute('aria-expanded') === 'false', 'closed');
    expect(dashboard.shadowRoot!.activeElement).to.equal(viewsButton(dashboard));
  });

  it('names the view on screen, lists it with its filters in words, and shows it again later', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    choose(table(dashboard), 'Status', 'critical');
    choose(table(dashboard), 'Kind', 'server');
    await until(() => table(dashboard).status === 'critical' && table(dashboard).kind === 'server', 'filters set');
    const views = await openPanel(dashboard);
    await saveAs(views, '  Critical   servers ');
    expect(names(views)).to.deep.equal(['Critical servers']);
    const saved = view(views, 'Critical servers');
    expect(text(saved.querySelector('.summary'))).to.equal('Devices · all clients · Critical · Server');
    expect(saved.querySelector('[part~="saved-view-apply"]')!.getAttribute('aria-current')).to.equal('true');
    expect(text($(views, '[role="status"]'))).to.equal('Saved view Critical servers.');

    // Another view on screen, then the saved one again: tab, filters and all.
    choose(table(dashboard), 'Status', '');
    $$(dashboard, '[role="tab"]').find((tab) => text(tab) === 'Alerts')!.click();
    await until(() => selectedTab(dashboard) === 'Alerts', 'on Alerts');
    await views.updateComplete;
    expect(saved.querySelector('[part~="saved-view-apply"]')!.hasAttribute('aria-current')).to.be.false;
    (view(views, 'Critical servers').querySelector('[part~="saved-view-apply"]') as HTMLElement).click();
    await until(() => selectedTab(dashboard) === 'Devices', 'back on Devices');
    await until(() => table(dashboard).status === 'critical' && table(dashboard).kind === 'server', 'the saved filters');
    await table(dashboard).loadComplete;
    expect(table(dashboard).rows.every((device) => device.status === 'critical' && device.kind === 'server')).to.be.true;

    // Kept in this browser: a new dashboard with the same person's token lists it.
    const again = await openPanel(await mountDashboard(env.tokens.read));
    expect(names(again)).to.deep.equal(['Critical servers']);
  });

  it('refuses an empty or duplicate name, renames and deletes, keeping focus in the list', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    const views = await openPanel(dashboard);
    await saveAs(views, 'Everything');
    await saveAs(views, 'everything');
    expect(text($(views, '#save-error'))).to.contain('exists already');
    expect($(views, '#view-name')!.getAttribute('aria-invalid')).to.equal('true');
    expect(names(views)).to.deep.equal(['Everything']);

    const search = $<HTMLInputElement>(table(dashboard), '[part~="search"]')!;
    search.value = 'srv';
    search.dispatchEvent(new Event('input'));
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await until(() => views.view.q === 'srv', 'the panel sees the new view');
    await saveAs(views, 'Servers by name');
    expect(names(views)).to.deep.equal(['Everything', 'Servers by name']);
    expect($(views, '#save-error')).to.equal(null);

    button(view(views, 'Everything'), 'Rename').click();
    await until(() => views.shadowRoot!.activeElement?.id.startsWith('rename-'), 'rename field focused');
    const field = views.shadowRoot!.activeElement as HTMLInputElement;
    field.value = 'servers BY name';
    button(field.form!, 'Save name').click();
    await views.updateComplete;
    expect(text($(views, '#rename-error'))).to.contain('exists already');
    field.value = 'All devices';
    button(field.form!, 'Save name').click();
    await until(() => names(views).includes('All devices'), 'renamed');
    expect(text($(views, '[role="status"]'))).to.equal('Renamed Everything to All devices.');
    expect(views.shadowRoot!.activeElement).to.equal(button(view(views, 'All devices'), 'Rename'));

    button(view(views, 'All devices'), 'Delete').click();
    await until(() => names(views).length === 1, 'deleted');
    expect(names(views)).to.deep.equal(['Servers by name']);
    expect(views.shadowRoot!.activeElement).to.equal($(views, '[part~="saved-view-apply"]'));
    expect(readViews(localStorage, storageKeyOf(ownerOf(env.tokens.read, undefined))).map((saved) => saved.name)).to.deep.equal(['Servers by name']);
  });

  it('gives each saved view a link that opens it, with the URL state on', async () => {
    const start = window.location.href;
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'clipboard')!;
    let copied = '';
    let refuse = false;
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (value: string) => (refuse ? Promise.reject(new DOMException('denied', 'NotAllowedError')) : void (copied = value)) },
    });
    try {
      const dashboard = await mountDashboard(env.tokens.read, 'hash');
      choose(table(dashboard), 'Status', 'warning');
      await until(() => window.location.hash.includes('status=warning'), 'view in the URL');
      const views = await openPanel(dashboard);
      await saveAs(views, 'Warnings');
      button(view(views, 'Warnings'), 'Copy link').click();
      await until(() => copied, 'link copied');
      const link = new URL(copied);
      expect(link.origin + link.pathname).to.equal(window.location.origin + window.location.pathname);
      expect(new URLSearchParams(link.hash.slice(1)).get('status')).to.equal('warning');
      expect(text($(views, '[role="status"]'))).to.equal('Link to Warnings copied.');

      // The clipboard refused: the link is shown, selected, to copy by hand.
      refuse = true;
      button(view(views, 'Warnings'), 'Copy link').click();
      await until(() => $(views, 'input[readonly]'), 'link shown');
      expect(($(views, 'input[readonly]') as HTMLInputElement).value).to.equal(copied);
      expect(views.shadowRoot!.activeElement).to.equal($(views, 'input[readonly]'));

      // Without URL state a link could not reopen the view: none is offered.
      const embedded = await openPanel(await mountDashboard(env.tokens.read));
      expect(names(embedded)).to.deep.equal(['Warnings']);
      expect(view(embedded, 'Warnings').querySelector('[part~="saved-view-link"]')).to.equal(null);
    } finally {
      Object.defineProperty(Navigator.prototype, 'clipboard', original);
      delete (navigator as unknown as Record<string, unknown>).clipboard;
      window.history.replaceState(null, '', start);
    }
  });

  it("keeps one list per tenant and person: a client's token does not see the tenant's views", async () => {
    const views = await openPanel(await mountDashboard(env.tokens.read));
    await saveAs(views, 'Tenant-wide');
    const scoped = await openPanel(await mountDashboard(env.clientScoped.token));
    expect(names(scoped)).to.deep.equal([]);

    expect(ownerOf(fakeToken({ t: 'acme', u: 'ana@example.com', s: ['read'] }), undefined)).to.equal('acme/ana@example.com');
    expect(ownerOf(fakeToken({ t: 'acme', c: 'client-1' }), undefined)).to.equal('acme/client:client-1');
    expect(ownerOf('bhk_an-api-key', 'default')).to.equal('default');
    expect(ownerOf(undefined, undefined)).to.equal('');
    expect(storageKeyOf('')).to.equal('bh-saved-views');
  });

  it('has no accessibility violations with views listed, in the light and the dark theme', async () => {
    const dashboard = await mountDashboard(env.tokens.read);
    const views = await openPanel(dashboard);
    await saveAs(views, 'Everything');
    button(view(views, 'Everything'), 'Rename').click();
    await views.updateComplete;
    await saveAs(views, 'Second');
    // The virtualizer (a lazy chunk) renders rows only once the table is in view: the open panel
    // pushes it below the fold, where its empty scrollable body would hold nothing to focus.
    table(dashboard).scrollIntoView();
    await until(() => $$(table(dashboard), '.body [role="row"]').length > 0, 'rows rendered', 10_000);
    await expectAccessible(dashboard);
  });
});

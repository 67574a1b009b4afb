import { expect, html } from '@open-wc/testing';
import type { ClientItem, DeviceItem, Page } from '../../core/api.ts';
import '../../widgets/client-compliance/index.ts';
import type { ClientCompliance } from '../../widgets/client-compliance/component.ts';
import type { BhClientPeriod, PeriodReport } from '../../widgets/client-compliance/period-view.ts';
import { sendKeys } from '@web/test-runner-commands';
import { formatPercent } from '../../widgets/shared/format.ts';
import { $, $$, apiGet, choose, expectAccessible, ingest, mount, nextEvent, testEnv, text, until, uniqueId, type TestEnv } from './support.ts';

const header = (element: ClientCompliance, label: string) => $$(element, 'thead th').find((cell) => text(cell) === label)!;
const renderedNames = (element: ClientCompliance) => $$(element, 'tbody th[scope="row"]').map(text);
const renderedCounts = (element: ClientCompliance, clientId: string) =>
  Object.fromEntries($$(element, `tr[data-client="${clientId}"] td[data-status]`).map((cell) => [cell.dataset.status, Number(text(cell).replace(/\D/g, ''))]));

describe('<client-compliance>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountCompliance(token = env.tokens.read): Promise<ClientCompliance> {
    const element = await mount<ClientCompliance>(html`<client-compliance api-base=${env.apiBase} token=${token}></client-compliance>`);
    await element.loadComplete;
    await element.updateComplete;
    return element;
  }

  it('has no accessibility violations, in the light and the dark theme', async () => {
    const element = await mountCompliance();
    await element.chartReady;
    await expectAccessible(element);
  });

  it('lists every client with its counts by status and compliance', async () => {
    const element = await mountCompliance();
    const clients = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items;
    expect(renderedNames(element)).to.have.members(clients.map((client) => client.name));
    const client = clients[0]!;
    expect(renderedCounts(element, client.id)).to.deep.equal(client.counts);
    const row = $(element, `tr[data-client="${client.id}"]`)!;
    expect(text(row.querySelector('.compliance'))).to.contain(formatPercent(client.compliance.percent));
  });

  it('draws devices by status per client as a stacked bar chart', async () => {
    const element = await mountCompliance();
    await element.chartReady;
    const canvas = $<HTMLCanvasElement>(element, 'canvas.status-chart')!;
    expect(canvas.getAttribute('role')).to.equal('img');
    expect(canvas.getAttribute('aria-label')).to.contain('Devices by status');
    await until(() => canvas.width > 0, 'chart drawn');
  });

  it('sorts by a column when its header is pressed, with aria-sort following', async () => {
    const element = await mountCompliance();
    expect(header(element, 'Devices meeting SLA now').getAttribute('aria-sort')).to.equal('ascending');
    header(element, 'Client').querySelector('button')!.click();
    await element.updateComplete;
    expect(header(element, 'Client').getAttribute('aria-sort')).to.equal('ascending');
    expect(header(element, 'Devices meeting SLA now').hasAttribute('aria-sort')).to.be.false;
    const ascending = renderedNames(element);
    expect(ascending).to.deep.equal([...ascending].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })));
    header(element, 'Client').querySelector('button')!.click();
    await element.updateComplete;
    expect(header(element, 'Client').getAttribute('aria-sort')).to.equal('descending');
    expect(renderedNames(element)).to.deep.equal([...ascending].reverse());
  });

  it('filters clients by name', async () => {
    const element = await mountCompliance();
    const name = renderedNames(element)[1]!;
    const input = $<HTMLInputElement>(element, 'input[type="search"]')!;
    input.value = name.slice(0, 5);
    input.dispatchEvent(new Event('input'));
    await element.updateComplete;
    expect(renderedNames(element).every((rendered) => rendered.toLowerCase().includes(name.slice(0, 5).toLowerCase()))).to.be.true;
    expect(renderedNames(element)).to.include(name);
  });

  it('emits bh-client-select when a client is chosen', async () => {
    const element = await mountCompliance();
    const button = $$<HTMLButtonElement>(element, '[part~="client-button"]')[0]!;
    const clientId = button.closest('tr')!.dataset.client!;
    setTimeout(() => button.click());
    const event = await nextEvent(element, 'bh-client-select');
    expect(event.detail).to.deep.equal({ clientId });
    expect(event.bubbles && event.composed).to.be.true;
  });

  it('exports the compliance report as CSV and PDF through bh-export', async () => {
    const element = await mountCompliance();
    for (const [label, format, type] of [['Export CSV', 'csv', 'csv'], ['Export PDF', 'pdf', 'pdf']] as const) {
      const button = $$<HTMLButtonElement>(element, '[part~="export-button"]').find((candidate) => text(candidate) === label)!;
      setTimeout(() => button.click());
      const event = await nextEvent(element, 'bh-export');
      event.preventDefault();
      expect(event.detail.report).to.equal('compliance');
      expect(event.detail.format).to.equal(format);
      expect(event.detail.filename).to.match(new RegExp(`\\.${format}$`));
      expect(event.detail.blob.type).to.contain(type);
      expect(event.detail.blob.size).to.be.greaterThan(0);
    }
  });

  it('shows "session expired" and fires bh-auth-expired on a 401', async () => {
    const mounting = mount<ClientCompliance>(html`<client-compliance api-base=${env.apiBase} token=${env.tokens.expired}></client-compliance>`);
    const event = await nextEvent(document, 'bh-auth-expired');
    const element = await mounting;
    expect(event.detail.status).to.equal(401);
    await until(() => $(element, '[part~="auth-expired"]'), 'expired state');
    element.token = env.tokens.read;
    await until(() => renderedNames(element).length > 0, 'clients after a new token');
  });

  it('refreshes the counts when the stream reports device changes', async () => {
    const element = await mountCompliance();
    // A device moves to another client: both clients' counts change, whatever its policy
    // (a failed job could be merged into a run that already succeeded and change nothing).
    const device = (await apiGet<Page<DeviceItem>>('/devices?status=healthy&sort=name&order=desc&limit=1')).items[0]!;
    const clients = (await apiGet<Page<ClientItem>>('/clients?limit=500')).items;
    const other = clients.find((client) => client.id !== device.client.id)!;
    await until(() => element.api?.stream.connected, 'stream connected');
    const before = renderedCounts(element, device.client.id);
    const { apiBase, tokens } = await testEnv();
    const move = (clientId: string) =>
      fetch(`${apiBase}/api/v1/devices/${encodeURIComponent(device.id)}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${tokens.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ clientId, name: device.name, kind: device.kind, policyId: device.policy.id }),
      });
    expect((await move(other.id)).ok).to.equal(true);
    try {
      const expected = (await apiGet<ClientItem>(`/clients/${device.client.id}`)).counts;
      expect(expected).to.not.deep.equal(before);
      await until(() => JSON.stringify(renderedCounts(element, device.client.id)) === JSON.stringify(expected), 'counts refreshed from the stream');
    } finally {
      await move(device.client.id);
    }
  });
  describe('period picker', () => {
    const periodOf = (element: ClientCompliance) => $<BhClientPeriod>(element, 'bh-client-period')!;
    async function mountPeriod(): Promise<BhClientPeriod> {
      const element = await mountCompliance();
      await until(() => periodOf(element)?.shadowRoot?.querySelector('select'), 'period picker rendered');
      const period = periodOf(element);
      await until(() => $(period, '[part="period-table"], [part="error"]'), 'period figures');
      return period;
    }
    const utcDate = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

    it('shows each client\'s SLA compliance over the last 30 days by default, with a 12-week sparkline named by its numbers', async () => {
      const period = await mountPeriod();
      expect($<HTMLSelectElement>(period, 'select')!.value).to.equal('30d');
      const report = await apiGet<PeriodReport>('/compliance?period=30d');
      for (const client of report.clients) {
        const row = $(period, `tr[data-client="${client.id}"]`)!;
        expect(text(row.querySelector('td'))).to.equal(formatPercent(client.meetingPct));
      }
      const first = report.clients[0]!;
      await until(() => $(period, `tr[data-client="${first.id}"] svg[role="img"]`), 'sparkline');
      const label = $(period, `tr[data-client="${first.id}"] svg[role="img"]`)!.getAttribute('aria-label')!;
      expect(label).to.match(new RegExp(`^SLA compliance of ${first.name}, last 12 weeks: `));
      expect(label.split(': ')[1]!.split(', ')).to.have.length(12);
      await expectAccessible(period);
    });

    it('is used with the keyboard: arrow keys choose the previous month, then custom dates submitted with Enter', async () => {
      const period = await mountPeriod();
      const select = $<HTMLSelectElement>(period, 'select')!;
      select.focus();
      await sendKeys({ press: 'ArrowDown' });
      await until(() => select.value === 'month', 'previous month chosen');
      const month = await apiGet<PeriodReport>('/compliance?period=month');
      await until(() => text($(period, '[part="period-range"]')).includes(formatPercent(month.summary.meetingPct)), 'month range shown');
      await period.loadComplete;
      await period.updateComplete;
      const range = text($(period, '[part="period-range"]'));
      expect(range).to.contain(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: month.timezone }).format(new Date(month.from)));

      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await until(() => select.value === 'custom' && $(period, 'input[name="from"]'), 'custom dates offered');
      const from = $<HTMLInputElement>(period, 'input[name="from"]')!;
      const to = $<HTMLInputElement>(period, 'input[name="to"]')!;
      from.value = utcDate(14);
      from.dispatchEvent(new Event('input'));
      to.value = utcDate(7);
      to.dispatchEvent(new Event('input'));
      to.focus();
      await sendKeys({ press: 'Enter' });
      // Days, read by the API in the report's timezone (the tenant's here), which the picker states.
      expect(text($(period, '[part="period-zone"]'))).to.contain((await apiGet<PeriodReport>('/compliance?period=30d')).timezone);
      const expected = await apiGet<PeriodReport>(`/compliance?from=${utcDate(14)}&to=${utcDate(7)}`);
      await until(() => text($(period, '[part="period-range"]')).includes(formatPercent(expected.summary.meetingPct)) && !$(period, '[role="alert"]'), 'custom period shown');
      expect(text($(period, '[part="period-range"]'))).to.contain(new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: expected.timezone }).format(new Date(expected.from)));
    });

    it('exports the period it shows, not the state now: the previous month as CSV and PDF', async () => {
      const period = await mountPeriod();
      choose(period, 'Period', 'month');
      const month = await apiGet<PeriodReport>('/compliance?period=month');
      await until(() => text($(period, '[part="period-range"]')).includes(formatPercent(month.summary.meetingPct)), 'month shown');
      const day = (at: string) => new Intl.DateTimeFormat('en-CA', { timeZone: month.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
      expect($(period, '[part~="export"]')!.getAttribute('aria-label')).to.equal('This period:');
      for (const format of ['csv', 'pdf'] as const) {
        const button = $$<HTMLButtonElement>(period, '[part~="export-button"]').find((candidate) => text(candidate) === `Export ${format.toUpperCase()}`)!;
        setTimeout(() => button.click());
        const event = await nextEvent(period, 'bh-export');
        event.preventDefault();
        expect(event.detail.period).to.deep.equal({ period: 'month' });
        expect(event.detail.filename).to.equal(`sla-compliance-all-clients-${day(month.from)}-to-${day(month.to)}.${format}`);
        expect(event.detail.blob.size).to.be.greaterThan(0);
      }
    });

    /** Custom dates (days ago) typed into the picker and submitted, as a person would. */
    async function submitCustom(fromDaysAgo: number, toDaysAgo: number): Promise<BhClientPeriod> {
      const period = await mountPeriod();
      choose(period, 'Period', 'custom');
      await until(() => $(period, 'input[name="from"]'), 'custom dates offered');
      for (const [name, daysAgo] of [['from', fromDaysAgo], ['to', toDaysAgo]] as const) {
        const input = $<HTMLInputElement>(period, `input[name="${name}"]`)!;
        input.value = utcDate(daysAgo);
        input.dispatchEvent(new Event('input'));
      }
      $<HTMLButtonElement>(period, 'button[type="submit"]')!.click();
      return period;
    }

    it('refuses custom dates that end before they start', async () => {
      const period = await submitCustom(3, 10);
      await until(() => $(period, '[role="alert"]'), 'error shown');
      expect(text($(period, '[role="alert"]'))).to.equal('The end date is before the start date.');
    });

    it("shows the API's refusal of custom dates (a start in the future) without a Retry that could not help", async () => {
      const period = await submitCustom(-3, -5);
      await until(() => $(period, '[part="error"]'), 'refusal shown');
      expect(text($(period, '[part="error"]'))).to.contain('The period has not begun yet.');
      expect($(period, '[part="retry-button"]')).to.be.null;
    });
  });
});

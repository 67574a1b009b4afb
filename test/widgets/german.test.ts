// The translated widgets rendered with lang="de": German words, German dates and numbers,
// and none of the English source strings left (names and texts from data excepted).
import { expect, html } from '@open-wc/testing';
import type { ClientItem, ComplianceReport, DeviceDetail, DeviceItem, DeviceListItem, Me, Page } from '../../core/api.ts';
import '../../widgets/alert-feed/index.ts';
import '../../widgets/backup-health-badge/index.ts';
import '../../widgets/backup-health-compliance/index.ts';
import '../../widgets/backup-health-provider/index.ts';
import '../../widgets/backup-health-dashboard/index.ts';
import '../../widgets/backup-health-table/index.ts';
import '../../widgets/backup-health-device-detail/index.ts';
import '../../widgets/client-compliance/index.ts';
import type { AlertFeed } from '../../widgets/alert-feed/component.ts';
import type { BackupHealthBadge } from '../../widgets/backup-health-badge/component.ts';
import type { BackupHealthCompliance } from '../../widgets/backup-health-compliance/component.ts';
import type { BackupHealthDashboard } from '../../widgets/backup-health-dashboard/component.ts';
import type { BhFleetTrends, Trends } from '../../widgets/backup-health-dashboard/fleet-trends.ts';
import type { BhSavedViews } from '../../widgets/backup-health-dashboard/saved-views.ts';
import type { BackupHealthDeviceDetail } from '../../widgets/backup-health-device-detail/component.ts';
import type { BackupHealthTable } from '../../widgets/backup-health-table/component.ts';
import type { BhClientPeriod, PeriodReport } from '../../widgets/client-compliance/period-view.ts';
import type { ClientCompliance } from '../../widgets/client-compliance/component.ts';
import type { BhElement } from '../../widgets/shared/base-element.ts';
import { formatPercent, inViewTimeZone } from '../../widgets/shared/format.ts';
import { getLocale, langOf, widgetLocaleOf } from '../../widgets/shared/locale.ts';
import { $, $$, apiGet, expectAccessible, mount, testEnv, text, until, type TestEnv } from './support.ts';

/** English phrases of the catalog whose German differs (whole units without placeholders). */
async function englishPhrases(): Promise<string[]> {
  const xliff = new DOMParser().parseFromString(await (await fetch('/xliff/de.xlf')).text(), 'application/xml');
  return [...xliff.querySelectorAll('trans-unit')]
    .filter((unit) => !unit.querySelector('source x') && unit.querySelector('target')?.textContent !== unit.querySelector('source')?.textContent)
    .map((unit) => unit.querySelector('source')!.textContent!.trim());
}

/** Everything a person sees or hears: text through every shadow root, plus labels and tooltips. */
function heard(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element || node instanceof ShadowRoot)) return '';
  if (node instanceof Element && (node.localName === 'style' || node.localName === 'script')) return '';
  const attributes = node instanceof Element ? ['aria-label', 'title', 'placeholder', 'data-label'].map((name) => node.getAttribute(name) ?? '').join(' ') : '';
  const shadow = node instanceof Element && node.shadowRoot ? heard(node.shadowRoot) : '';
  return ` ${attributes} ${shadow} ${[...node.childNodes].map(heard).join(' ')} `;
}

/** Fails on any English phrase left once the data's own strings are taken out. */
async function expectNoEnglish(element: Element, data: readonly (string | null | undefined)[]): Promise<void> {
  let said = heard(element).replace(/\s+/g, ' ');
  for (const value of [...data].filter((item): item is string => !!item).sort((a, b) => b.length - a.length)) said = said.split(value).join(' ');
  const phrases = await englishPhrases();
  expect(phrases.length, 'the catalog lists the English phrases').to.be.greaterThan(100);
  const left = phrases.filter((phrase) => new RegExp(`(^|[^\\p{L}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(said));
  expect(left, `English left in: ${said}`).to.deep.equal([]);
  // Strings never wrapped in msg() are not in the catalog: common English words catch them.
  const words = [...said.matchAll(ENGLISH_WORDS)].map((match) => match[2]);
  expect(words, `English words left in: ${said}`).to.deep.equal([]);
}

/** English words that German UI text never contains ("was", "die", "an", "in", "Name" are German too: left out). */
const ENGLISH_WORDS = /(^|[^\p{L}])(the|and|of|with|for|from|to|by|is|are|this|that|yet|not|no|all|any|every|since|until|last|next|loading|show|save|copy|delete|rename|never|none|device|devices|client|clients|backup|backups|alert|alerts|storage|policy|score|kind|search|export|hours|days|weeks|runs|run|success|succeeded|failed|missed|skipped|pending|used|quota|near|full|total|points|weight|breach|open|healthy|warning|critical|unknown|maintenance|trends|rate|saved|view|views)(?=$|[^\p{L}])/giu;

// "3. Dez. 2026, 13:36 MEZ": German day and month, the 24-hour clock, the view's zone named.
const GERMAN_DATE_TIME = /^\d{1,2}\. \p{L}+\.? \d{4}, \d{2}:\d{2} \S+$/u;
const GERMAN_RELATIVE = /^(vor \d+ \p{L}+|in \d+ \p{L}+|jetzt|gestern|morgen|heute|letzte[nrs]? \p{L}+|nächste[nrs]? \p{L}+|Nie)$/u;

describe('German (lang="de")', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  it('chooses German for de, de-DE, de-AT and de-CH, English for anything else', () => {
    for (const lang of ['de', 'de-DE', 'de-AT', 'de-CH', 'DE-de']) expect(widgetLocaleOf(lang), lang).to.equal('de');
    for (const lang of ['', 'en', 'en-GB', 'fr', 'deu', 'nl-DE']) expect(widgetLocaleOf(lang), lang).to.equal('en');
  });

  it("takes the widget's own lang first, then the nearest ancestor's across shadow roots, then the document's", async () => {
    const host = document.createElement('div');
    host.lang = 'de-AT';
    const inner = host.attachShadow({ mode: 'open' });
    inner.innerHTML = '<span><b></b></span><i lang="fr"></i>';
    document.body.append(host);
    try {
      expect(langOf(inner.querySelector('b')!)).to.equal('de-AT');
      expect(langOf(inner.querySelector('i')!)).to.equal('fr');
      host.removeAttribute('lang');
      document.documentElement.lang = 'de-CH';
      expect(langOf(inner.querySelector('b')!)).to.equal('de-CH');
    } finally {
      document.documentElement.removeAttribute('lang');
      host.remove();
    }
  });

  async function inGerman<T extends BhElement>(element: Promise<T>, ready: (element: T) => unknown): Promise<T> {
    const mounted = await element;
    await until(() => getLocale() === 'de', 'German loaded');
    await mounted.updateComplete;
    await until(() => ready(mounted), 'rendered');
    return mounted;
  }

  it('alert feed: German filters, cards, history, acknowledge form, bulk bar and silence dialog; German dates; no English left', async () => {
    const feed = await inGerman(mount<AlertFeed>(html`<alert-feed lang="de" api-base=${env.apiBase} token=${env.tokens.operate}></alert-feed>`), (el) => el.alerts.length > 0 && $(el, '[part~="acknowledge-button"]'));
    // Reasons are data (core's English), shown with their times restated in the view's zone.
    const { timezone } = await apiGet<Me>('/me', env.tokens.operate);
    const data = feed.alerts.flatMap((alert) => [alert.device.name, alert.client.name, inViewTimeZone(alert.reason, timezone), alert.recommendedAction, alert.acknowledgedBy, alert.acknowledgementNote]);
    expect(text($(feed, 'label.field span'))).to.equal('Zustand');
    expect(text($(feed, '[part~="summary"]'))).to.match(/\d+\+? Alarme?$/);
    expect(text($(feed, '[part~="status"]'))).to.be.oneOf(['Warnung', 'Kritisch']);
    const time = $(feed, 'time')!;
    expect(time.getAttribute('title')).to.match(GERMAN_DATE_TIME);
    expect([...time.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join('').trim()).to.match(GERMAN_RELATIVE);
    await expectAccessible(feed);
    await expectNoEnglish(feed, data);

    // History, the acknowledge form and the bulk bar, each in its lazily loaded chunk.
    $(feed, '[part~="history-button"]')!.click();
    await until(() => $(feed, 'bh-alert-timeline')?.shadowRoot?.querySelector('[part~="timeline"], p.muted'), 'history');
    $(feed, '[part~="acknowledge-button"]')!.click();
    await until(() => $(feed, 'bh-acknowledge-form')?.shadowRoot?.querySelector('form'), 'acknowledge form');
    const select = $<HTMLInputElement>(feed, '[part~="select"]')!;
    select.click();
    await until(() => $(feed, 'bh-bulk-acknowledge')?.shadowRoot?.querySelector('form'), 'bulk bar');
    await feed.updateComplete;
    expect(text($(feed, 'bh-bulk-acknowledge')!.shadowRoot!.querySelector('[part~="bulk-acknowledge"]'))).to.equal('Auswahl bestätigen (1)');
    await expectAccessible(feed);
    await expectNoEnglish(feed, [...data, ...$$(feed, 'bh-alert-timeline').flatMap((timeline) => [...timeline.shadowRoot!.querySelectorAll('.note, .by')].map((node) => node.textContent))]);

    $(feed, '[part~="silence-button"]')!.click();
    await until(() => $(feed, 'bh-silence-dialog')?.shadowRoot?.querySelector('dialog[open]'), 'silence dialog');
    const dialog = $(feed, 'bh-silence-dialog')!.shadowRoot!.querySelector('dialog')!;
    expect(text(dialog.querySelector('h2'))).to.equal('Alarme wie diesen stummschalten');
    await expectNoEnglish(dialog, data);
    dialog.close();
  });

  it('badge: German status and words, German percent; no English left', async () => {
    const client = await apiGet<ClientItem>(`/clients/${env.clientScoped.clientId}`, env.clientScoped.token);
    const badge = await inGerman(mount<BackupHealthBadge>(html`<backup-health-badge lang="de-CH" api-base=${env.apiBase} token=${env.clientScoped.token}></backup-health-badge>`), (el) => $(el, '[part~="name"]'));
    expect(text($(badge, '[part~="status"]'))).to.be.oneOf(['Gesund', 'Warnung', 'Kritisch', 'Unbekannt']);
    expect(text($(badge, '[part~="compliance"]'))).to.equal(`${formatPercent(client.compliance.percent, '—', 'de-CH')} SLA-Einhaltung`);
    expect(text($(badge, '[part~="devices"]'))).to.match(/^\d+ Geräte?$/);
    await expectAccessible(badge);
    await expectNoEnglish(badge, [client.name]);
  });

  it('compliance report inside a German provider: German summary, rules, table and exports; German dates; no English left', async () => {
    const report = await apiGet<ComplianceReport>('/compliance');
    const provider = await mount<BhElement>(html`<backup-health-provider lang="de" api-base=${env.apiBase} token=${env.tokens.read}><backup-health-compliance></backup-health-compliance></backup-health-provider>`);
    const compliance = await inGerman(Promise.resolve(provider.querySelector<BackupHealthCompliance>('backup-health-compliance')!), (el) => $(el, '[part~="table"]'));
    expect(text($(compliance, '.summary dt'))).to.equal('SLA-Einhaltung');
    expect(text($(compliance, '[part~="rules"]'))).to.match(/^Mandantenregeln: eine erfolgreiche Sicherung mindestens alle \d+ h bei Arbeitsplätzen/);
    expect(text($(compliance, '[part~="export-button"]'))).to.equal('CSV exportieren');
    const lastSuccess = $$(compliance, 'tbody time[title]')[0];
    if (lastSuccess) expect(lastSuccess.getAttribute('title')).to.match(GERMAN_DATE_TIME);
    await expectAccessible(compliance);
    await expectNoEnglish(compliance, report.devices.flatMap((row) => [row.device.name, row.client.name]));
  });
});

// The rest of the kit in German: table (with the detail dialog), device detail with its
// forms, client compliance with the period view, and the dashboard inside a provider
// with its overview strip, fleet trends and saved views. Names from data (devices,
// clients, policies, maintenance windows), the API's own sentences (schedule in words,
// score reasons, alert reasons and actions, job messages) and the timezone are the
// allow-list; everything else must be German.
describe('German (lang="de"): table, device detail, client compliance, dashboard', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function inGerman<T extends BhElement>(element: Promise<T> | T, ready: (element: T) => unknown, timeout = 10_000): Promise<T> {
    const mounted = await element;
    await until(() => getLocale() === 'de', 'German loaded');
    await mounted.updateComplete;
    await until(() => ready(mounted), 'rendered', timeout);
    return mounted;
  }

  /** Every page of devices, for the names the table shows. */
  async function allDevices(): Promise<DeviceListItem[]> {
    const devices: DeviceListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<DeviceListItem> = await apiGet(`/devices?limit=500&include=schedule${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      devices.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return devices;
  }

  const deviceData = (devices: readonly (DeviceItem & Partial<DeviceListItem>)[]) =>
    devices.flatMap((d) => [d.name, d.id, d.client.name, d.policy.name, d.schedule?.text, d.maintenance?.name]);

  /** The detail's data; its reasons are shown with their times restated in the view's zone (the tenant's). */
  const detailData = async (d: DeviceDetail) => {
    const { timezone } = await apiGet<Me>('/me');
    const zoned = (reason: string) => inViewTimeZone(reason, timezone);
    return [
    ...deviceData([d]),
    d.schedule.text,
    d.pingSlug,
    ...d.reasons.map(zoned),
    ...d.openAlerts.flatMap((alert) => [zoned(alert.reason), alert.recommendedAction]),
    ...d.jobs.flatMap((job) => [job.message, job.note, job.recordedBy]),
    ...d.drTests.map((test) => test.message),
    d.reporting?.pingUrl,
    d.reporting?.curl,
    d.reporting?.mailAddress,
    ];
  };

  const clientNames = async () => (await apiGet<Page<ClientItem>>('/clients?limit=500')).items.map((client) => client.name);

  it('device table: German toolbar, headers, counts, card labels and dates; the detail dialog too; no English left; axe-clean', async () => {
    const table = await inGerman(
      mount<BackupHealthTable>(html`<backup-health-table lang="de" api-base=${env.apiBase} token=${env.tokens.read}></backup-health-table>`),
      (el) => el.rows.length > 0 && $$(el, '.body [role="row"]').length > 0,
    );
    await table.loadComplete;
    const data = [...deviceData(await allDevices()), ...(await clientNames())];
    expect($$(table, '[role="columnheader"]').map(text)).to.deep.equal(['Status', 'Gerät', 'Kunde', 'Art', 'Bewertung', 'Letzter Erfolg', 'Richtlinie', 'Belegter Speicher']);
    expect(text($(table, '[part~="summary"]'))).to.match(/^[\d.]+ Geräte?$/);
    expect(text($(table, 'label.field span'))).to.equal('Suche');
    const time = $(table, '.body time[title]');
    if (time) expect(time.getAttribute('title')).to.match(GERMAN_DATE_TIME);
    const run = $(table, '[part~="runs"] li');
    if (run) expect(run.getAttribute('title')).to.match(/^\d{1,2}\. \p{L}+\.? \d{4}, \d{2}:\d{2} \S+: (erfolgreich|Warnung|fehlgeschlagen|verpasst|übersprungen|ausstehend)$/u);
    await expectAccessible(table);
    await expectNoEnglish(table, data);

    // The detail dialog (its own chunk) of the worst device.
    ($(table, '.body [role="row"]') as HTMLElement).click();
    const detail = await inGerman(
      Promise.resolve().then(async () => {
        await until(() => $(table, 'backup-health-device-detail'), 'detail chunk');
        return $<BackupHealthDeviceDetail>(table, 'backup-health-device-detail')!;
      }),
      (el) => $(el, '[part~="score-table"]'),
    );
    expect($(table, 'dialog')!.getAttribute('aria-label')).to.equal(`Gerät ${table.rows[0]!.name}`);
    const stored = await apiGet<DeviceDetail>(`/devices/${table.rows[0]!.id}`);
    await expectNoEnglish($(table, 'dialog')!, [...data, ...(await detailData(stored))]);
    expect(detail).to.exist;
    $<HTMLDialogElement>(table, 'dialog')!.close();
  });

  it('device detail with an operator\'s and an admin\'s extras: German facts, score breakdown, jobs, the hand-recorded result form and the reporting section; no English left; axe-clean', async () => {
    const [worst] = (await apiGet<Page<DeviceItem>>('/devices?status=critical&sort=score&limit=1')).items;
    const stored = await apiGet<DeviceDetail>(`/devices/${worst!.id}`);
    const detail = await inGerman(
      mount<BackupHealthDeviceDetail>(html`<backup-health-device-detail lang="de" api-base=${env.apiBase} token=${env.tokens.admin} device-id=${worst!.id}></backup-health-device-detail>`),
      (el) => $(el, '[part~="score-table"]') && $(el, '[part~="manual-result"]'),
    );
    $<HTMLDetailsElement>(detail, '[part~="manual-result"]')!.open = true;
    await detail.updateComplete;
    expect($$(detail, 'section h3').map(text)).to.include.members(['Aufschlüsselung der Bewertung', 'Offene Alarme', 'Auftragsverlauf', 'Wie dieses Gerät meldet']);
    expect(text($(detail, '.headline'))).to.match(/Bewertung \d+ von 100/);
    expect(text($(detail, '[part~="score-band"]'))).to.match(/^(Geräte im Status „(Gesund|Warnung|Kritisch)“ erhalten|Unbekannte Geräte)/);
    expect(text($(detail, '[part~="manual-result"] summary'))).to.equal('Ergebnis von Hand erfassen');
    await expectAccessible(detail);
    await expectNoEnglish(detail, await detailData(stored));
  });

  it('client compliance: German table, filter, exports, chart description and period view with German dates; no English left; axe-clean', async () => {
    const compliance = await inGerman(
      mount<ClientCompliance>(html`<client-compliance lang="de" api-base=${env.apiBase} token=${env.tokens.read}></client-compliance>`),
      (el) => $$(el, '[part~="client-button"]').length > 0,
    );
    const period = $<BhClientPeriod>(compliance, 'bh-client-period')!;
    await until(() => period.shadowRoot?.querySelector('[part~="period-table"], [part~="empty"]'), 'period view', 15_000);
    const report = (await apiGet<PeriodReport>('/compliance?period=30d')) as PeriodReport;
    expect($$(compliance, 'thead th').map(text)).to.deep.equal(['Kunde', 'Geräte', 'Gesund', 'Warnung', 'Kritisch', 'Unbekannt', 'Geräte jetzt im SLA']);
    expect(text($(compliance, 'label.field span'))).to.equal('Kunden filtern');
    expect(text(period.shadowRoot!.querySelector('h3'))).to.equal('SLA-Einhaltung über einen Zeitraum');
    // "03.11.2026 – 02.12.2026 (UTC); insgesamt 97,5 % …": German dates and numbers.
    expect(text(period.shadowRoot!.querySelector('[part~="period-range"]'))).to.match(/^\d{2}\.\d{2}\.\d{4} – \d{2}\.\d{2}\.\d{4} \(.+\); insgesamt [\d,]+ % der Gerätezeit innerhalb des SLA\.$/);
    await expectAccessible(compliance);
    await expectNoEnglish(compliance, [...report.clients.map((client) => client.name), ...(await clientNames()), report.timezone]);
  });

  it('dashboard inside a German provider: German tabs, overview strip, fleet trends, drill-down, saved views panel and clients tab; no English left; axe-clean', async () => {
    localStorage.clear();
    const provider = await mount<BhElement>(
      html`<backup-health-provider lang="de" api-base=${env.apiBase} token=${env.tokens.read}><backup-health-dashboard></backup-health-dashboard></backup-health-provider>`,
    );
    const dashboard = await inGerman(Promise.resolve(provider.querySelector<BackupHealthDashboard>('backup-health-dashboard')!), (el) => $(el, '[part~="overview"]') && $$(el, '[role="tab"]').length === 4);
    const trends = $<BhFleetTrends>(dashboard, 'bh-fleet-trends')!;
    await until(() => trends.shadowRoot?.querySelector('table, [part~="empty"]'), 'trends', 15_000);
    const table = $<BackupHealthTable>(dashboard, 'backup-health-table')!;
    await table.loadComplete;
    const figures = await apiGet<Trends>('/trends?days=30');
    const data = [...deviceData(await allDevices()), ...(await clientNames()), figures.timezone];

    expect($$(dashboard, '[role="tab"]').map(text)).to.deep.equal(['Geräte', 'Kunden', 'Alarme', 'Compliance']);
    expect(text($(dashboard, '[part~="overview-count"]'))).to.match(/^[\d.]+ Alle Geräte$/);
    expect(text(trends.shadowRoot!.querySelector('h3'))).to.equal('Erfolgsquote und SLA-Einhaltung, letzte 30 Tage');
    await expectAccessible(dashboard);
    await expectNoEnglish(dashboard, data);

    // The saved views panel (its own chunk), with one view saved.
    $<HTMLButtonElement>(dashboard, '[part~="saved-views-button"]')!.click();
    await until(() => $<BhSavedViews>(dashboard, 'bh-saved-views')?.shadowRoot?.querySelector('#view-name'), 'saved views panel');
    const views = $<BhSavedViews>(dashboard, 'bh-saved-views')!;
    views.shadowRoot!.querySelector<HTMLInputElement>('#view-name')!.value = 'Kritische Server';
    views.shadowRoot!.querySelector<HTMLButtonElement>('[part~="saved-view-save"]')!.click();
    await until(() => views.shadowRoot!.querySelector('[part~="saved-view"]'), 'a saved view');
    expect(text(views.shadowRoot!.querySelector('[role="status"]'))).to.equal('Ansicht Kritische Server gespeichert.');
    expect(text(views.shadowRoot!.querySelector('[part~="saved-view-link"], [part~="saved-view-rename"]'))).to.match(/^(Link kopieren|Umbenennen) Kritische Server$/);
    await expectAccessible(dashboard);
    await expectNoEnglish(dashboard, [...data, 'Kritische Server']);

    // The Clients tab: trends and the per-client view, German too.
    ($$(dashboard, '[role="tab"]')[1] as HTMLElement).click();
    const clients = await inGerman(
      (async () => {
        await until(() => $(dashboard, '#panel-clients client-compliance'), 'clients panel');
        return $<ClientCompliance>(dashboard, '#panel-clients client-compliance')!;
      })(),
      (el) => $$(el, '[part~="client-button"]').length > 0,
    );
    const period = $<BhClientPeriod>(clients, 'bh-client-period')!;
    await until(() => period.shadowRoot?.querySelector('[part~="period-table"], [part~="empty"]'), 'period view', 15_000);
    const report = (await apiGet<PeriodReport>('/compliance?period=30d')) as PeriodReport;
    await expectNoEnglish($(dashboard, '#panel-clients')!, [...data, report.timezone, ...report.clients.map((client) => client.name)]);
    localStorage.clear();
  });
});

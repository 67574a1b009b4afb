// The translated widgets rendered with lang="de": German words, German dates and numbers,
// and none of the English source strings left (names and texts from data excepted).
import { expect, html } from '@open-wc/testing';
import type { ClientItem, ComplianceReport, Me, Page } from '../../core/api.ts';
import '../../widgets/alert-feed/index.ts';
import '../../widgets/backup-health-badge/index.ts';
import '../../widgets/backup-health-compliance/index.ts';
import '../../widgets/backup-health-provider/index.ts';
import type { AlertFeed } from '../../widgets/alert-feed/component.ts';
import type { BackupHealthBadge } from '../../widgets/backup-health-badge/component.ts';
import type { BackupHealthCompliance } from '../../widgets/backup-health-compliance/component.ts';
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
  const attributes = node instanceof Element ? ['aria-label', 'title', 'placeholder'].map((name) => node.getAttribute(name) ?? '').join(' ') : '';
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
}

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

// The Settings widget with lang="de": every section, with its forms and dialogs open, in
// German words with German dates and numbers; no English left anywhere a person reads or
// hears (text, aria-labels, placeholders, titles) except the strings that come from data
// (an allow-list fetched from the API, never skipped elements); axe-clean in German; and
// at 390 px the German sections make no horizontal page scroll.
import { expect, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { ClientItem, DeviceItem, OnCallSettings, Page, PsaSettings } from '../../core/api.ts';
import '../../widgets/backup-health-settings/index.ts';
import type { BackupHealthSettings } from '../../widgets/backup-health-settings/component.ts';
import type { IngestSettings, MailItem, MailPreview } from '../../widgets/backup-health-settings/ingest-api.ts';
import type { Policy } from '../../widgets/backup-health-settings/policy-api.ts';
import type { ApiElement } from '../../widgets/shared/api-element.ts';
import { getLocale } from '../../widgets/shared/locale.ts';
import type { MaintenanceWindow, Silence } from '../../widgets/shared/quiet-api.ts';
import { $, $$, apiGet, expectAccessible, mount, testEnv, text, until, type TestEnv } from './support.ts';

const SECTIONS = {
  'backup-health-sla-settings': 'SLA-Regeln',
  'backup-health-policy-settings': 'Sicherungsrichtlinien',
  'backup-health-report-settings': 'Wochenbericht',
  'backup-health-branding-settings': 'Markenauftritt',
  'backup-health-client-report-settings': 'Monatliche Kundenberichte',
  'backup-health-psa-settings': 'PSA-Tickets',
  'backup-health-oncall-settings': 'On-Call-Eskalation',
  'backup-health-alert-settings': 'Erinnerungen und Tickets',
  'backup-health-maintenance-settings': 'Wartungsfenster',
  'backup-health-silence-settings': 'Stummschaltungen',
  'backup-health-ingest-settings': 'Datenempfang: Ping-URLs und Berichts-E-Mail',
  'backup-health-keyword-rules-settings': 'Schlüsselwortregeln für Berichts-E-Mails',
  'backup-health-unmatched-mail': 'Nicht zugeordnete E-Mails',
  'backup-health-discovery-inbox': 'Posteingang für neue Geräte',
} as const;
type SectionTag = keyof typeof SECTIONS;
type Section = ApiElement & { loadComplete: Promise<unknown> };

/**
 * English words that German never uses: what an untranslated label, hint or message is
 * made of, whether or not its string is in the catalog (a string someone forgot to wrap
 * in msg() is not). Words German shares (Name, Start, Server, Ticket, Pings…) are not here.
 */
const ENGLISH_WORDS = new Set(
  `the and of with to for is are be been this that these your you every each no not yet none never any all new
  save saved saving edit delete cancel remove add copy copied loading rotate rotated approve ignore ignored enrol enrolled
  settings setting rules rule hours hour days day weekly monthly daily client clients device devices alert alerts policy policies
  schedule grace window windows report reports send sending now end ends starts time timezone kind type state matches
  comment created by expire expired silence silences show received subject sender reason first last seen held results result
  message keyword keywords pattern failure success or from until after before when what which only can cannot see here will
  would there than then its as if one once business page pages paging breach breaches threshold key escalation priority
  low medium high critical warning healthy unknown active pending over next occurrences occurrence plan planned window's
  unmatched re-parse reparse mail inbox discovery waiting choose test against read recorded nothing would job jobs run runs
  due working out preview week month year monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
  tenant override overrides empty applies recipients delivery day-of-month weekday lateness skip skipping
  several within decides worst best mixed merge branding accent colour color company address addresses
  comma-separated regular expression literal group groups feed`.split(/\s+/).filter(Boolean),
);

/** English phrases of the catalog whose German differs: every unit's literal text between placeholders, two words or more. */
async function catalogPhrases(): Promise<string[]> {
  const xliff = new DOMParser().parseFromString(await (await fetch('/xliff/de.xlf')).text(), 'application/xml');
  const phrases = new Set<string>();
  for (const unit of xliff.querySelectorAll('trans-unit')) {
    const source = unit.querySelector('source')!;
    if (unit.querySelector('target')?.textContent === source.textContent) continue;
    for (const node of source.childNodes) {
      const literal = node.nodeType === Node.TEXT_NODE ? node.textContent!.replace(/\s+/g, ' ').trim().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '') : '';
      if (literal.split(' ').length >= 2) phrases.add(literal);
    }
  }
  return [...phrases];
}

/** Everything a person sees or hears, through every shadow root: text, aria-labels, titles and placeholders. */
function heard(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element || node instanceof ShadowRoot)) return '';
  if (node instanceof Element && (node.localName === 'style' || node.localName === 'script')) return '';
  const attributes = node instanceof Element ? ['aria-label', 'title', 'placeholder'].map((name) => node.getAttribute(name) ?? '').join(' ') : '';
  const shadow = node instanceof Element && node.shadowRoot ? heard(node.shadowRoot) : '';
  return ` ${attributes} ${shadow} ${[...node.childNodes].map(heard).join(' ')} `;
}

/** Fails on any English word or catalog phrase left once the data's own strings are taken out. */
async function expectNoEnglish(where: string, element: Element, data: readonly (string | null | undefined)[]): Promise<void> {
  let said = heard(element).replace(/\s+/g, ' ');
  for (const value of [...new Set(data)].filter((item): item is string => !!item && item.trim().length > 0).sort((a, b) => b.length - a.length)) said = said.split(value).join(' ');
  const phrases = (await catalogPhrases()).filter((phrase) => new RegExp(`(^|[^\\p{L}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\p{L}])`, 'u').test(said));
  const words = [...new Set((said.match(/\p{L}[\p{L}'-]*/gu) ?? []).filter((word) => ENGLISH_WORDS.has(word.toLowerCase())))];
  expect({ phrases, words }, `English left in ${where}: ${said}`).to.deep.equal({ phrases: [], words: [] });
}

/** Sets a form field by name, as typing would. */
function fill(host: Element, selector: string, value: string): void {
  const field = $<HTMLInputElement | HTMLSelectElement>(host, selector)!;
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

async function click(host: Section, selector: string, ready: string, what: string): Promise<void> {
  $<HTMLElement>(host, selector)!.click();
  await until(() => $(host, ready), what);
  await host.updateComplete;
}

/** Page-level horizontal overflow, in px (0 when everything fits). */
const overflow = (): number => document.documentElement.scrollWidth - document.documentElement.clientWidth;

describe('Settings in German (lang="de")', () => {
  let env: TestEnv;
  let data: string[];
  before(async () => {
    env = await testEnv();
    data = await dataStrings();
  });
  after(async () => {
    await setViewport({ width: 800, height: 600 });
  });

  /** The strings the API holds and the widget shows as they are: names, comments, subjects, server-sent reasons. */
  async function dataStrings(): Promise<string[]> {
    const [clients, devices, policies, windows, silences, mail, discovery, ingest, psa, oncall] = await Promise.all([
      apiGet<Page<ClientItem>>('/clients?limit=500'),
      apiGet<Page<DeviceItem>>('/devices?limit=500'),
      apiGet<{ items: Policy[] }>('/policies'),
      apiGet<Page<MaintenanceWindow>>('/maintenance?limit=100'),
      apiGet<Page<Silence>>('/silences?limit=100'),
      apiGet<Page<MailItem>>('/mail?limit=50'),
      apiGet<Page<{ slug: string }>>('/discovery'),
      apiGet<IngestSettings>('/settings/ingest'),
      apiGet<PsaSettings>('/settings/integrations/psa'),
      apiGet<OnCallSettings>('/settings/integrations/oncall'),
    ]);
    return [
      ...clients.items.flatMap((client) => [client.name, client.id]),
      ...devices.items.flatMap((device) => [device.name, device.id, device.policy.name]),
      ...policies.items.map((policy) => policy.name),
      ...windows.items.map((window) => window.name),
      ...silences.items.flatMap((silence) => [silence.createdBy, silence.comment]),
      ...mail.items.flatMap((item) => [item.subject, item.from, item.reason]),
      ...discovery.items.map((item) => item.slug),
      ...ingest.keywordRules.flatMap((rule) => [(rule as { name?: string }).name, rule.match.from, rule.match.subject, rule.device, ...(rule.failureKeywords ?? []), ...(rule.successKeywords ?? [])]),
      ingest.mailAddress,
      psa.status?.lastError?.message,
      oncall.status?.lastError?.message,
      Intl.DateTimeFormat().resolvedOptions().timeZone,
    ].filter((value): value is string => typeof value === 'string');
  }

  async function mountGerman(): Promise<{ settings: BackupHealthSettings; section: (tag: SectionTag) => Section }> {
    const settings = await mount<BackupHealthSettings>(html`<backup-health-settings lang="de" api-base=${env.apiBase} token=${env.tokens.admin}></backup-health-settings>`);
    await until(() => getLocale() === 'de', 'German loaded');
    const section = (tag: SectionTag) => settings.shadowRoot!.querySelector(tag) as Section;
    for (const tag of Object.keys(SECTIONS) as SectionTag[]) {
      await section(tag).loadComplete;
      await section(tag).updateComplete;
    }
    await until(() => $(section('backup-health-sla-settings'), 'tbody tr'), 'client overrides listed');
    return { settings, section };
  }

  it('says every section in German, with German dates and counts, and no English left', async () => {
    const { settings, section } = await mountGerman();
    for (const [tag, heading] of Object.entries(SECTIONS) as [SectionTag, string][]) {
      expect(text($(section(tag), 'h2')), tag).to.equal(heading);
      await expectNoEnglish(tag, section(tag), data);
    }
    expect(text($(section('backup-health-sla-settings'), '[part~="save-button"]'))).to.equal('Speichern');
    expect(text($(section('backup-health-ingest-settings'), '[part~="rotate-button"]'))).to.equal('Ping-Schlüssel erneuern…');
    const discovered = $(section('backup-health-discovery-inbox'), 'tbody time');
    // "3. Dez. 2026, 13:36 MEZ": German day and month, the 24-hour clock, the view's zone named.
    if (discovered) expect(text(discovered)).to.match(/^\d{1,2}\. \p{L}+\.? \d{4}, \d{2}:\d{2} \S+$/u);
    await expectAccessible(settings);
  });

  /** An unknown device in the discovery inbox (other test files approve or ignore the seeded ones on this BFF). */
  async function discoverOne(): Promise<void> {
    const { pingKey } = await apiGet<IngestSettings>('/settings/ingest');
    // Ping URLs answer no CORS headers (agents, not browsers, call them): an opaque request still reaches the BFF.
    await fetch(`${env.apiBase}/ping/${pingKey}/german-nas-${Math.random().toString(36).slice(2, 8)}?create=1`, { mode: 'no-cors' });
    for (let tries = 0; !(await apiGet<Page<{ slug: string }>>('/discovery')).items.some((item) => item.slug.startsWith('german-nas-')); tries++) {
      if (tries > 100) throw new Error('the pinged device never reached the discovery inbox');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('keeps the forms, dialogs and answers German: policy editor (every kind, with its preview), maintenance, silence, keyword rules, discovery, rotation', async () => {
    await discoverOne();
    const { settings, section } = await mountGerman();

    const policies = section('backup-health-policy-settings');
    await click(policies, '[part~="new-button"]', 'form[part~="form"]', 'policy form');
    // The preview answers in the API's words; the widget says each kind's default schedule in German.
    const words: Record<string, RegExp> = {
      monthly: /^Monatlich am letzten Tag um 03:00 \S+, \d+ Std\. Kulanzzeit$/,
      cron: /^Cron „0 22 \* \* 1-5“ \S+, \d+ Std\. Kulanzzeit$/,
      interval: /^Alle 24 Std\.$/,
      weekly: /^Mo–Fr um 22:00 \S+, \d+ Std\. Kulanzzeit$/,
    };
    for (const [kind, said] of Object.entries(words)) {
      $<HTMLInputElement>(policies, `input[name="kind"][value="${kind}"]`)!.click();
      await policies.updateComplete;
      await until(() => said.test(text($(policies, '#preview-words'))), `${kind} preview in German`, 8_000);
      await expectNoEnglish(`policy form (${kind})`, policies, data);
    }
    expect(text($(policies, '#preview-label'))).to.match(/^Nächste 5 fällige Läufe \(.+\)$/);
    expect(text($(policies, '[part~="preview"] time'))).to.match(/^(Montag|Dienstag|Mittwoch|Donnerstag|Freitag), \d{1,2}\. \p{L}+ \d{4} um 22:00$/u);

    const maintenance = section('backup-health-maintenance-settings');
    await click(maintenance, '[part~="new-button"]', 'form[part~="form"]', 'maintenance form');
    for (const kind of ['once', 'monthly', 'weekly']) {
      $<HTMLInputElement>(maintenance, `input[name="kind"][value="${kind}"]`)!.click();
      await maintenance.updateComplete;
      await expectNoEnglish(`maintenance form (${kind})`, maintenance, data);
    }
    expect(text($(maintenance, '[part~="window"] p'))).to.match(/ · (Einmalig|Wöchentlich am .+ um .+ für .+|Monatlich am .+)$/);

    const silences = section('backup-health-silence-settings');
    await click(silences, '[part~="new-button"]', 'form[part~="form"]', 'silence form');
    await expectNoEnglish('silence form', silences, data);
    fill(silences, 'select[part~="filter"]', '');
    await until(() => !$(silences, '[aria-busy="true"]') && $(silences, '[part~="list"], [part~="empty"]'), 'every silence listed');
    await expectNoEnglish('silences, every state', silences, data);

    const rules = section('backup-health-keyword-rules-settings');
    const message = $<HTMLSelectElement>(rules, 'select[name="preview-message"]');
    let preview: MailPreview | undefined;
    if (message) {
      const id = message.options[1]!.value;
      fill(rules, 'select[name="preview-message"]', id);
      await rules.updateComplete;
      // What the API says of the message (its own reason, job messages, skipped rows) is data.
      // With the rules the form shows (other test files may have saved some on this BFF).
      const { keywordRules } = await apiGet<IngestSettings>('/settings/ingest');
      const response = await fetch(`${env.apiBase}/api/v1/mail/${id}/preview`, { method: 'POST', headers: { Authorization: `Bearer ${env.tokens.admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ rules: keywordRules }) });
      preview = (await response.json()) as MailPreview;
      $<HTMLButtonElement>(rules, '[part~="preview-button"]')!.click();
      await until(() => text($(rules, '[part~="preview"]')), 'verdict');
      expect(text($(rules, '[part~="preview"]'))).to.match(/^(Kein Parser und keine Regel erkennt sie|Vom Parser \S+ gelesen|Von den Schlüsselwortregeln gelesen)/);
    }
    // A new, empty rule's fields (a test against it would answer the API's 422 findings, sent in English).
    await click(rules, '[part~="add-button"]', '[part~="rule"]', 'a rule added');
    await expectNoEnglish('keyword rules with a verdict', rules, [...data, preview?.reason, ...(preview?.jobs ?? []).flatMap((job) => [job.device, job.message]), ...(preview?.skipped ?? [])]);

    const inbox = section('backup-health-discovery-inbox');
    await until(() => $(inbox, '[part~="approve-button"]'), 'a discovered device listed');
    await click(inbox, '[part~="approve-button"]', 'form[part~="form"]', 'enrol form');
    expect(text($(inbox, 'form [part~="save-button"]'))).to.match(/^Aufnehmen und (1 zurückgehaltenes Ergebnis|\d+ zurückgehaltene Ergebnisse) erfassen$/);
    await expectNoEnglish('enrol form', inbox, data);

    // The rotation's confirmation (a modal dialog; its words are checked above, closed).
    const ingest = section('backup-health-ingest-settings');
    expect(text($(ingest, 'dialog h3'))).to.equal('Ping-Schlüssel erneuern?');
    expect($(ingest, '[part~="copy-button"]')!.getAttribute('aria-label')).to.equal('Ping-URL-Basis kopieren');

    await expectAccessible(settings);
  });

  it('says what it did in German: saved, a refused form, a removed rule', async () => {
    const { section } = await mountGerman();
    const alerts = section('backup-health-alert-settings');
    $<HTMLButtonElement>(alerts, '[part~="save-button"]')!.click();
    await until(() => text($(alerts, '.message')).includes('Gespeichert.'), 'saved in German');

    const oncall = section('backup-health-oncall-settings');
    const enabled = $<HTMLInputElement>(oncall, 'input[name="enabled"]')!;
    enabled.checked = true;
    for (const box of $$<HTMLInputElement>(oncall, 'input[name="deviceKinds"]')) box.checked = false;
    $<HTMLButtonElement>(oncall, '[part~="save-button"]')!.click();
    await until(() => text($(oncall, '.message')), 'refusal');
    expect(text($(oncall, '.message'))).to.equal('Wählen Sie mindestens eine Geräteart, bei der alarmiert wird.');

    const rules = section('backup-health-keyword-rules-settings');
    await click(rules, '[part~="add-button"]', '[part~="rule"]', 'a rule added');
    const count = $$(rules, '[part~="rule"]').length;
    expect($$(rules, '[part~="remove-button"]').at(-1)!.getAttribute('aria-label')).to.equal(`Regel ${count} entfernen`);
    $$<HTMLButtonElement>(rules, '[part~="remove-button"]').at(-1)!.click();
    await until(() => text($(rules, '.message')), 'removal announced');
    expect(text($(rules, '.message'))).to.equal(`Regel ${count} entfernt; speichern Sie, um die Änderung zu übernehmen.`);
  });

  it('fits a 390 px phone in German: no section, form or table makes the page scroll sideways', async () => {
    await setViewport({ width: 390, height: 844 });
    await discoverOne();
    const { section } = await mountGerman();
    await click(section('backup-health-policy-settings'), '[part~="new-button"]', 'form[part~="form"]', 'policy form');
    await click(section('backup-health-maintenance-settings'), '[part~="new-button"]', 'form[part~="form"]', 'maintenance form');
    await click(section('backup-health-silence-settings'), '[part~="new-button"]', 'form[part~="form"]', 'silence form');
    await click(section('backup-health-keyword-rules-settings'), '[part~="add-button"]', '[part~="rule"]', 'a rule added');
    await click(section('backup-health-discovery-inbox'), '[part~="approve-button"]', 'form[part~="form"]', 'enrol form');
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(document.documentElement.clientWidth).to.equal(390);
    expect(overflow(), 'page wider than the phone').to.be.at.most(0);
  });
});

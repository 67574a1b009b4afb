import { expect, html } from '@open-wc/testing';
import '../../widgets/backup-health-settings/index.ts';
import type { IngestSettings, KeywordRules } from '../../widgets/backup-health-settings/ingest-api.ts';
import type { BhElement } from '../../widgets/shared/base-element.ts';
import { $, $$, apiGet, expectAccessible, mount, nextEvent, testEnv, text, until, type TestEnv } from './support.ts';

type Section = BhElement & { loadComplete: Promise<unknown> };

/** Types into an input, as a person would. */
function type(input: HTMLInputElement | null, value: string): void {
  if (!input) throw new Error('No such input');
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

function select(host: Element, name: string, value: string): void {
  const field = $<HTMLSelectElement>(host, `select[name="${name}"]`)!;
  field.value = value;
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

describe('Settings → Ingest', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountSection(tag: string, token = env.tokens.admin): Promise<Section> {
    const template =
      tag === 'backup-health-ingest-settings'
        ? html`<backup-health-ingest-settings api-base=${env.apiBase} token=${token}></backup-health-ingest-settings>`
        : tag === 'backup-health-keyword-rules-settings'
          ? html`<backup-health-keyword-rules-settings api-base=${env.apiBase} token=${token}></backup-health-keyword-rules-settings>`
          : tag === 'backup-health-unmatched-mail'
            ? html`<backup-health-unmatched-mail api-base=${env.apiBase} token=${token}></backup-health-unmatched-mail>`
            : html`<backup-health-discovery-inbox api-base=${env.apiBase} token=${token}></backup-health-discovery-inbox>`;
    const section = await mount<Section>(template);
    await section.loadComplete;
    await section.updateComplete;
    return section;
  }

  it('shows the ping key masked and the report mail address, accessibly', async () => {
    const section = await mountSection('backup-health-ingest-settings');
    const settings = await apiGet<IngestSettings>('/settings/ingest');
    const key = text($(section, '[part~="ping-key"]'));
    expect(key).to.not.contain(settings.pingKey);
    expect(key.endsWith(settings.pingKey.slice(-4))).to.equal(true);
    expect(text($(section, '[part~="mail-address"]'))).to.equal(settings.mailAddress);
    expect($$(section, '[part~="copy-button"]').map((button) => button.getAttribute('aria-label'))).to.include('Copy report mail address');
    await expectAccessible(section);
  });

  it('rotates the ping key only after a confirmation saying the old URLs stop at once; the new key is shown', async () => {
    const section = await mountSection('backup-health-ingest-settings');
    const before = await apiGet<IngestSettings>('/settings/ingest');
    $<HTMLButtonElement>(section, '[part~="rotate-button"]')!.click();
    const dialog = $<HTMLDialogElement>(section, 'dialog')!;
    expect(dialog.open).to.equal(true);
    expect(text(dialog)).to.contain('stop working at once');
    expect(section.shadowRoot!.activeElement?.getAttribute('part')).to.equal('cancel-button');

    dialog.querySelector<HTMLButtonElement>('[part~="cancel-button"]')!.click();
    expect(dialog.open).to.equal(false);
    expect((await apiGet<IngestSettings>('/settings/ingest')).pingKey).to.equal(before.pingKey);

    $<HTMLButtonElement>(section, '[part~="rotate-button"]')!.click();
    const saved = nextEvent(section, 'bh-settings-save');
    dialog.querySelector<HTMLButtonElement>('[part~="confirm-rotate-button"]')!.click();
    await saved;
    const after = await apiGet<IngestSettings>('/settings/ingest');
    expect(after.pingKey).to.not.equal(before.pingKey);
    await until(() => text($(section, '.message')).includes('no longer work'), 'rotated message');
    expect(text($(section, '[part~="mail-address"]'))).to.equal(after.mailAddress);
    // That the old URL answers 404 at once is the ping route's test (no CORS on /ping for a page to see it).
    expect(after.mailAddress).to.not.contain(before.pingKey);
  });

  it('tests keyword rules as typed against a received message, shows a bad pattern beside its field, and saves them', async () => {
    const section = await mountSection('backup-health-keyword-rules-settings');
    $<HTMLButtonElement>(section, '[part~="add-button"]')!.click();
    await section.updateComplete;
    const rule = $(section, '[part~="rule"]')!;
    expect(section.shadowRoot!.activeElement).to.equal(rule.querySelector('input'));
    type(rule.querySelector('input[name="0.subject"]'), '^Nightly backup of (\\S+)');
    type(rule.querySelector('input[name="0.device"]'), '$1');
    type(rule.querySelector('input[name="0.failure"]'), 'failed, FAILED');

    const mail = (await apiGet<{ items: { id: string; subject: string }[] }>('/mail')).items.find((item) => item.subject === env.ingest.unmatchedSubject)!;
    select(section, 'preview-message', mail.id);
    await section.updateComplete;
    $<HTMLButtonElement>(section, '[part~="preview-button"]')!.click();
    await until(() => text($(section, '[part~="preview"]')).includes('1 job would be recorded'), 'preview verdict');
    expect(text($(section, '[part~="preview"]'))).to.contain('nas-01');
    expect(text($(section, '[part~="preview"]'))).to.contain('failed');

    type(rule.querySelector('input[name="0.subject"]'), '(unclosed');
    $<HTMLButtonElement>(section, '[part~="save-button"]')!.click();
    await until(() => $(section, '[part~="field-error"]'), 'field error');
    const invalid = $<HTMLInputElement>(section, 'input[name="0.subject"]')!;
    expect(invalid.getAttribute('aria-invalid')).to.equal('true');
    expect(text(section.shadowRoot!.getElementById(invalid.getAttribute('aria-describedby')!.split(' ')[0]!))).to.contain('regular expression');
    expect((await apiGet<IngestSettings>('/settings/ingest')).keywordRules).to.deep.equal([]);

    type(invalid, '^Nightly backup of (\\S+)');
    const saved = nextEvent(section, 'bh-settings-save');
    $<HTMLButtonElement>(section, '[part~="save-button"]')!.click();
    await saved;
    const stored: KeywordRules = (await apiGet<IngestSettings>('/settings/ingest')).keywordRules;
    expect(stored.map((r) => [r.match.subject, r.device, r.failureKeywords])).to.deep.equal([['^Nightly backup of (\\S+)', '$1', ['failed', 'FAILED']]]);
    await expectAccessible(section);
  });

  it('lists unmatched mail with its reason, sender and time, and re-parses a message', async () => {
    const section = await mountSection('backup-health-unmatched-mail');
    const row = $$(section, 'tbody tr').find((candidate) => text(candidate).includes(env.ingest.unmatchedSubject))!;
    expect(row).to.exist;
    expect(text(row)).to.contain('backup@nas01.contoso.example');
    expect(row.querySelector('time')).to.exist;
    expect(text(row.querySelectorAll('td')[2])).to.not.equal('');
    await expectAccessible(section);
    const saved = nextEvent(section, 'bh-settings-save');
    row.querySelector<HTMLButtonElement>('[part~="reparse-button"]')!.click();
    await saved;
    await until(() => text($(section, '.message')).includes(env.ingest.unmatchedSubject), 're-parse outcome');
  });

  it('approves a discovered device under a chosen client and policy (its held results recorded) and ignores another', async () => {
    const section = await mountSection('backup-health-discovery-inbox');
    const [approved, ignored] = env.ingest.discovered as [string, string];
    expect($$(section, 'tbody th[scope="row"]').map(text)).to.include.members([approved, ignored]);
    await expectAccessible(section);

    $<HTMLButtonElement>(section, `tr[data-slug="${approved}"] [part~="approve-button"]`)!.click();
    await section.updateComplete;
    const form = $(section, 'form[part~="form"]')!;
    const client = [...form.querySelectorAll<HTMLOptionElement>('select[name="clientId"] option')].find((option) => option.value)!.value;
    const policy = [...form.querySelectorAll<HTMLOptionElement>('select[name="policyId"] option')].find((option) => option.value)!.value;
    select(section, 'clientId', client);
    select(section, 'policyId', policy);
    const enrolled = nextEvent(section, 'bh-settings-save');
    form.querySelector<HTMLButtonElement>('[part~="save-button"]')!.click();
    await enrolled;
    await until(() => text($(section, '.message')).includes(`Enrolled ${approved}`), 'enrolled message');
    expect(text($(section, '.message'))).to.contain('2 held results recorded');
    const device = await apiGet<{ client: { id: string }; policy: { id: string }; pingSlug: string | null }>(`/devices/${approved}`);
    expect([device.client.id, device.policy.id, device.pingSlug]).to.deep.equal([client, policy, approved]);

    const ignoredEvent = nextEvent(section, 'bh-settings-save');
    $<HTMLButtonElement>(section, `tr[data-slug="${ignored}"] [part~="ignore-button"]`)!.click();
    await ignoredEvent;
    await until(() => !$(section, `tr[data-slug="${ignored}"]`) && !$(section, `tr[data-slug="${approved}"]`), 'both gone from the inbox');
  });

  it('explains to a credential without the admin scope that only an admin can see ingest settings', async () => {
    for (const tag of ['backup-health-ingest-settings', 'backup-health-keyword-rules-settings', 'backup-health-unmatched-mail', 'backup-health-discovery-inbox']) {
      const section = await mountSection(tag, env.tokens.read);
      expect(text($(section, '[part~="admin-only"]')), tag).to.contain('Only an admin');
    }
  });

  it('is loaded only once both of its requests have answered, when one is refused before the other', async () => {
    const original = window.fetch;
    // The keyword rules load the ingest settings and the mail list; a slow machine can
    // answer the mail list's 403 first, as this does on purpose.
    window.fetch = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/settings/ingest')) await new Promise((resolve) => setTimeout(resolve, 300));
      return original(input, init);
    };
    try {
      const section = await mountSection('backup-health-keyword-rules-settings', env.tokens.read);
      expect(text($(section, '[part~="admin-only"]'))).to.contain('Only an admin');
    } finally {
      window.fetch = original;
    }
  });
});

import { expect, html } from '@open-wc/testing';
import '../../widgets/backup-health-settings/index.ts';
import type { Policy } from '../../widgets/backup-health-settings/policy-api.ts';
import type { BackupHealthPolicySettings } from '../../widgets/backup-health-settings/policy-settings.ts';
import { $, $$, apiGet, expectAccessible, mount, nextEvent, testEnv, text, until, uniqueId, type TestEnv } from './support.ts';

/** Sets a form field by name, as typing would. */
function fill(host: Element, name: string, value: string): void {
  const field = $<HTMLInputElement | HTMLSelectElement>(host, `form [name="${name}"]`);
  if (!field) throw new Error(`No field ${name}`);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
}

function tick(host: Element, name: string, value: string, checked = true): void {
  const box = $<HTMLInputElement>(host, `form input[name="${name}"][value="${value}"]`)!;
  box.checked = checked;
  box.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Picks a schedule kind and waits for its fields. */
async function pickKind(host: BackupHealthPolicySettings, kind: string): Promise<void> {
  tick(host, 'kind', kind);
  await host.updateComplete;
}

const policyItem = (host: Element, id: string) => $(host, `[part~="policy"][data-policy="${id}"]`);
const previewSlots = (host: Element) => $$(host, '[part~="preview"] li time');
const allPolicies = async () => (await apiGet<{ items: Policy[] }>('/policies')).items;

describe('Settings → Backup policies <backup-health-policy-settings>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountPolicies(): Promise<BackupHealthPolicySettings> {
    const element = await mount<BackupHealthPolicySettings>(html`<backup-health-policy-settings api-base=${env.apiBase} token=${env.tokens.admin}></backup-health-policy-settings>`);
    await element.loadComplete;
    await until(() => $(element, '[part~="list"], [part~="empty"], [part~="error"]'), 'policies rendered');
    return element;
  }

  async function openEdit(element: BackupHealthPolicySettings, id: string): Promise<void> {
    policyItem(element, id)!.querySelector<HTMLButtonElement>('[part~="edit-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
  }

  it('lists every policy with its schedule in words', async () => {
    const element = await mountPolicies();
    const policies = await allPolicies();
    expect(policies.length).to.be.greaterThan(0);
    for (const policy of policies) {
      const item = policyItem(element, policy.id);
      expect(item, policy.id).to.exist;
      expect(text(item!.querySelector('h3'))).to.equal(policy.name);
      expect(text(item)).to.contain(policy.text);
    }
  });

  it('previews the next 5 slots of a Mon–Fri 22:00 schedule, in the timezone it names', async () => {
    const element = await mountPolicies();
    const [first] = await allPolicies();
    await openEdit(element, first!.id);
    await pickKind(element, 'weekly');
    for (const day of ['1', '2', '3', '4', '5']) tick(element, 'days', day, true);
    for (const day of ['6', '7']) tick(element, 'days', day, false);
    fill(element, 'times', '22:00');
    fill(element, 'timezone', 'Europe/Berlin');
    await until(() => text($(element, '[part~="preview"] [role="status"]')).includes('22:00') && previewSlots(element).length === 5 && text($(element, '[part~="preview"]')).includes('Europe/Berlin'), 'preview of 5 slots');
    const slots = previewSlots(element).map((slot) => slot.getAttribute('datetime')!);
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    for (const slot of slots) {
      const shown = berlin.format(new Date(slot));
      expect(shown, slot).to.match(/^(Mon|Tue|Wed|Thu|Fri) 22:00$/);
    }
    $<HTMLButtonElement>(element, '[part~="cancel-button"]')!.click();
  });

  it('shows a bad cron line refused beside the cron field, and nothing is saved', async () => {
    const element = await mountPolicies();
    const [first] = await allPolicies();
    await openEdit(element, first!.id);
    await pickKind(element, 'cron');
    fill(element, 'expression', '0 22 * *');
    await until(() => $(element, 'input[name="expression"][aria-invalid="true"]'), 'cron field marked invalid');
    const field = $<HTMLInputElement>(element, 'input[name="expression"]')!;
    const error = field.closest('label')!.querySelector('[part~="field-error"]')!;
    expect(error).to.exist;
    expect(field.getAttribute('aria-describedby')).to.equal(error.id);
    fill(element, 'expression', '0 22 * * 1-5');
    await until(() => !$(element, 'input[name="expression"][aria-invalid="true"]') && previewSlots(element).length === 5, 'fixed cron line previewed');
    $<HTMLButtonElement>(element, '[part~="cancel-button"]')!.click();
    expect((await allPolicies()).find((policy) => policy.id === first!.id)).to.deep.equal(first);
  });

  it('creates a policy and saves it changed to weekly Mon–Fri 22:00 with grace, offline skipping and per-run merge', async () => {
    const element = await mountPolicies();
    const name = uniqueId('Workstations');
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    fill(element, 'name', name);
    await pickKind(element, 'interval');
    fill(element, 'hours', '6');
    let saved = nextEvent(element, 'bh-settings-save');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await saved;
    const created = (await allPolicies()).find((policy) => policy.name === name)!;
    expect(created.schedule).to.deep.equal({ kind: 'interval', hours: 6 });
    await until(() => policyItem(element, created.id), 'new policy listed');

    await openEdit(element, created.id);
    await pickKind(element, 'weekly');
    for (const day of ['1', '2', '3', '4', '5']) tick(element, 'days', day, true);
    fill(element, 'times', '22:00');
    fill(element, 'graceHours', '4');
    $<HTMLInputElement>(element, 'input[name="skipWhenOffline"]')!.click();
    fill(element, 'alertAfterDays', '5');
    fill(element, 'merge', 'per-run');
    fill(element, 'mergeRule', 'worst');
    saved = nextEvent(element, 'bh-settings-save');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await saved;
    await until(() => text($(element, '.message')).includes('Saved'), 'saved announced');
    expect($(element, '.message')!.getAttribute('role')).to.equal('status');
    const stored = (await allPolicies()).find((policy) => policy.id === created.id)!;
    expect(stored.schedule).to.deep.equal({ kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] });
    expect(stored.graceHours).to.equal(4);
    expect(stored.offline).to.deep.equal({ skipWhenOffline: true, alertAfterDays: 5 });
    expect(stored.merge).to.equal('per-run');
    expect(stored.mergeRule).to.equal('worst');
    await until(() => text(policyItem(element, created.id)).includes(stored.text), 'listed in its new words');
  });

  it('explains that only an admin can see policies, to a read-only token', async () => {
    const element = await mount<BackupHealthPolicySettings>(html`<backup-health-policy-settings api-base=${env.apiBase} token=${env.tokens.read}></backup-health-policy-settings>`);
    await element.loadComplete;
    await until(() => $(element, '[part~="admin-only"]'), 'admin-only explanation');
    expect(text($(element, '[part~="admin-only"]'))).to.contain('Only an admin');
    expect($(element, '[part~="new-button"]')).to.equal(null);
    await expectAccessible(element);
  });

  it('has no accessibility violations, listing policies and with the form open, in the light and the dark theme', async () => {
    const element = await mountPolicies();
    await expectAccessible(element);
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => previewSlots(element).length === 5, 'form open with its preview');
    await expectAccessible(element);
  });
});

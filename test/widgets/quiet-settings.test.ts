import { expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { Me, Page } from '../../core/api.ts';
import '../../widgets/backup-health-settings/index.ts';
import type { BackupHealthMaintenanceSettings } from '../../widgets/backup-health-settings/maintenance-settings.ts';
import type { BackupHealthSilenceSettings } from '../../widgets/backup-health-settings/silence-settings.ts';
import { ALERT_TYPE_LABELS } from '../../widgets/shared/labels.ts';
import type { MaintenanceWindow, Silence } from '../../widgets/shared/quiet-api.ts';
import { $, $$, apiGet, choose, expectAccessible, mount, nextEvent, testEnv, text, until, uniqueId, type TestEnv } from './support.ts';

/** Sets a form field by name, as typing would. */
function fill(host: Element, name: string, value: string): void {
  const field = $<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(host, `form [name="${name}"]`);
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

/** A `datetime-local` value `hours` from now, in the browser's time. */
function localIn(hours: number): string {
  const at = new Date(Date.now() + hours * 3_600_000);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const windowItem = (element: Element, id: string) => $(element, `[part~="window"][data-window="${id}"]`);
const windowNamed = (element: Element, name: string) => $$(element, '[part~="window"]').find((item) => text(item.querySelector('h3')) === name);

describe('Settings → Maintenance <backup-health-maintenance-settings>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountMaintenance(): Promise<BackupHealthMaintenanceSettings> {
    const element = await mount<BackupHealthMaintenanceSettings>(html`<backup-health-maintenance-settings api-base=${env.apiBase} token=${env.tokens.admin}></backup-health-maintenance-settings>`);
    await element.loadComplete;
    await until(() => $(element, '[part~="list"], [part~="empty"], [part~="error"]'), 'windows rendered');
    return element;
  }

  async function save(element: BackupHealthMaintenanceSettings): Promise<void> {
    const saved = nextEvent(element, 'bh-settings-save');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await saved;
  }

  it('has no accessibility violations, listing windows and with the form open, in the light and the dark theme', async () => {
    const element = await mountMaintenance();
    await expectAccessible(element);
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    await expectAccessible(element);
  });

  it('lists a window with its scope in words, whether it is on now and its next occurrences', async () => {
    const element = await mountMaintenance();
    const item = windowItem(element, 'widget-tests-firmware')!;
    expect(text(item)).to.contain('Firmware update').and.contain(`Device ${env.maintenance.deviceName}`).and.contain('One-off').and.contain('Active now');
    const [window] = (await apiGet<Page<MaintenanceWindow>>('/maintenance?limit=100')).items.filter((w) => w.id === 'widget-tests-firmware');
    const times = [...item.querySelectorAll('[part~="next"] time')].map((time) => time.getAttribute('datetime'));
    expect(times).to.deep.equal([window!.next[0]!.start, window!.next[0]!.end]);
  });

  it('plans a weekly window in a timezone, lists it with five next occurrences, edits it and deletes it after confirmation', async () => {
    const element = await mountMaintenance();
    const name = uniqueId('Patch night');
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    // Keyboard users land in the form.
    expect(element.shadowRoot!.activeElement?.getAttribute('name')).to.equal('name');
    fill(element, 'name', name);
    fill(element, 'clientId', env.clientScoped.clientId);
    tick(element, 'days', '2');
    tick(element, 'days', '4');
    fill(element, 'startTime', '22:00');
    fill(element, 'hours', '2');
    // The zone offered first is the tenant's (/me), the one every other time on the page is in.
    // (This BFF's tenant and the test browser are both in UTC, so this cannot tell it from the browser's.)
    expect($<HTMLInputElement>(element, 'form [name="timezone"]')!.value).to.equal((await apiGet<Me>('/me')).timezone);
    fill(element, 'timezone', 'Europe/Berlin');
    await save(element);
    await until(() => windowNamed(element, name), 'window listed');
    let item = windowNamed(element, name)!;
    expect(text(item)).to.contain('Weekly on Tuesday and Thursday at 22:00 for 2 h (Europe/Berlin)').and.match(/Client \S/);
    expect(item.querySelectorAll('[part~="next"] li')).to.have.length(5);
    const id = item.dataset.window!;
    const stored = await apiGet<MaintenanceWindow>(`/maintenance/${id}`);
    expect(stored).to.include({ name, timezone: 'Europe/Berlin' });
    expect(stored.scope).to.deep.equal({ clientId: env.clientScoped.clientId });
    expect(stored.weekly).to.deep.equal({ days: [2, 4], start: '22:00', durationMinutes: 120 });

    // Edit: the form comes back filled in; change the name and the duration.
    item.querySelector<HTMLButtonElement>('[part~="edit-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'edit form open');
    expect($<HTMLInputElement>(element, 'form [name="timezone"]')!.value).to.equal('Europe/Berlin');
    fill(element, 'name', `${name} (longer)`);
    fill(element, 'hours', '3');
    await save(element);
    await until(() => windowNamed(element, `${name} (longer)`), 'renamed');
    expect((await apiGet<MaintenanceWindow>(`/maintenance/${id}`)).weekly!.durationMinutes).to.equal(180);

    // Delete asks first, with focus on the safe answer; Escape keeps the window and returns focus.
    item = windowItem(element, id)!;
    item.querySelector<HTMLButtonElement>('[part~="delete-button"]')!.click();
    await until(() => windowItem(element, id)!.querySelector('[part~="confirm-delete-button"]'), 'confirmation');
    expect(element.shadowRoot!.activeElement?.getAttribute('part')).to.equal('cancel-delete-button');
    await sendKeys({ press: 'Escape' });
    await until(() => !windowItem(element, id)!.querySelector('[part~="confirm-delete-button"]'), 'question gone');
    expect(element.shadowRoot!.activeElement?.getAttribute('part')).to.equal('delete-button');
    windowItem(element, id)!.querySelector<HTMLButtonElement>('[part~="delete-button"]')!.click();
    await until(() => windowItem(element, id)!.querySelector('[part~="confirm-delete-button"]'), 'confirmation again');
    windowItem(element, id)!.querySelector<HTMLButtonElement>('[part~="confirm-delete-button"]')!.click();
    await until(() => !windowItem(element, id), 'window gone');
    const response = await fetch(`${env.apiBase}/api/v1/maintenance/${id}`, { headers: { Authorization: `Bearer ${env.tokens.admin}` } });
    expect(response.status).to.equal(404);
  });

  it('shows a 422 finding beside its field (an unknown timezone) and saves nothing', async () => {
    const element = await mountMaintenance();
    const name = uniqueId('Bad zone');
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    fill(element, 'name', name);
    fill(element, 'clientId', env.clientScoped.clientId);
    tick(element, 'days', '1');
    fill(element, 'timezone', 'Mars/Olympus_Mons');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await until(() => $(element, '#err-timezone'), 'field error');
    const input = $<HTMLInputElement>(element, 'form [name="timezone"]')!;
    expect(text($(element, '#err-timezone'))).to.contain('IANA timezone');
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    expect(input.getAttribute('aria-describedby')).to.equal('err-timezone');
    expect(input.closest('label')!.contains($(element, '#err-timezone'))).to.be.true;
    expect(element.windows.some((window) => window.name === name)).to.be.false;
    await expectAccessible(element);
  });
});

describe('Settings → Silences <backup-health-silence-settings>', () => {
  let env: TestEnv;
  before(async () => {
    env = await testEnv();
  });

  async function mountSilences(): Promise<BackupHealthSilenceSettings> {
    const element = await mount<BackupHealthSilenceSettings>(html`<backup-health-silence-settings api-base=${env.apiBase} token=${env.tokens.admin}></backup-health-silence-settings>`);
    await element.loadComplete;
    await until(() => $(element, '[part~="list"], [part~="empty"], [part~="error"]'), 'silences rendered');
    return element;
  }

  it('has no accessibility violations, with the create form open, in the light and the dark theme', async () => {
    const element = await mountSilences();
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    await expectAccessible(element);
  });

  it('creates a silence, lists it as active with its matchers in words, then expires it now', async () => {
    const element = await mountSilences();
    const comment = uniqueId('Migrating the NAS');
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    fill(element, 'clientId', env.clientScoped.clientId);
    fill(element, 'type', 'backup_failed');
    fill(element, 'endsAt', localIn(2));
    fill(element, 'comment', comment);
    const saved = nextEvent(element, 'bh-settings-save');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await saved;
    const silence = (await apiGet<Page<Silence>>('/silences?state=active&limit=100')).items.find((item) => item.comment === comment)!;
    expect(silence.matchers).to.deep.equal({ clientId: env.clientScoped.clientId, type: 'backup_failed' });
    await until(() => $(element, `tr[data-silence="${silence.id}"]`), 'listed');
    const row = $(element, `tr[data-silence="${silence.id}"]`)!;
    expect(text(row)).to.match(/^Client \S/).and.contain(`, alert type ${ALERT_TYPE_LABELS.backup_failed}`).and.contain('Active').and.contain(comment).and.contain(silence.createdBy);
    expect([...row.querySelectorAll('time')].map((time) => time.getAttribute('datetime'))).to.deep.equal([silence.startsAt, silence.endsAt]);

    row.querySelector<HTMLButtonElement>('[part~="expire-button"]')!.click();
    await until(() => !$(element, `tr[data-silence="${silence.id}"]`), 'gone from the active list');
    choose(element, 'Show', 'expired');
    await until(() => $(element, `tr[data-silence="${silence.id}"]`), 'listed as expired');
    const expired = $(element, `tr[data-silence="${silence.id}"]`)!;
    expect(text(expired)).to.contain('Expired');
    expect(expired.querySelector('[part~="expire-button"]')).to.equal(null);
  });

  it('creates a silence that starts later: listed as pending', async () => {
    const element = await mountSilences();
    const comment = uniqueId('Weekend migration');
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    fill(element, 'clientId', env.clientScoped.clientId);
    fill(element, 'startsAt', localIn(24));
    fill(element, 'endsAt', localIn(48));
    fill(element, 'comment', comment);
    const saved = nextEvent(element, 'bh-settings-save');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await saved;
    choose(element, 'Show', 'pending');
    const silence = (await apiGet<Page<Silence>>('/silences?state=pending&limit=100')).items.find((item) => item.comment === comment)!;
    await until(() => $(element, `tr[data-silence="${silence.id}"]`), 'listed as pending');
    expect(text($(element, `tr[data-silence="${silence.id}"]`))).to.contain('Pending');
  });

  it('shows a 422 finding beside its field (an end in the past)', async () => {
    const element = await mountSilences();
    $<HTMLButtonElement>(element, '[part~="new-button"]')!.click();
    await until(() => $(element, 'form[part~="form"]'), 'form open');
    fill(element, 'clientId', env.clientScoped.clientId);
    fill(element, 'endsAt', localIn(-2));
    fill(element, 'comment', 'too late');
    $<HTMLButtonElement>(element, 'form [part~="save-button"]')!.click();
    await until(() => $(element, '#err-endsAt'), 'field error');
    expect($<HTMLInputElement>(element, 'form [name="endsAt"]')!.getAttribute('aria-describedby')).to.equal('err-endsAt');
  });
});

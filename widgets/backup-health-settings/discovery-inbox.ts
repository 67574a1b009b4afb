import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatCount, formatDateTime } from '../shared/format.ts';
import { KIND_LABELS } from '../shared/labels.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { fieldErrors } from '../shared/quiet-api.ts';
import { showRefusal } from './form-refusal.ts';
import { renderTone } from '../shared/status.ts';
import { approveDiscovered, ignoreDiscovered, listDiscovered, type ApproveBody, type DiscoveredDevice } from './ingest-api.ts';
import { renderIngestAsync } from './ingest-access.ts';
import { loadInventoryNames, renderFieldError, type InventoryNames } from './quiet-words.ts';
import { formReader, type SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

/** The kinds to enrol as, in this order. */
const KINDS: readonly ApproveBody['kind'][] = ['server', 'workstation', 'saas'];

/** "Enrol and record 3 held results". */
function enrolLabel(held: number): string {
  const count = formatCount(held);
  return held === 1 ? msg(str`Enrol and record ${count} held result`) : msg(str`Enrol and record ${count} held results`);
}

/**
 * Settings → Discovery inbox: devices that pinged with `?create=1` before anyone
 * enrolled them. Their results are held, never dropped: Approve enrols the device under
 * a chosen client and policy and records the held results in order; Ignore stops
 * holding its pings.
 *
 * @event bh-settings-save - A device was approved or ignored: `{ section: 'discovery' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart list - The discovered devices.
 * @csspart approve-button - "Approve…"; `ignore-button` Ignore.
 * @csspart form - The enrol form; `save-button` and `cancel-button` inside.
 * @csspart field-error - A 422 finding beside its field.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-discovery-inbox
 */
export class BackupHealthDiscoveryInbox extends ApiElement {
  /** The tenant's timezone: every time here is stated in it. */
  #zone = new ViewTimeZoneController(this, () => this.api);
  static override styles = [BhElement.styles, settingsStyles];

  /** The slug being approved. */
  @state() protected approving = '';
  @state() protected saving = false;
  @state() protected errors: Record<string, string> = {};
  @state() protected message: SectionMessage | null = null;

  #found = this.apiTask((api, signal) => listDiscovered(api, signal));
  #names = this.apiTask((api, signal) => loadInventoryNames(api, signal));

  /** Settles when the inbox and the clients and policies to choose from have loaded. */
  get loadComplete(): Promise<unknown> {
    // allSettled, not all: a refused request (403 for a read token) must not settle this while the other is still loading.
    return Promise.allSettled([this.#found.taskComplete, this.#names.taskComplete]);
  }

  protected override reload(): void {
    void this.#found.run();
    void this.#names.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="discovery-heading" aria-busy=${isBusy(this.#found) ? 'true' : 'false'}>
      <h2 id="discovery-heading" part="heading">${msg('Discovery inbox')}</h2>
      <p class="muted hint">${msg(html`Devices that pinged <code>…/{slug}?create=1</code> before being enrolled. Their results wait here until you approve or ignore them.`)}</p>
      ${renderIngestAsync(this.#found, { loading: msg('Loading the discovery inbox…'), retry: () => this.reload(), complete: (list) => this.#renderList(list.items) })}
      <p role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</p>
    </section>`;
  }

  #renderList(items: DiscoveredDevice[]): TemplateResult {
    if (items.length === 0) return renderEmpty(msg('No devices waiting.'), msg('Add ?create=1 to a ping URL and an unknown slug lands here instead of being refused.'));
    return html`<div class="table-wrap"><table class="data" part="list">
      <thead>
        <tr><th scope="col">${msg('Ping slug')}</th><th scope="col">${msg('First seen')}</th><th scope="col">${msg('Last seen')}</th><th scope="col">${msg('Pings')}</th><th scope="col">${msg('Held results')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr>
      </thead>
      <tbody>
        ${items.map(
          (item) => html`<tr data-slug=${item.slug}>
              <th scope="row" id="found-${item.slug}">${item.slug}</th>
              <td><time datetime=${item.firstSeenAt}>${formatDateTime(item.firstSeenAt, this.#zone.value)}</time></td>
              <td><time datetime=${item.lastSeenAt}>${formatDateTime(item.lastSeenAt, this.#zone.value)}</time></td>
              <td>${formatCount(item.pings)}</td>
              <td>${formatCount(item.held)}</td>
              <td>
                <button type="button" part="approve-button" aria-describedby="found-${item.slug}" aria-expanded=${this.approving === item.slug ? 'true' : 'false'} @click=${() => this.#open(item.slug)}>${msg('Approve…')}</button>
                <button type="button" part="ignore-button" aria-describedby="found-${item.slug}" @click=${() => this.#ignore(item.slug)}>${msg('Ignore')}</button>
              </td>
            </tr>
            ${this.approving === item.slug ? html`<tr><td colspan="6">${this.#renderForm(item)}</td></tr>` : nothing}`,
        )}
      </tbody>
    </table></div>`;
  }

  #renderForm(item: DiscoveredDevice): TemplateResult {
    const names: InventoryNames = this.#names.value ?? { clients: new Map(), devices: new Map(), policies: new Map() };
    const e = this.errors;
    const a11y = (path: string) => ({ invalid: e[path] ? 'true' : 'false', described: e[path] ? `found-err-${path}` : nothing });
    const field = (path: string, label: string, control: (attrs: ReturnType<typeof a11y>) => TemplateResult) =>
      html`<label class="field"><span>${label}</span>${control(a11y(path))}${renderFieldError(e, path, `found-err-${path}`)}</label>`;
    return html`<form part="form" class="quiet-form" aria-labelledby="approve-heading" @submit=${(event: SubmitEvent) => this.#approve(event, item)}>
      <h3 id="approve-heading">${msg(str`Enrol ${item.slug}`)}</h3>
      ${renderFieldError(e, '', 'found-err-form')}
      <div class="row">
        ${field('name', msg('Name'), (a) => html`<input type="text" name="name" required maxlength="200" .value=${item.slug} aria-invalid=${a.invalid} aria-describedby=${a.described} />`)}
        ${field('kind', msg('Kind'), (a) => html`<select name="kind" aria-invalid=${a.invalid} aria-describedby=${a.described}>${KINDS.map((kind) => html`<option value=${kind}>${KIND_LABELS[kind]}</option>`)}</select>`)}
        ${field('clientId', msg('Client'), (a) => html`<select name="clientId" required aria-invalid=${a.invalid} aria-describedby=${a.described}>
          <option value="">${msg('Choose a client…')}</option>
          ${[...names.clients].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
        </select>`)}
        ${field('policyId', msg('Policy'), (a) => html`<select name="policyId" required aria-invalid=${a.invalid} aria-describedby=${a.described}>
          <option value="">${msg('Choose a policy…')}</option>
          ${[...names.policies].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
        </select>`)}
      </div>
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Enrolling…') : enrolLabel(item.held)}</button>
        <button type="button" part="cancel-button" @click=${() => this.#close(item.slug)}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  async #open(slug: string): Promise<void> {
    this.approving = slug;
    this.errors = {};
    this.message = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('form[part~="form"] input')?.focus();
  }

  async #close(slug: string): Promise<void> {
    this.approving = '';
    this.errors = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`tr[data-slug="${CSS.escape(slug)}"] [part~="approve-button"]`)?.focus();
  }

  async #approve(event: SubmitEvent, item: DiscoveredDevice): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const api = this.api;
    if (!api || !form.reportValidity()) return;
    const read = formReader(form);
    this.saving = true;
    this.errors = {};
    try {
      const done = await approveDiscovered(api, item.slug, { name: read.text('name'), kind: read.text('kind') as ApproveBody['kind'], clientId: read.text('clientId'), policyId: read.text('policyId') });
      this.approving = '';
      const { deviceId } = done;
      const replayed = formatCount(done.replayed);
      this.message = { tone: 'healthy', text: done.replayed === 1 ? msg(str`Enrolled ${deviceId}; ${replayed} held result recorded.`) : msg(str`Enrolled ${deviceId}; ${replayed} held results recorded.`) };
      this.emit('bh-settings-save', { section: 'discovery' });
      await this.#found.run();
    } catch (error) {
      await showRefusal(this, error, (errors) => (this.errors = errors));
    } finally {
      this.saving = false;
    }
  }

  async #ignore(slug: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      await ignoreDiscovered(api, slug);
      this.message = { tone: 'healthy', text: msg(str`Ignored ${slug}: its pings are answered "not found" from now on.`) };
      this.emit('bh-settings-save', { section: 'discovery' });
      await this.#found.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `${msg(str`Could not ignore ${slug}.`)} ${fieldErrors(error)[''] ?? ''}` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-discovery-inbox': BackupHealthDiscoveryInbox;
  }
}

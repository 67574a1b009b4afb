import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatDateTime } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { fieldErrors } from '../shared/quiet-api.ts';
import { renderTone } from '../shared/status.ts';
import { approveDiscovered, ignoreDiscovered, listDiscovered, type ApproveBody, type DiscoveredDevice } from './ingest-api.ts';
import { renderIngestAsync } from './ingest-access.ts';
import { loadInventoryNames, renderFieldError, type InventoryNames } from './quiet-words.ts';
import { formReader, type SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

const KINDS: Record<ApproveBody['kind'], string> = { server: 'Server', workstation: 'Workstation', saas: 'SaaS' };

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
    return Promise.all([this.#found.taskComplete, this.#names.taskComplete]).catch(() => undefined);
  }

  protected override reload(): void {
    void this.#found.run();
    void this.#names.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="discovery-heading" aria-busy=${isBusy(this.#found) ? 'true' : 'false'}>
      <h2 id="discovery-heading" part="heading">Discovery inbox</h2>
      <p class="muted hint">Devices that pinged <code>…/{slug}?create=1</code> before being enrolled. Their results wait here until you approve or ignore them.</p>
      ${renderIngestAsync(this.#found, { loading: 'Loading the discovery inbox…', retry: () => this.reload(), complete: (list) => this.#renderList(list.items) })}
      <p role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</p>
    </section>`;
  }

  #renderList(items: DiscoveredDevice[]): TemplateResult {
    if (items.length === 0) return renderEmpty('No devices waiting.', 'Add ?create=1 to a ping URL and an unknown slug lands here instead of being refused.');
    return html`<div class="table-wrap"><table class="data" part="list">
      <thead>
        <tr><th scope="col">Ping slug</th><th scope="col">First seen</th><th scope="col">Last seen</th><th scope="col">Pings</th><th scope="col">Held results</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>
        ${items.map(
          (item) => html`<tr data-slug=${item.slug}>
              <th scope="row" id="found-${item.slug}">${item.slug}</th>
              <td><time datetime=${item.firstSeenAt}>${formatDateTime(item.firstSeenAt, this.#zone.value)}</time></td>
              <td><time datetime=${item.lastSeenAt}>${formatDateTime(item.lastSeenAt, this.#zone.value)}</time></td>
              <td>${item.pings}</td>
              <td>${item.held}</td>
              <td>
                <button type="button" part="approve-button" aria-describedby="found-${item.slug}" aria-expanded=${this.approving === item.slug ? 'true' : 'false'} @click=${() => this.#open(item.slug)}>Approve…</button>
                <button type="button" part="ignore-button" aria-describedby="found-${item.slug}" @click=${() => this.#ignore(item.slug)}>Ignore</button>
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
      <h3 id="approve-heading">Enrol ${item.slug}</h3>
      ${renderFieldError(e, '', 'found-err-form')}
      <div class="row">
        ${field('name', 'Name', (a) => html`<input type="text" name="name" required maxlength="200" .value=${item.slug} aria-invalid=${a.invalid} aria-describedby=${a.described} />`)}
        ${field('kind', 'Kind', (a) => html`<select name="kind" aria-invalid=${a.invalid} aria-describedby=${a.described}>${Object.entries(KINDS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}</select>`)}
        ${field('clientId', 'Client', (a) => html`<select name="clientId" required aria-invalid=${a.invalid} aria-describedby=${a.described}>
          <option value="">Choose a client…</option>
          ${[...names.clients].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
        </select>`)}
        ${field('policyId', 'Policy', (a) => html`<select name="policyId" required aria-invalid=${a.invalid} aria-describedby=${a.described}>
          <option value="">Choose a policy…</option>
          ${[...names.policies].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
        </select>`)}
      </div>
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? 'Enrolling…' : `Enrol and record ${item.held} held ${item.held === 1 ? 'result' : 'results'}`}</button>
        <button type="button" part="cancel-button" @click=${() => this.#close(item.slug)}>Cancel</button>
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
      this.message = { tone: 'healthy', text: `Enrolled ${done.deviceId}; ${done.replayed} held ${done.replayed === 1 ? 'result' : 'results'} recorded.` };
      this.emit('bh-settings-save', { section: 'discovery' });
      await this.#found.run();
    } catch (error) {
      this.handleError(error);
      this.errors = fieldErrors(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } finally {
      this.saving = false;
    }
  }

  async #ignore(slug: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      await ignoreDiscovered(api, slug);
      this.message = { tone: 'healthy', text: `Ignored ${slug}: its pings are answered "not found" from now on.` };
      this.emit('bh-settings-save', { section: 'discovery' });
      await this.#found.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `Could not ignore ${slug}. ${fieldErrors(error)[''] ?? ''}` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-discovery-inbox': BackupHealthDiscoveryInbox;
  }
}

import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { choicesOf, renderSelect } from '../shared/controls.ts';
import { formatDateTime } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { fromZonedInput } from '../shared/zoned-input.ts';
import { ALERT_TYPE_LABELS } from '../shared/labels.ts';
import { createSilence, expireSilence, fieldErrors, listSilences, type Silence, type SilenceBody, type SilenceState } from '../shared/quiet-api.ts';
import { showRefusal } from './form-refusal.ts';
import { renderTone } from '../shared/status.ts';
import { loadInventoryNames, matchersInWords, renderFieldError, type InventoryNames } from './quiet-words.ts';
import { formReader, type SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';
import { SILENCE_COMMENT_MAX } from '../../core/silences.ts';

const STATE_LABELS: Record<SilenceState, string> = {
  get active() { return msg('Active'); },
  get pending() { return msg('Pending'); },
  get expired() { return msg('Expired'); },
};
/** "No active silences." and the like: one sentence per state (German declines the adjective). */
const NONE_IN_STATE: Record<SilenceState, () => string> = {
  active: () => msg('No active silences.'),
  pending: () => msg('No pending silences.'),
  expired: () => msg('No expired silences.'),
};
const STATE_TONES = { active: 'warning', pending: 'unknown', expired: 'healthy' } as const;
const NO_NAMES: InventoryNames = { clients: new Map(), devices: new Map(), policies: new Map() };

/**
 * Settings → Silences: notifications muted for matching alerts for a while (the alerts
 * still open). Lists active, pending or expired silences (each with its matchers in
 * words, who created it, the comment, start and end), expires one now, and creates one.
 *
 * @event bh-settings-save - A silence was created or expired: `{ section: 'silences' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart filter - The state filter.
 * @csspart list - The silences table.
 * @csspart expire-button - "Expire now".
 * @csspart form - The create form.
 * @csspart field-error - A 422 finding beside its field.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-silence-settings
 */
export class BackupHealthSilenceSettings extends ApiElement {
  /** The tenant's timezone: every time here is stated in it. */
  #zone = new ViewTimeZoneController(this, () => this.api);
  static override styles = [BhElement.styles, settingsStyles];

  /** Which silences are listed; empty for all. */
  @state() silenceState: SilenceState | '' = 'active';
  @state() protected creating = false;
  @state() protected errors: Record<string, string> = {};
  @state() protected saving = false;
  @state() protected message: SectionMessage | null = null;

  #silences = this.apiTask((api, signal) => listSilences(api, this.silenceState, signal), () => [this.silenceState]);
  #names = this.apiTask((api, signal) => loadInventoryNames(api, signal));

  /** Settles when the list and the names it refers to have loaded. */
  get loadComplete(): Promise<unknown> {
    // allSettled, not all: a refused request (403 for a read token) must not settle this while the other is still loading.
    return Promise.allSettled([this.#silences.taskComplete, this.#names.taskComplete]);
  }

  /** The silences as listed. */
  get silences(): readonly Silence[] {
    return this.#silences.value?.items ?? [];
  }

  protected override reload(): void {
    void this.#silences.run();
    void this.#names.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="silences-heading" aria-busy=${isBusy(this.#silences) ? 'true' : 'false'}>
      <h2 id="silences-heading" part="heading">${msg('Silences')}</h2>
      <p class="muted hint">${msg('A silence mutes tickets, pages and reminders for matching alerts until it ends; the alerts stay open.')}</p>
      <div class="row">
        ${renderSelect({ label: msg('Show'), value: this.silenceState, allLabel: msg('Every state'), choices: choicesOf(STATE_LABELS), onChange: (value) => (this.silenceState = value) })}
      </div>
      ${renderAsync(this.#silences, { loading: msg('Loading silences…'), retry: () => this.reload(), complete: (page) => this.#renderList(page.items) })}
      <div class="actions">
        ${this.creating ? nothing : html`<button type="button" part="new-button" @click=${() => this.#open()}>${msg('New silence…')}</button>`}
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
      ${this.creating ? this.#renderForm() : nothing}
    </section>`;
  }

  #renderList(silences: Silence[]): TemplateResult {
    if (silences.length === 0) return renderEmpty(this.silenceState ? NONE_IN_STATE[this.silenceState]() : msg('No silences yet.'), msg('Silence a noisy client, device or alert type for a while, e.g. during a migration.'));
    const names = this.#names.value ?? NO_NAMES;
    return html`<div class="table-wrap"><table class="data" part="list">
      <thead>
        <tr><th scope="col">${msg('Matches')}</th><th scope="col">${msg('State')}</th><th scope="col">${msg('Starts')}</th><th scope="col">${msg('Ends')}</th><th scope="col">${msg('Created by')}</th><th scope="col">${msg('Comment')}</th><th scope="col"><span class="visually-hidden">${msg('Actions')}</span></th></tr>
      </thead>
      <tbody>
        ${silences.map(
          (silence) => html`<tr data-silence=${silence.id}>
            <th scope="row" id="silence-${silence.id}">${matchersInWords(silence.matchers, names)}</th>
            <td>${renderTone(STATE_TONES[silence.state], STATE_LABELS[silence.state])}</td>
            <td><time datetime=${silence.startsAt}>${formatDateTime(silence.startsAt, this.#zone.value)}</time></td>
            <td><time datetime=${silence.endsAt}>${formatDateTime(silence.endsAt, this.#zone.value)}</time></td>
            <td>${silence.createdBy}</td>
            <td>${silence.comment}</td>
            <td>${silence.state === 'expired' ? nothing : html`<button type="button" part="expire-button" aria-describedby="silence-${silence.id}" @click=${() => this.#expire(silence)}>${msg('Expire now')}</button>`}</td>
          </tr>`,
        )}
      </tbody>
    </table></div>`;
  }

  #renderForm(): TemplateResult {
    const names = this.#names.value ?? NO_NAMES;
    const e = this.errors;
    const err = (path: string) => renderFieldError(e, path, `err-${path.replace(/\./g, '-')}`);
    const a11y = (path: string) => ({ invalid: e[path] ? 'true' : 'false', described: e[path] ? `err-${path.replace(/\./g, '-')}` : nothing });
    const client = a11y('matchers.clientId');
    const device = a11y('matchers.deviceId');
    const type = a11y('matchers.type');
    const starts = a11y('startsAt');
    const ends = a11y('endsAt');
    const comment = a11y('comment');
    return html`<form part="form" class="quiet-form" aria-labelledby="silence-form-heading" @submit=${this.#submit}>
      <h3 id="silence-form-heading">${msg('New silence')}</h3>
      ${renderFieldError(e, '', 'err-form')}
      <fieldset>
        <legend>${msg('Matches (every matcher given must match)')}</legend>
        ${err('matchers')}
        <div class="row">
          <label class="field">
            <span>${msg('Client')}</span>
            <select name="clientId" aria-invalid=${client.invalid} aria-describedby=${client.described}>
              <option value="">${msg('Any client')}</option>
              ${[...names.clients].map(([id, name]) => html`<option value=${id}>${name}</option>`)}
            </select>
            ${err('matchers.clientId')}
          </label>
          <label class="field">
            <span>${msg('Device id')}</span>
            <input type="text" name="deviceId" list="silence-devices" aria-invalid=${device.invalid} aria-describedby=${device.described} />
            ${err('matchers.deviceId')}
          </label>
          <datalist id="silence-devices">${[...names.devices].map(([id, name]) => html`<option value=${id}>${name}</option>`)}</datalist>
          <label class="field">
            <span>${msg('Alert type')}</span>
            <select name="type" aria-invalid=${type.invalid} aria-describedby=${type.described}>
              <option value="">${msg('Any type')}</option>
              ${choicesOf(ALERT_TYPE_LABELS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
            </select>
            ${err('matchers.type')}
          </label>
        </div>
      </fieldset>
      <div class="row">
        <label class="field">
          <span>${msg('Starts (empty: now)')} <span class="muted">(${this.#zone.value ?? ''})</span></span>
          <input type="datetime-local" name="startsAt" aria-invalid=${starts.invalid} aria-describedby=${starts.described} />
          ${err('startsAt')}
        </label>
        <label class="field">
          <span>${msg('Ends')} <span class="muted">(${this.#zone.value ?? ''})</span></span>
          <input type="datetime-local" name="endsAt" required aria-invalid=${ends.invalid} aria-describedby=${ends.described} />
          ${err('endsAt')}
        </label>
        <label class="field wide">
          <span>${msg('Comment (why)')}</span>
          <input type="text" name="comment" required maxlength=${SILENCE_COMMENT_MAX} aria-invalid=${comment.invalid} aria-describedby=${comment.described} />
          ${err('comment')}
        </label>
      </div>
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Silencing…') : msg('Silence')}</button>
        <button type="button" part="cancel-button" @click=${() => ((this.creating = false), (this.errors = {}))}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  async #open(): Promise<void> {
    this.creating = true;
    this.message = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('form[part~="form"] select')?.focus();
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const api = this.api;
    if (!api || !form.reportValidity()) return;
    const read = formReader(form);
    const matchers: SilenceBody['matchers'] = {};
    if (read.text('clientId')) matchers.clientId = read.text('clientId');
    if (read.text('deviceId')) matchers.deviceId = read.text('deviceId');
    if (read.text('type')) matchers.type = read.text('type');
    this.saving = true;
    this.errors = {};
    try {
      const startsAt = read.text('startsAt');
      await createSilence(api, { matchers, ...(startsAt ? { startsAt: fromZonedInput(startsAt, this.#zone.value) } : {}), endsAt: fromZonedInput(read.text('endsAt'), this.#zone.value), comment: read.text('comment') });
      this.creating = false;
      this.message = { tone: 'healthy', text: msg('Silence created.') };
      this.emit('bh-settings-save', { section: 'silences' });
      await this.#silences.run();
    } catch (error) {
      await showRefusal(this, error, (errors) => (this.errors = errors));
    } finally {
      this.saving = false;
    }
  };

  async #expire(silence: Silence): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      await expireSilence(api, silence.id);
      this.message = { tone: 'healthy', text: msg(str`Expired the silence of ${matchersInWords(silence.matchers, this.#names.value ?? NO_NAMES)}.`) };
      this.emit('bh-settings-save', { section: 'silences' });
      await this.#silences.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `${msg('Could not expire the silence.')} ${fieldErrors(error)[''] ?? ''}` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-silence-settings': BackupHealthSilenceSettings;
  }
}

import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatDateTime, formatTime, localDay } from '../shared/format.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { fromZonedInput, zonedInputValue } from '../shared/zoned-input.ts';
import { WEEKDAY_LABELS } from '../shared/labels.ts';
import { deleteMaintenance, fieldErrors, listMaintenance, newWindowId, putMaintenance, type MaintenanceWindow, type MaintenanceWindowBody } from '../shared/quiet-api.ts';
import { showRefusal } from './form-refusal.ts';
import { renderTone } from '../shared/status.ts';
import { loadInventoryNames, renderFieldError, scheduleInWords, scopeInWords, weekdayName, type InventoryNames } from './quiet-words.ts';
import { formReader, timezoneOptions, type SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

type Kind = 'once' | 'weekly' | 'monthly';
/** The kinds of window with their words (read when rendering). */
const kinds = (): readonly (readonly [Kind, string])[] => [['once', msg('One-off')], ['weekly', msg('Weekly')], ['monthly', msg('Monthly')]];
const ISO_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const NO_NAMES: InventoryNames = { clients: new Map(), devices: new Map(), policies: new Map() };


/** The end of an occurrence: only its time when it ends on the day it starts (in the view's zone). */
function endOf(slot: { start: string; end: string }, zone?: string): string {
  return localDay(Date.parse(slot.start), zone) === localDay(Date.parse(slot.end), zone) ? formatTime(slot.end, zone) : formatDateTime(slot.end, zone);
}

/** Windows in calendar order: by their next occurrence, those with none last. */
const byNextStart = (a: MaintenanceWindow, b: MaintenanceWindow): number =>
  (a.next[0] ? Date.parse(a.next[0].start) : Infinity) - (b.next[0] ? Date.parse(b.next[0].start) : Infinity) || a.name.localeCompare(b.name);

/**
 * Settings → Maintenance: the planned maintenance windows as a calendar-style list (what,
 * for whom, when it recurs, whether it is on now, its next occurrences), with a form to
 * plan or change one and a confirmed delete. Inside a window nothing is sent and devices
 * are not judged. Needs the `operate` scope to change windows.
 *
 * @event bh-settings-save - A window was saved or deleted: `{ section: 'maintenance' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart list - The windows.
 * @csspart window - Each window.
 * @csspart next - Its next occurrences.
 * @csspart form - The plan / edit form.
 * @csspart field-error - A 422 finding beside its field.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-maintenance-settings
 */
export class BackupHealthMaintenanceSettings extends ApiElement {
  /** The tenant's timezone: every time here is stated in it. */
  #zone = new ViewTimeZoneController(this, () => this.api);
  static override styles = [BhElement.styles, settingsStyles];

  /** The window being edited, `'new'` while planning one, null when the form is closed. */
  @state() protected editing: MaintenanceWindow | 'new' | null = null;
  @state() protected kind: Kind = 'weekly';
  @state() protected errors: Record<string, string> = {};
  @state() protected saving = false;
  @state() protected confirming: string | null = null;
  @state() protected message: SectionMessage | null = null;

  #windows = this.apiTask((api, signal) => listMaintenance(api, signal));
  #names = this.apiTask((api, signal) => loadInventoryNames(api, signal));

  /** Settles when the windows and the names they refer to have loaded. */
  get loadComplete(): Promise<unknown> {
    // allSettled, not all: a refused request (403 for a read token) must not settle this while the other is still loading.
    return Promise.allSettled([this.#windows.taskComplete, this.#names.taskComplete]);
  }

  /** The windows as listed. */
  get windows(): readonly MaintenanceWindow[] {
    return this.#windows.value ?? [];
  }

  protected override reload(): void {
    void this.#windows.run();
    void this.#names.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="maintenance-heading" aria-busy=${isBusy(this.#windows) ? 'true' : 'false'}>
      <h2 id="maintenance-heading" part="heading">${msg('Maintenance windows')}</h2>
      <p class="muted hint">${msg('Inside a window nothing is ticketed or paged and its devices are not judged; they are evaluated again when it ends.')}</p>
      ${renderAsync(this.#windows, { loading: msg('Loading maintenance windows…'), retry: () => this.reload(), complete: (windows) => this.#renderList(windows) })}
      <div class="actions">
        ${this.editing === null ? html`<button type="button" part="new-button" @click=${() => this.#open('new')}>${msg('Plan a window…')}</button>` : nothing}
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
      ${this.editing !== null ? this.#renderForm(this.editing === 'new' ? undefined : this.editing) : nothing}
    </section>`;
  }

  #renderList(windows: MaintenanceWindow[]): TemplateResult {
    if (windows.length === 0) return renderEmpty(msg('No maintenance windows planned.'), msg('Plan one for patch nights or hardware work, so nobody is paged for them.'));
    const names = this.#names.value ?? NO_NAMES;
    return html`<ul class="quiet-list" part="list">
      ${[...windows].sort(byNextStart).map(
        (window) => html`<li class="quiet-item" part="window" data-window=${window.id}>
          <div class="quiet-head">
            <h3 id="window-${window.id}">${window.name}</h3>
            ${window.active ? renderTone('warning', msg('Active now')) : nothing}
          </div>
          <p>${scopeInWords(window.scope, names)} · ${scheduleInWords(window)}</p>
          ${window.next.length
            ? html`<p class="muted next-label" id="next-${window.id}">${msg('Next occurrences')}</p>
                <ol class="next" part="next" aria-labelledby="next-${window.id}">
                  ${window.next.map((slot) => html`<li><time datetime=${slot.start}>${formatDateTime(slot.start, this.#zone.value)}</time> – <time datetime=${slot.end}>${endOf(slot, this.#zone.value)}</time></li>`)}
                </ol>`
            : html`<p class="muted">${msg('Over: no further occurrences.')}</p>`}
          <div class="actions" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.confirming === window.id && this.#keep(window.id)}>
            ${this.confirming === window.id
              ? html`<span id="confirm-${window.id}">${msg(str`Delete “${window.name}”?`)}</span>
                  <button type="button" part="confirm-delete-button" aria-describedby="confirm-${window.id}" @click=${() => this.#delete(window)}>${msg('Delete')}</button>
                  <button type="button" part="cancel-delete-button" @click=${() => this.#keep(window.id)}>${msg('Keep it')}</button>`
              : html`<button type="button" part="edit-button" aria-describedby="window-${window.id}" @click=${() => this.#open(window)}>${msg('Edit')}</button>
                  <button type="button" part="delete-button" aria-describedby="window-${window.id}" @click=${() => this.#confirm(window.id)}>${msg('Delete…')}</button>`}
          </div>
        </li>`,
      )}
    </ul>`;
  }

  #renderForm(window: MaintenanceWindow | undefined): TemplateResult {
    const names = this.#names.value ?? NO_NAMES;
    const recurrence = window?.weekly ?? window?.monthly;
    const e = this.errors;
    const err = (path: string) => renderFieldError(e, path, `err-${path.replace(/\./g, '-')}`);
    const described = (path: string) => (e[path] ? `err-${path.replace(/\./g, '-')}` : nothing);
    const invalid = (path: string) => (e[path] ? 'true' : 'false');
    const days = `${this.kind}.days`;
    return html`<form part="form" class="quiet-form" aria-labelledby="maintenance-form-heading" @submit=${(event: SubmitEvent) => this.#submit(event, window)}>
      <h3 id="maintenance-form-heading">${window ? msg(str`Edit “${window.name}”`) : msg('Plan a maintenance window')}</h3>
      ${renderFieldError(e, '', 'err-form')}
      <div class="row">
        <label class="field wide">
          <span>${msg('Name')}</span>
          <input type="text" name="name" required maxlength="200" .value=${window?.name ?? ''} aria-invalid=${invalid('name')} aria-describedby=${described('name')} />
          ${err('name')}
        </label>
      </div>
      <fieldset>
        <legend>${msg('Scope (every field given must match)')}</legend>
        ${err('scope')}
        <div class="row">
          <label class="field">
            <span>${msg('Client')}</span>
            <select name="clientId" aria-invalid=${invalid('scope.clientId')} aria-describedby=${described('scope.clientId')}>
              <option value="">${msg('Any client')}</option>
              ${[...names.clients].map(([id, name]) => html`<option value=${id} ?selected=${window?.scope.clientId === id}>${name}</option>`)}
            </select>
            ${err('scope.clientId')}
          </label>
          <label class="field wide">
            <span>${msg('Device ids (comma-separated)')}</span>
            <input type="text" name="deviceIds" list="maintenance-devices" .value=${window?.scope.deviceIds?.join(', ') ?? ''} aria-invalid=${invalid('scope.deviceIds')} aria-describedby=${described('scope.deviceIds')} />
            ${err('scope.deviceIds')}
          </label>
          <datalist id="maintenance-devices">${[...names.devices].map(([id, name]) => html`<option value=${id}>${name}</option>`)}</datalist>
          <label class="field">
            <span>${msg('Policy')}</span>
            <select name="policyId" aria-invalid=${invalid('scope.policyId')} aria-describedby=${described('scope.policyId')}>
              <option value="">${msg('Any policy')}</option>
              ${[...names.policies].map(([id, name]) => html`<option value=${id} ?selected=${window?.scope.policyId === id}>${name}</option>`)}
            </select>
            ${err('scope.policyId')}
          </label>
        </div>
      </fieldset>
      <fieldset>
        <legend>${msg('When')}</legend>
        <div class="row" role="radiogroup" aria-label=${msg('Repeats')}>
          ${kinds().map(([kind, label]) => html`<label class="check"><input type="radio" name="kind" value=${kind} .checked=${this.kind === kind} @change=${() => (this.kind = kind)} /><span>${label}</span></label>`)}
        </div>
        ${this.kind === 'once'
          ? html`<div class="row">
              <label class="field">
                <span>${msg('Start')} <span class="muted">(${this.#zone.value ?? ''})</span></span>
                <input type="datetime-local" name="start" required .value=${zonedInputValue(window?.start, this.#zone.value)} aria-invalid=${invalid('start')} aria-describedby=${described('start')} />
                ${err('start')}
              </label>
              <label class="field">
                <span>${msg('End')} <span class="muted">(${this.#zone.value ?? ''})</span></span>
                <input type="datetime-local" name="end" required .value=${zonedInputValue(window?.end, this.#zone.value)} aria-invalid=${invalid('end')} aria-describedby=${described('end')} />
                ${err('end')}
              </label>
            </div>`
          : html`${this.kind === 'weekly'
                ? html`<div class="row days" role="group" aria-label=${msg('Days of the week')} aria-describedby=${described(days)}>
                    ${ISO_DAYS.map((day) => html`<label class="check"><input type="checkbox" name="days" value=${day} .checked=${window?.weekly?.days.includes(day) ?? false} /><span>${weekdayName(day)}</span></label>`)}
                  </div>`
                : html`<label class="field">
                    <span>${msg('Days of the month (1–31, -1 for the last day; comma-separated)')}</span>
                    <input type="text" name="monthDays" required .value=${window?.monthly?.days.join(', ') ?? ''} aria-invalid=${invalid(days)} aria-describedby=${described(days)} />
                  </label>`}
              ${err(days)}
              <div class="row">
                <label class="field">
                  <span>${msg('Start time')}</span>
                  <input type="time" name="startTime" required .value=${recurrence?.start ?? '22:00'} aria-invalid=${invalid(`${this.kind}.start`)} aria-describedby=${described(`${this.kind}.start`)} />
                  ${err(`${this.kind}.start`)}
                </label>
                <label class="field">
                  <span>${msg('Duration (hours)')}</span>
                  <input type="number" name="hours" required min="0.25" max="168" step="0.25" .value=${String((recurrence?.durationMinutes ?? 120) / 60)} aria-invalid=${invalid(`${this.kind}.durationMinutes`)} aria-describedby=${described(`${this.kind}.durationMinutes`)} />
                  ${err(`${this.kind}.durationMinutes`)}
                </label>
                <label class="field">
                  <span>${msg('Timezone')}</span>
                  <input type="text" name="timezone" required list="timezones" autocomplete="off" .value=${window?.timezone ?? this.#zone.value ?? Intl.DateTimeFormat().resolvedOptions().timeZone} aria-invalid=${invalid('timezone')} aria-describedby=${described('timezone')} />
                  ${err('timezone')}
                </label>
                ${timezoneOptions()}
              </div>`}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Saving…') : msg('Save window')}</button>
        <button type="button" part="cancel-button" @click=${() => this.#close()}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  async #open(window: MaintenanceWindow | 'new'): Promise<void> {
    this.editing = window;
    this.kind = window === 'new' ? 'weekly' : window.weekly ? 'weekly' : window.monthly ? 'monthly' : 'once';
    this.errors = {};
    this.message = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('form[part~="form"] input[name="name"]')?.focus();
  }

  #close(): void {
    this.editing = null;
    this.errors = {};
  }

  /** Asks before deleting; focus goes to the safe answer, so a stray Enter keeps the window. */
  async #confirm(id: string): Promise<void> {
    this.confirming = id;
    await this.updateComplete;
    this.#button(id, 'cancel-delete-button')?.focus();
  }

  /** "Keep it" or Escape: the question goes, focus returns to "Delete…". */
  async #keep(id: string): Promise<void> {
    this.confirming = null;
    await this.updateComplete;
    this.#button(id, 'delete-button')?.focus();
  }

  #button(id: string, part: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-window="${CSS.escape(id)}"] [part~="${part}"]`);
  }

  #body(form: HTMLFormElement): MaintenanceWindowBody {
    const read = formReader(form);
    const deviceIds = read.text('deviceIds').split(',').map((id) => id.trim()).filter(Boolean);
    const scope: MaintenanceWindowBody['scope'] = {};
    if (read.text('clientId')) scope.clientId = read.text('clientId');
    if (deviceIds.length) scope.deviceIds = deviceIds;
    if (read.text('policyId')) scope.policyId = read.text('policyId');
    const name = read.text('name');
    if (this.kind === 'once') return { name, scope, start: fromZonedInput(read.text('start'), this.#zone.value), end: fromZonedInput(read.text('end'), this.#zone.value) };
    const days = this.kind === 'weekly' ? read.all('days').map(Number) : read.text('monthDays').split(',').map((day) => Number(day.trim())).filter((day) => day !== 0 && !Number.isNaN(day));
    const recurrence = { days, start: read.text('startTime'), durationMinutes: Math.round(read.number('hours') * 60) };
    return { name, scope, [this.kind]: recurrence, timezone: read.text('timezone') };
  }

  async #submit(event: SubmitEvent, window: MaintenanceWindow | undefined): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const api = this.api;
    if (!api || !form.reportValidity()) return;
    const body = this.#body(form);
    this.saving = true;
    this.errors = {};
    try {
      const saved = await putMaintenance(api, window?.id ?? newWindowId(body.name), body);
      this.editing = null;
      this.message = { tone: 'healthy', text: msg(str`Saved “${saved.name}”.`) };
      this.emit('bh-settings-save', { section: 'maintenance' });
      await this.#windows.run();
    } catch (error) {
      await showRefusal(this, error, (errors) => (this.errors = errors));
    } finally {
      this.saving = false;
    }
  }

  async #delete(window: MaintenanceWindow): Promise<void> {
    const api = this.api;
    if (!api) return;
    this.confirming = null;
    try {
      await deleteMaintenance(api, window.id);
      this.message = { tone: 'healthy', text: msg(str`Deleted “${window.name}”.`) };
      this.emit('bh-settings-save', { section: 'maintenance' });
      await this.#windows.run();
    } catch (error) {
      this.handleError(error);
      this.message = { tone: 'critical', text: `${msg(str`Could not delete “${window.name}”.`)} ${fieldErrors(error)[''] ?? ''}` };
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-maintenance-settings': BackupHealthMaintenanceSettings;
  }
}

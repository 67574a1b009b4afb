import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import { TaskStatus } from '@lit/task';
import { ApiElement } from '../shared/api-element.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { isBusy, renderAsync, renderEmpty } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { formatCount } from '../shared/format.ts';
import { formatLocale } from '../shared/locale.ts';
import { fieldErrors } from '../shared/quiet-api.ts';
import { showRefusal } from './form-refusal.ts';
import { renderTone } from '../shared/status.ts';
import { listPolicies, newPolicyId, previewSchedule, putPolicy, type Policy, type PolicyBody, type Schedule, type SchedulePreview } from './policy-api.ts';
import { weekdayName } from './quiet-words.ts';
import { scheduleText } from './schedule-words.ts';
import { formReader, timezoneOptions, type SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

type Kind = Schedule['kind'];
// The choices with their words, read when rendering (so in the page's language).
const kinds = (): readonly (readonly [Kind, string])[] => [['interval', msg('Every N hours')], ['weekly', msg('Weekly')], ['monthly', msg('Monthly')], ['cron', msg('Cron line')]];
const ISO_DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const merges = (): readonly (readonly [PolicyBody['merge'] & string, string])[] => [['each-job', msg('Each job on its own')], ['per-run', msg('One result per run')]];
const mergeRules = (): readonly (readonly [PolicyBody['mergeRule'] & string, string])[] => [
  ['last', msg('The last job decides')],
  ['worst', msg('The worst job decides')],
  ['best', msg('The best job decides')],
  ['mixed-is-warning', msg('Mixed results are a warning')],
];
/** What a new policy, or a switch to another kind, starts from. */
const DEFAULTS: { [K in Kind]: Extract<Schedule, { kind: K }> } = {
  interval: { kind: 'interval', hours: 24 },
  weekly: { kind: 'weekly', days: [1, 2, 3, 4, 5], times: ['22:00'] },
  monthly: { kind: 'monthly', days: [-1], times: ['03:00'] },
  cron: { kind: 'cron', expression: '0 22 * * 1-5' },
};
const PREVIEW_DELAY_MS = 300;
const browserTimezone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const splitList = (raw: string): string[] => raw.split(/[\s,;]+/).filter(Boolean);

/** The messages of `path` and of its items (`schedule.times[1]` belongs to `schedule.times`). */
function errorAt(errors: Record<string, string>, path: string): string | undefined {
  const found = Object.entries(errors).filter(([key]) => key === path || key.startsWith(`${path}[`)).map(([, message]) => message);
  return found.length ? found.join('; ') : undefined;
}

/**
 * Settings → Backup policies: each policy with its schedule in words, and a form to change
 * one or create one — schedule kind (interval, weekly, monthly, cron) and its days and
 * times, grace, offline skipping and how the jobs of one run are merged — with a live
 * preview of the next 5 slots in a timezone (each client reads a policy in its own).
 * Needs an admin token.
 *
 * @event bh-settings-save - A policy was saved: `{ section: 'policies' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart list - The policies.
 * @csspart policy - Each policy.
 * @csspart form - The edit form.
 * @csspart preview - The next 5 slots of the schedule in the form.
 * @csspart field-error - A 422 finding beside its field.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-policy-settings
 */
export class BackupHealthPolicySettings extends ApiElement {
  static override styles = [BhElement.styles, settingsStyles];

  /** The policy being edited, `'new'` while creating one, null when the form is closed. */
  @state() protected editing: Policy | 'new' | null = null;
  @state() protected kind: Kind = 'weekly';
  @state() protected errors: Record<string, string> = {};
  @state() protected previewErrors: Record<string, string> = {};
  @state() protected preview: (SchedulePreview & { timezone: string; schedule: Schedule; graceHours: number | null }) | null = null;
  @state() protected saving = false;
  @state() protected message: SectionMessage | null = null;

  /** The timezone the form opens with (the browser's); kept while the user types another. */
  #timezone = browserTimezone();
  #policies = this.apiTask((api, signal) => listPolicies(api, signal));
  #previewTimer?: ReturnType<typeof setTimeout>;
  #previewAbort?: AbortController;

  /** Settles when the policies have loaded. */
  get loadComplete(): Promise<unknown> {
    return this.#policies.taskComplete.catch(() => undefined);
  }

  /** The policies as listed. */
  get policies(): readonly Policy[] {
    return this.#policies.value ?? [];
  }

  protected override reload(): void {
    void this.#policies.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#previewTimer);
    this.#previewAbort?.abort();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="policies-heading" aria-busy=${isBusy(this.#policies) ? 'true' : 'false'}>
      <h2 id="policies-heading" part="heading">${msg('Backup policies')}</h2>
      <p class="muted hint">${msg("When each device is expected to back up. A run counts as missed only after its slot plus the grace; calendar schedules are read in each client's timezone.")}</p>
      ${this.#adminOnly()
        ? html`<div class="state" part="admin-only" role="status">
            <p class="state-title">${msg('Only an admin can see this')}</p>
            <p class="muted">${msg('Backup policies belong to the whole tenant. Open these settings with an admin API key; embed tokens (read, operate or client-scoped) cannot.')}</p>
          </div>`
        : renderAsync(this.#policies, { loading: msg('Loading policies…'), retry: () => this.reload(), complete: (policies) => this.#renderList(policies) })}
      <div class="actions">
        ${this.editing === null && this.#policies.value ? html`<button type="button" part="new-button" @click=${() => this.#open('new')}>${msg('New policy…')}</button>` : nothing}
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
      ${this.editing !== null ? this.#renderForm(this.editing === 'new' ? undefined : this.editing) : nothing}
    </section>`;
  }

  /** A 403 on the list: the credential is not an admin one, said in words rather than as an error. */
  #adminOnly(): boolean {
    const task = this.#policies;
    return task.value === undefined && task.status === TaskStatus.ERROR && task.error instanceof ProblemError && task.error.status === 403;
  }

  #renderList(policies: Policy[]): TemplateResult {
    if (policies.length === 0) return renderEmpty(msg('No backup policies yet.'), msg('Create one, then assign devices to it (PUT /devices or the CSV import).'));
    return html`<ul class="quiet-list" part="list">
      ${policies.map(
        (policy) => html`<li class="quiet-item" part="policy" data-policy=${policy.id}>
          <div class="quiet-head"><h3 id="policy-${policy.id}">${policy.name}</h3></div>
          <p>${scheduleText(policy.text, policy.schedule, policy.graceHours)}</p>
          <div class="actions">
            <button type="button" part="edit-button" aria-describedby="policy-${policy.id}" @click=${() => this.#open(policy)}>${msg('Edit')}</button>
          </div>
        </li>`,
      )}
    </ul>`;
  }

  #renderForm(policy: Policy | undefined): TemplateResult {
    // A save's findings win over the preview's for the same field.
    const e = { ...this.previewErrors, ...this.errors };
    const idOf = (path: string) => `err-${path.replace(/[.[\]]/g, '-')}`;
    const err = (path: string) => {
      const message = errorAt(e, path);
      return message ? html`<span id=${idOf(path)} class="field-error status" data-tone="critical" part="field-error">${message}</span>` : nothing;
    };
    const described = (path: string) => (errorAt(e, path) ? idOf(path) : nothing);
    const invalid = (path: string) => (errorAt(e, path) ? 'true' : 'false');
    const current = policy?.schedule.kind === this.kind ? policy.schedule : DEFAULTS[this.kind];
    const calendar = this.kind !== 'interval';
    return html`<form part="form" class="quiet-form" aria-labelledby="policy-form-heading" @input=${() => this.#schedulePreview()} @change=${() => this.#schedulePreview()} @submit=${(event: SubmitEvent) => this.#submit(event, policy)}>
      <h3 id="policy-form-heading">${policy ? msg(str`Edit “${policy.name}”`) : msg('New backup policy')}</h3>
      ${err('')}
      <div class="row">
        <label class="field wide">
          <span>${msg('Name')}</span>
          <input type="text" name="name" required maxlength="200" .value=${policy?.name ?? ''} aria-invalid=${invalid('name')} aria-describedby=${described('name')} />
          ${err('name')}
        </label>
      </div>
      <fieldset>
        <legend>${msg('Schedule')}</legend>
        <div class="row" role="radiogroup" aria-label=${msg('Schedule kind')}>
          ${kinds().map(([kind, label]) => html`<label class="check"><input type="radio" name="kind" value=${kind} .checked=${this.kind === kind} @change=${() => (this.kind = kind)} /><span>${label}</span></label>`)}
        </div>
        ${err('schedule')}
        ${this.#renderKindFields(current, err, described, invalid)}
        <div class="row">
          <label class="field">
            <span>${msg('Preview in timezone')}</span>
            <input type="text" name="timezone" required list="timezones" autocomplete="off" .value=${this.#timezone} aria-invalid=${invalid('timezone')} aria-describedby="timezone-hint ${errorAt(e, 'timezone') ? idOf('timezone') : ''}" />
            <span id="timezone-hint" class="muted">${msg("Devices read it in their client's timezone.")}</span>
            ${err('timezone')}
          </label>
          ${timezoneOptions()}
        </div>
        ${this.#renderPreview()}
      </fieldset>
      <fieldset>
        <legend>${msg('Lateness and offline devices')}</legend>
        <div class="row">
          <label class="field">
            <span>${msg('Grace (hours after a slot before it is missed; empty: the default)')}</span>
            <input type="number" name="graceHours" min="0" step="0.5" .value=${policy?.graceHours != null ? String(policy.graceHours) : ''} aria-invalid=${invalid('graceHours')} aria-describedby=${described('graceHours')} />
            ${err('graceHours')}
          </label>
        </div>
        ${calendar
          ? html`<div class="row">
              <label class="check">
                <input type="checkbox" name="skipWhenOffline" .checked=${policy?.offline?.skipWhenOffline ?? false} aria-invalid=${invalid('offline')} aria-describedby=${described('offline')} />
                <span>${msg('Skip slots while the device is offline (laptops that are off at weekends)')}</span>
              </label>
              <label class="field">
                <span>${msg('Alert when offline for (days)')}</span>
                <input type="number" name="alertAfterDays" min="1" step="1" .value=${String(policy?.offline?.alertAfterDays ?? 7)} aria-invalid=${invalid('offline.alertAfterDays')} aria-describedby=${described('offline.alertAfterDays')} />
                ${err('offline.alertAfterDays')}
              </label>
            </div>
            ${err('offline')}`
          : html`<p class="muted">${msg('Offline skipping needs a calendar schedule (weekly, monthly or cron).')}</p>`}
      </fieldset>
      <fieldset>
        <legend>${msg('Several jobs per device')}</legend>
        <div class="row">
          <label class="field">
            <span>${msg('Results')}</span>
            <select name="merge" aria-invalid=${invalid('merge')} aria-describedby=${described('merge')}>
              ${merges().map(([value, label]) => html`<option value=${value} ?selected=${(policy?.merge ?? 'each-job') === value}>${label}</option>`)}
            </select>
            ${err('merge')}
          </label>
          <label class="field">
            <span>${msg('Within one run')}</span>
            <select name="mergeRule" aria-invalid=${invalid('mergeRule')} aria-describedby=${described('mergeRule')}>
              ${mergeRules().map(([value, label]) => html`<option value=${value} ?selected=${(policy?.mergeRule ?? 'last') === value}>${label}</option>`)}
            </select>
            ${err('mergeRule')}
          </label>
        </div>
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Saving…') : msg('Save policy')}</button>
        <button type="button" part="cancel-button" @click=${() => this.#close()}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  #renderKindFields(
    schedule: Schedule,
    err: (path: string) => unknown,
    described: (path: string) => string | typeof nothing,
    invalid: (path: string) => string,
  ): TemplateResult {
    switch (schedule.kind) {
      case 'interval':
        return html`<div class="row">
          <label class="field">
            <span>${msg('Every (hours)')}</span>
            <input type="number" name="hours" required min="0.25" step="0.25" .value=${String(schedule.hours)} aria-invalid=${invalid('schedule.hours')} aria-describedby=${described('schedule.hours')} />
            ${err('schedule.hours')}
          </label>
        </div>`;
      case 'cron':
        return html`<div class="row">
          <label class="field wide">
            <span>${msg('Cron line (minute hour day-of-month month weekday)')}</span>
            <input type="text" name="expression" required maxlength="200" spellcheck="false" autocomplete="off" .value=${schedule.expression} aria-invalid=${invalid('schedule.expression')} aria-describedby=${described('schedule.expression')} />
            ${err('schedule.expression')}
          </label>
        </div>`;
      default: {
        const days = schedule.days;
        return html`${schedule.kind === 'weekly'
            ? html`<div class="row days" role="group" aria-label=${msg('Days of the week')} aria-describedby=${described('schedule.days')}>
                ${ISO_DAYS.map((day) => html`<label class="check"><input type="checkbox" name="days" value=${day} .checked=${days.includes(day)} /><span>${weekdayName(day)}</span></label>`)}
              </div>`
            : html`<div class="row">
                <label class="field">
                  <span>${msg('Days of the month (1–31, comma-separated)')}</span>
                  <input type="text" name="monthDays" inputmode="numeric" .value=${days.filter((day) => day !== -1).join(', ')} aria-invalid=${invalid('schedule.days')} aria-describedby=${described('schedule.days')} />
                </label>
                <label class="check"><input type="checkbox" name="lastDay" .checked=${days.includes(-1)} /><span>${msg('The last day of the month')}</span></label>
              </div>`}
          ${err('schedule.days')}
          <div class="row">
            <label class="field wide">
              <span>${msg('Times (HH:MM, comma-separated, e.g. 22:00, 02:00)')}</span>
              <input type="text" name="times" required spellcheck="false" autocomplete="off" .value=${schedule.times.join(', ')} aria-invalid=${invalid('schedule.times')} aria-describedby=${described('schedule.times')} />
              ${err('schedule.times')}
            </label>
          </div>`;
      }
    }
  }

  #renderPreview(): TemplateResult {
    const preview = this.preview;
    if (!preview) return html`<div part="preview" class="preview muted">${msg('Working out the next runs…')}</div>`;
    const format = new Intl.DateTimeFormat(formatLocale(), { dateStyle: 'full', timeStyle: 'short', timeZone: preview.timezone });
    const count = formatCount(preview.slots.length);
    const { timezone } = preview;
    return html`<div part="preview" class="preview">
      <p role="status" id="preview-words">${scheduleText(preview.text, preview.schedule, preview.graceHours, preview.timezone)}</p>
      <p class="muted next-label" id="preview-label">${msg(str`Next ${count} runs due (${timezone})`)}</p>
      <ol class="next" aria-labelledby="preview-label">
        ${preview.slots.map((slot) => html`<li><time datetime=${slot}>${format.format(new Date(slot))}</time></li>`)}
      </ol>
    </div>`;
  }

  async #open(policy: Policy | 'new'): Promise<void> {
    this.editing = policy;
    this.kind = policy === 'new' ? 'weekly' : policy.schedule.kind;
    this.errors = {};
    this.previewErrors = {};
    this.preview = null;
    this.message = null;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('form[part~="form"] input[name="name"]')?.focus();
    this.#schedulePreview();
  }

  #close(): void {
    clearTimeout(this.#previewTimer);
    this.#previewAbort?.abort();
    this.editing = null;
    this.errors = {};
    this.previewErrors = {};
    this.preview = null;
  }

  /** Asks for the preview once typing pauses (the form re-renders a kind switch first). */
  #schedulePreview(): void {
    clearTimeout(this.#previewTimer);
    this.#previewTimer = setTimeout(() => void this.#runPreview(), PREVIEW_DELAY_MS);
  }

  async #runPreview(): Promise<void> {
    await this.updateComplete;
    const form = this.renderRoot.querySelector<HTMLFormElement>('form[part~="form"]');
    const api = this.api;
    if (!form || !api) return;
    const body = this.#body(form);
    const timezone = formReader(form).text('timezone') || browserTimezone();
    this.#previewAbort?.abort();
    const abort = (this.#previewAbort = new AbortController());
    try {
      const preview = await previewSchedule(api, { schedule: body.schedule!, timezone, graceHours: body.graceHours ?? null }, abort.signal);
      if (abort.signal.aborted) return;
      this.preview = { ...preview, timezone, schedule: body.schedule!, graceHours: body.graceHours ?? null };
      this.previewErrors = {};
    } catch (error) {
      if (abort.signal.aborted) return;
      this.handleError(error);
      this.previewErrors = fieldErrors(error);
    }
  }

  #body(form: HTMLFormElement): PolicyBody {
    const read = formReader(form);
    const times = splitList(read.text('times'));
    let schedule: Schedule;
    if (this.kind === 'interval') schedule = { kind: 'interval', hours: read.number('hours') };
    else if (this.kind === 'cron') schedule = { kind: 'cron', expression: read.text('expression') };
    else if (this.kind === 'weekly') schedule = { kind: 'weekly', days: read.all('days').map(Number), times };
    else schedule = { kind: 'monthly', days: [...splitList(read.text('monthDays')).map(Number), ...(read.checked('lastDay') ? [-1] : [])], times };
    const skip = this.kind !== 'interval' && read.checked('skipWhenOffline');
    return {
      name: read.text('name'),
      schedule,
      graceHours: read.optionalNumber('graceHours'),
      offline: skip ? { skipWhenOffline: true, alertAfterDays: read.number('alertAfterDays') } : null,
      merge: read.text('merge') as PolicyBody['merge'],
      mergeRule: read.text('mergeRule') as PolicyBody['mergeRule'],
    };
  }

  async #submit(event: SubmitEvent, policy: Policy | undefined): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const api = this.api;
    if (!api || !form.reportValidity()) return;
    const body = this.#body(form);
    this.saving = true;
    this.errors = {};
    try {
      const saved = await putPolicy(api, policy?.id ?? newPolicyId(body.name, new Set(this.policies.map((known) => known.id))), body);
      this.#close();
      this.message = { tone: 'healthy', text: msg(str`Saved “${saved.name}”: ${scheduleText(saved.text, saved.schedule, saved.graceHours)}.`) };
      this.emit('bh-settings-save', { section: 'policies' });
      await this.#policies.run();
    } catch (error) {
      await showRefusal(this, error, (errors) => (this.errors = errors));
    } finally {
      this.saving = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-policy-settings': BackupHealthPolicySettings;
  }
}

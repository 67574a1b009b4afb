import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg } from '@lit/localize';
import type { SettingsPatch, SettingsSection, SettingsSections } from '../shared/api-client.ts';
import { ApiElement } from '../shared/api-element.ts';
import { ProblemError } from '../shared/api-errors.ts';
import { isBusy, renderAsync } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { renderTone } from '../shared/status.ts';
import { ViewTimeZoneController } from '../shared/view-time-zone.ts';
import { settingsStyles } from './styles.ts';

/** A message under the Save button: what happened, in words and tone. */
export interface SectionMessage {
  tone: 'healthy' | 'critical';
  text: string;
}

/**
 * One settings form (SLA, weekly report, PSA, On-Call): loads its document with GET,
 * saves the changed fields with PUT, and says what happened. Subclasses render the
 * fields and read them back into a patch.
 */
export abstract class SettingsSectionElement<K extends SettingsSection> extends ApiElement {
  static override styles = [BhElement.styles, settingsStyles];

  protected abstract readonly section: K;
  /** The heading, in the page's language (a getter calling `msg()`). */
  protected abstract readonly heading: string;

  @state() protected saving = false;
  @state() protected message: SectionMessage | null = null;
  /** The document as the last save returned it (newer than the loaded one). */
  @state() protected saved?: SettingsSections[K];

  /** The tenant's timezone: every time in Settings is stated in it. */
  protected readonly viewZone = new ViewTimeZoneController(this, () => this.api);

  protected settings = this.apiTask((api, signal) => api.settings(this.section, signal));

  /** Settles when the document has loaded. */
  get loadComplete(): Promise<unknown> {
    return this.settings.taskComplete.catch(() => undefined);
  }

  protected override reload(): void {
    this.saved = undefined;
    void this.settings.run();
  }

  protected abstract renderFields(value: SettingsSections[K]): unknown;

  /** The patch to PUT, read from the form; a string is a validation message instead. */
  protected abstract readPatch(form: HTMLFormElement, value: SettingsSections[K]): SettingsPatch<K> | string;

  /** Extra buttons beside Save (e.g. "Send now"). */
  protected renderExtraActions(): unknown {
    return nothing;
  }

  override render(): TemplateResult {
    const id = `${this.section}-heading`;
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby=${id} aria-busy=${isBusy(this.settings) ? 'true' : 'false'}>
      <h2 id=${id} part="heading">${this.heading}</h2>
      ${renderAsync(this.settings, {
        loading: msg('Loading settings…'),
        retry: () => this.reload(),
        complete: (loaded) => this.#renderForm(this.saved ?? loaded),
      })}
    </section>`;
  }

  #renderForm(value: SettingsSections[K]): TemplateResult {
    return html`<form part="form" @submit=${(event: SubmitEvent) => this.#submit(event, value)}>
      ${this.renderFields(value)}
      <div class="actions">
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Saving…') : msg('Save')}</button>
        ${this.renderExtraActions()}
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
    </form>`;
  }

  /** Shows the failure of an action below the form: `failed` in words, then the API's own problem. */
  protected report(error: unknown, failed: string): void {
    this.handleError(error);
    const problem = error instanceof ProblemError ? `${error.problem.title}${error.problem.detail ? `: ${error.problem.detail}` : ''}` : String(error);
    this.message = { tone: 'critical', text: `${failed} ${problem}` };
  }

  async #submit(event: SubmitEvent, value: SettingsSections[K]): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const api = this.api;
    if (!api || !form.reportValidity()) return;
    const patch = this.readPatch(form, value);
    if (typeof patch === 'string') {
      this.message = { tone: 'critical', text: patch };
      return;
    }
    this.saving = true;
    this.message = null;
    try {
      this.saved = (await api.saveSettings(this.section, patch)) ?? (await api.settings(this.section));
      this.message = { tone: 'healthy', text: msg('Saved.') };
      this.emit('bh-settings-save', { section: this.section });
    } catch (error) {
      this.report(error, msg('Could not save.'));
    } finally {
      this.saving = false;
    }
  }
}

/** Reads form fields by name. */
export function formReader(form: HTMLFormElement) {
  const data = new FormData(form);
  return {
    text: (name: string): string => String(data.get(name) ?? '').trim(),
    number: (name: string): number => Number(data.get(name)),
    /** A number, or null for an empty field. */
    optionalNumber: (name: string): number | null => {
      const raw = String(data.get(name) ?? '').trim();
      return raw === '' ? null : Number(raw);
    },
    checked: (name: string): boolean => data.has(name),
    all: (name: string): string[] => data.getAll(name).map(String),
  };
}

let timezones: string[] | undefined;
/** The IANA timezones this browser knows, for `<datalist>` suggestions. */
export function timezoneOptions(): TemplateResult {
  timezones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  return html`<datalist id="timezones">${timezones.map((zone) => html`<option value=${zone}></option>`)}</datalist>`;
}

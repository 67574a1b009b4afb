import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { JobStatus } from '../../core/types.ts';
import { formatCount } from '../shared/format.ts';
import { JOB_STATUS_LABELS } from '../shared/labels.ts';
import { ApiElement } from '../shared/api-element.ts';
import { isBusy } from '../shared/async-view.ts';
import { BhElement } from '../shared/base-element.ts';
import { showRefusal } from './form-refusal.ts';
import { renderTone } from '../shared/status.ts';
import { ingestSettings, listMail, previewMail, saveKeywordRules, type KeywordRule, type KeywordRules, type MailItem, type MailPreview } from './ingest-api.ts';
import { renderIngestAsync } from './ingest-access.ts';
import { renderFieldError } from './quiet-words.ts';
import type { SectionMessage } from './settings-section.ts';
import { settingsStyles } from './styles.ts';

/** A rule as typed: keywords as one comma-separated line. */
interface Draft {
  name: string;
  from: string;
  subject: string;
  device: string;
  failure: string;
  success: string;
}

const draftOf = (rule: KeywordRule): Draft => ({
  name: rule.name ?? '',
  from: rule.match.from ?? '',
  subject: rule.match.subject ?? '',
  device: rule.device,
  failure: (rule.failureKeywords ?? []).join(', '),
  success: (rule.successKeywords ?? []).join(', '),
});

const words = (line: string): string[] => line.split(',').map((word) => word.trim()).filter(Boolean);

function ruleOf(draft: Draft): KeywordRule {
  const match: KeywordRule['match'] = {};
  if (draft.from.trim()) match.from = draft.from.trim();
  if (draft.subject.trim()) match.subject = draft.subject.trim();
  return { ...(draft.name.trim() ? { name: draft.name.trim() } : {}), match, device: draft.device.trim(), failureKeywords: words(draft.failure), successKeywords: words(draft.success) };
}

/** A rule's fields, labelled in the page's language (read when rendering). */
const fields = (): { key: keyof Draft; label: string; path: string; hint?: string }[] => [
  { key: 'name', label: msg('Name (optional)'), path: 'name' },
  { key: 'from', label: msg('Sender pattern'), path: 'match.from', hint: msg('Regular expression, e.g. @nas01\\.contoso\\.com$') },
  { key: 'subject', label: msg('Subject pattern'), path: 'match.subject', hint: msg('Regular expression; its groups feed the device, e.g. ^Backup of (\\S+)') },
  { key: 'device', label: msg('Device'), path: 'device', hint: msg('Literal, or $1 for the first group') },
  { key: 'failure', label: msg('Failure keywords'), path: 'failureKeywords', hint: msg('Comma-separated') },
  { key: 'success', label: msg('Success keywords'), path: 'successKeywords', hint: msg('Comma-separated') },
];

/** How many jobs a verdict would record, in words. */
function wouldRecord(by: string, count: number): string {
  const jobs = formatCount(count);
  return count === 1 ? msg(str`${by}: ${jobs} job would be recorded.`) : msg(str`${by}: ${jobs} jobs would be recorded.`);
}

/**
 * Settings → Keyword rules: for report mail no product parser knows, which messages a
 * rule takes (sender and/or subject pattern), the device they report on and the words
 * meaning failure or success. "Test against a message" shows what the rules as typed
 * would make of a received message, recording nothing.
 *
 * @event bh-settings-save - Saved: `{ section: 'keyword-rules' }`.
 * @event bh-auth-expired - The token was refused (401).
 * @csspart base - The section.
 * @csspart form - The rules form; `rule` each rule's fieldset.
 * @csspart add-button - "Add rule"; `remove-button` each rule's Remove.
 * @csspart save-button - Save.
 * @csspart preview-button - "Test against this message"; `preview` the verdict.
 * @csspart field-error - A 422 finding beside its field.
 * @cssproperty --bh-color-* - Theme colours and fonts (listed in `shared/theme.ts`).
 * @tag backup-health-keyword-rules-settings
 */
export class BackupHealthKeywordRulesSettings extends ApiElement {
  static override styles = [BhElement.styles, settingsStyles];

  @state() protected drafts: Draft[] | null = null;
  @state() protected errors: Record<string, string> = {};
  @state() protected saving = false;
  @state() protected message: SectionMessage | null = null;
  @state() protected messageId = '';
  @state() protected preview: MailPreview | null = null;
  @state() protected previewError = '';

  #settings = this.apiTask((api, signal) => ingestSettings(api, signal));
  #mail = this.apiTask((api, signal) => listMail(api, '', signal));

  /** Settles when the rules and the messages to test against have loaded. */
  get loadComplete(): Promise<unknown> {
    // allSettled, not all: a refused request (403 for a read token) must not settle this while the other is still loading.
    return Promise.allSettled([this.#settings.taskComplete, this.#mail.taskComplete]);
  }

  protected override reload(): void {
    this.drafts = null;
    void this.#settings.run();
    void this.#mail.run();
  }

  override render(): TemplateResult {
    return html`<section part="base" class="base" data-theme=${this.effectiveTheme} aria-labelledby="keyword-rules-heading" aria-busy=${isBusy(this.#settings) ? 'true' : 'false'}>
      <h2 id="keyword-rules-heading" part="heading">${msg('Keyword rules for report mail')}</h2>
      <p class="muted hint">${msg('Mail that no product parser (Veeam, Duplicati, CSV reports) knows is tried against these rules, in order. A rule needs a sender or subject pattern and at least one keyword.')}</p>
      ${renderIngestAsync(this.#settings, {
        loading: msg('Loading keyword rules…'),
        retry: () => this.reload(),
        complete: (loaded) => this.#renderForm((this.drafts ??= loaded.keywordRules.map(draftOf))),
      })}
    </section>`;
  }

  #renderForm(drafts: Draft[]): TemplateResult {
    const e = this.errors;
    return html`<form part="form" @submit=${this.#save}>
      ${renderFieldError(e, '', 'kw-err-form')} ${renderFieldError(e, 'rules', 'kw-err-rules')}
      ${drafts.length === 0 ? html`<p class="muted">${msg('No keyword rules yet.')}</p>` : nothing}
      ${drafts.map(
        (draft, index) => html`<fieldset part="rule" data-rule=${index}>
          <legend>${this.#ruleTitle(index, draft.name)}</legend>
          <div class="row">
            ${fields().map(({ key, label, path, hint }) => {
              const at = `${index}.${path}`;
              const id = `kw-err-${index}-${path.replace(/\./g, '-')}`;
              const hintId = `kw-hint-${index}-${key}`;
              return html`<label class="field">
                <span>${label}</span>
                <input
                  type="text"
                  name=${`${index}.${key}`}
                  .value=${draft[key]}
                  ?required=${key === 'device'}
                  aria-invalid=${e[at] ? 'true' : 'false'}
                  aria-describedby=${[e[at] ? id : '', hint ? hintId : ''].filter(Boolean).join(' ') || nothing}
                  @input=${(event: Event) => (draft[key] = (event.target as HTMLInputElement).value)}
                />
                ${hint ? html`<span id=${hintId} class="hint muted">${hint}</span>` : nothing} ${renderFieldError(e, at, id)}
              </label>`;
            })}
          </div>
          ${renderFieldError(e, `${index}.match`, `kw-err-${index}-match`)}
          <button type="button" part="remove-button" aria-label=${this.#removeLabel(index)} @click=${() => this.#remove(index)}>${msg('Remove')}</button>
        </fieldset>`,
      )}
      <div class="actions">
        <button type="button" part="add-button" @click=${() => this.#add()}>${msg('Add rule')}</button>
        <button type="submit" class="primary" part="save-button" ?disabled=${this.saving}>${this.saving ? msg('Saving…') : msg('Save rules')}</button>
        <span role="status" class="message">${this.message ? renderTone(this.message.tone, this.message.text) : nothing}</span>
      </div>
      ${this.#renderPreview()}
    </form>`;
  }

  #renderPreview(): TemplateResult {
    const messages: MailItem[] = this.#mail.value?.items ?? [];
    return html`<fieldset>
      <legend>${msg('Test against a message')}</legend>
      ${messages.length === 0
        ? html`<p class="muted">${msg('No report mail received yet: send one to the report mail address, then test the rules against it here.')}</p>`
        : html`<div class="row">
            <label class="field wide">
              <span>${msg('Received message')}</span>
              <select name="preview-message" @change=${(event: Event) => (this.messageId = (event.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${this.messageId === ''}>${msg('Choose a message…')}</option>
                ${messages.map((mail) => html`<option value=${mail.id} ?selected=${this.messageId === mail.id}>${mail.subject || msg('(no subject)')} — ${mail.from}</option>`)}
              </select>
            </label>
            <button type="button" part="preview-button" ?disabled=${!this.messageId} @click=${() => this.#preview()}>${msg('Test against this message')}</button>
          </div>`}
      <div part="preview" role="status" aria-live="polite">${this.#renderVerdict()}</div>
    </fieldset>`;
  }

  #renderVerdict(): unknown {
    if (this.previewError) return renderTone('critical', this.previewError);
    const verdict = this.preview;
    if (!verdict) return nothing;
    const { parser } = verdict;
    const by = !parser ? msg('No parser or rule claims it') : parser === 'keyword' ? msg('Read by the keyword rules') : msg(str`Read by the ${parser} parser`);
    if (verdict.kind === 'unreadable') return html`<p>${msg(str`${by}: nothing would be recorded.`)} ${verdict.reason ?? ''}</p>`;
    const skipped = verdict.skipped.join('; ');
    return html`<p>${wouldRecord(by, verdict.jobs.length)}</p>
      <ul>
        ${verdict.jobs.map((job) => {
          const status = JOB_STATUS_LABELS[job.status as JobStatus] ?? job.status;
          return html`<li>${msg(html`Device <strong>${job.device}</strong>: ${status}`)}${job.message ? ` — ${job.message}` : ''}</li>`;
        })}
      </ul>
      ${verdict.skipped.length ? html`<p class="muted">${msg(str`Skipped: ${skipped}`)}</p>` : nothing}`;
  }

  /** "Rule 2" or "Rule 2: Synology". */
  #ruleTitle(index: number, name: string): string {
    const number = index + 1;
    return name ? msg(str`Rule ${number}: ${name}`) : msg(str`Rule ${number}`);
  }

  #removeLabel(index: number): string {
    const number = index + 1;
    return msg(str`Remove rule ${number}`);
  }

  #rules(): KeywordRules {
    return (this.drafts ?? []).map(ruleOf);
  }

  async #add(): Promise<void> {
    this.drafts = [...(this.drafts ?? []), { name: '', from: '', subject: '', device: '', failure: '', success: '' }];
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`[data-rule="${this.drafts.length - 1}"] input`)?.focus();
  }

  #remove(index: number): void {
    this.drafts = (this.drafts ?? []).filter((_, at) => at !== index);
    this.errors = {};
    const number = index + 1;
    this.message = { tone: 'healthy', text: msg(str`Rule ${number} removed; save to keep the change.`) };
  }

  #save = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const api = this.api;
    if (!api || !(event.currentTarget as HTMLFormElement).reportValidity()) return;
    this.saving = true;
    this.errors = {};
    this.message = null;
    try {
      this.drafts = (await saveKeywordRules(api, this.#rules())).map(draftOf);
      this.message = { tone: 'healthy', text: msg('Saved.') };
      this.emit('bh-settings-save', { section: 'keyword-rules' });
    } catch (error) {
      this.#refused(error, msg('Could not save the rules.'));
    } finally {
      this.saving = false;
    }
  };

  async #preview(): Promise<void> {
    const api = this.api;
    if (!api || !this.messageId) return;
    this.preview = null;
    this.previewError = '';
    this.errors = {};
    try {
      this.preview = await previewMail(api, this.messageId, this.#rules());
    } catch (error) {
      this.#refused(error, msg('Could not test the rules.'));
      this.previewError = msg('The rules as typed are not valid: see the findings beside the fields.');
      if (!Object.keys(this.errors).some((path) => path !== '')) this.previewError = `${msg('Could not test the rules.')} ${this.errors[''] ?? ''}`;
    }
  }

  async #refused(error: unknown, failed: string): Promise<void> {
    await showRefusal(this, error, (errors) => {
      this.errors = errors;
      if (errors['']) this.message = { tone: 'critical', text: `${failed} ${errors['']}` };
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'backup-health-keyword-rules-settings': BackupHealthKeywordRulesSettings;
  }
}

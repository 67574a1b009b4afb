import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { ProblemError } from '../shared/api-errors.ts';
import { fieldErrors } from '../shared/quiet-api.ts';

/** What the form sends: the API's body, `at` only when the person gave a time. */
export interface ManualResultDraft {
  status: 'success' | 'failed';
  at?: string;
  note: string;
}

export type FormState = { phase: 'idle' } | { phase: 'saving' } | { phase: 'saved'; status: 'success' | 'failed' } | { phase: 'failed'; message: string; fields: Record<string, string> };

/** The form's fields as the API body; a local `datetime-local` value becomes an ISO time. */
export function draftOf(form: HTMLFormElement): ManualResultDraft {
  const data = new FormData(form);
  const when = String(data.get('at') ?? '');
  return {
    status: data.get('status') === 'failed' ? 'failed' : 'success',
    note: String(data.get('note') ?? ''),
    ...(when ? { at: new Date(when).toISOString() } : {}),
  };
}

/** A refusal as a sentence and per-field messages, so each shows beside its field. */
export function failureOf(error: unknown): Extract<FormState, { phase: 'failed' }> {
  if (!(error instanceof ProblemError)) return { phase: 'failed', message: msg('The result could not be recorded. Check the connection and try again.'), fields: {} };
  const { '': _general, ...fields } = fieldErrors(error);
  return { phase: 'failed', message: error.problem.detail ?? error.problem.title, fields };
}

const fieldError = (state: FormState, field: string) =>
  state.phase === 'failed' && state.fields[field] ? html`<span class="field-error" id="manual-${field}-error" part="field-error">${state.fields[field]}</span>` : nothing;
const describedBy = (state: FormState, field: string) => (state.phase === 'failed' && state.fields[field] ? `manual-${field}-error` : nothing);

/**
 * "Record a result by hand" for operators: when no tool reported a backup that did run
 * (or did not), the person says so with a note; the device is evaluated with it.
 */
export function renderManualResultForm(state: FormState, submit: (event: SubmitEvent) => void): TemplateResult {
  const saving = state.phase === 'saving';
  return html`<details part="manual-result" class="manual-result">
    <summary>${msg('Record a result by hand')}</summary>
    <form @submit=${submit} novalidate>
      <fieldset class="choices">
        <legend>${msg('Result')}</legend>
        <label><input type="radio" name="status" value="success" checked /> ${msg('Succeeded')}</label>
        <label><input type="radio" name="status" value="failed" /> ${msg('Failed')}</label>
      </fieldset>
      <label class="field">
        <span>${msg('When it ran')} <span class="muted">${msg('(empty: now)')}</span></span>
        <input type="datetime-local" name="at" aria-invalid=${state.phase === 'failed' && state.fields.at ? 'true' : 'false'} aria-describedby=${describedBy(state, 'at')} />
        ${fieldError(state, 'at')}
      </label>
      <label class="field">
        <span>${msg('Note')} <span class="muted">${msg('(required: what happened, where the proof is)')}</span></span>
        <textarea name="note" rows="3" maxlength="2000" required aria-invalid=${state.phase === 'failed' && state.fields.note ? 'true' : 'false'} aria-describedby=${describedBy(state, 'note')}></textarea>
        ${fieldError(state, 'note')}
      </label>
      <div class="actions">
        <button type="submit" part="manual-result-submit" ?disabled=${saving}>${saving ? msg('Recording…') : msg('Record result')}</button>
        <span role="status" class="muted">${state.phase === 'saved' ? (state.status === 'success' ? msg('Recorded: a successful backup.') : msg('Recorded: a failed backup.')) : state.phase === 'failed' ? state.message : ''}</span>
      </div>
    </form>
  </details>`;
}

import { html, nothing, type TemplateResult } from 'lit';
import { TaskStatus, type Task } from '@lit/task';
import { msg } from '@lit/localize';
import { AuthExpiredError, ProblemError } from './api-errors.ts';
import { statusIcon } from './status.ts';

/** A spinner with words, announced politely. The container sets `aria-busy`. */
export function renderLoading(label: string): TemplateResult {
  return html`<div class="state loading" part="loading" role="status">
    <span class="spinner" aria-hidden="true"></span><span>${label}</span>
  </div>`;
}

/** Nothing to show, with a hint at what the person could do. */
export function renderEmpty(title: string, hint?: string): TemplateResult {
  return html`<div class="state" part="empty">
    <p class="state-title">${title}</p>
    ${hint ? html`<p class="muted">${hint}</p>` : nothing}
  </div>`;
}

/** Shown while neither `api-base` + `token` nor a provider gives the widget a client. */
export function renderNotConnected(): TemplateResult {
  return html`<div class="state" part="not-connected">
    <p class="state-title">${msg('Not connected')}</p>
    <p class="muted">${msg(html`Set the <code>api-base</code> and <code>token</code> attributes, or place this widget inside <code>&lt;backup-health-provider&gt;</code>.`)}</p>
  </div>`;
}

/**
 * An error a person can act on: the expired-session state for a 401 (the host mints a
 * new token; the widget reloads by itself), else the problem's title and detail with a
 * Retry button.
 */
export function renderError(error: unknown, retry: () => void): TemplateResult {
  if (error instanceof AuthExpiredError) {
    return html`<div class="state" part="auth-expired" role="status" data-tone="warning">
      <p class="state-title status">${statusIcon('warning')} ${msg('Your session has expired')}</p>
      <p>${msg('Sign in again to keep watching backup health. This view reloads by itself once it has a new token.')}</p>
    </div>`;
  }
  const title = error instanceof ProblemError ? error.problem.title : msg('Something went wrong');
  const detail = error instanceof ProblemError ? error.problem.detail : error instanceof Error ? error.message : String(error);
  // A 422 refused what was asked (e.g. a period's dates): the same request again cannot help.
  const refused = error instanceof ProblemError && error.status === 422;
  return html`<div class="state" part="error" role="alert" data-tone="critical">
    <p class="state-title status">${statusIcon('critical')} ${title}</p>
    ${detail ? html`<p>${detail}</p>` : nothing}
    ${refused ? nothing : html`<button type="button" part="retry-button" @click=${retry}>${msg('Retry')}</button>`}
  </div>`;
}

export interface AsyncViewOptions<R> {
  /** Renders the data. Kept on screen during a reload so refreshes do not flash. */
  complete: (value: R) => unknown;
  /** Words beside the spinner: "Loading devices…". */
  loading: string;
  retry: () => void;
}

/** Renders a task's state: data, loading, error or not connected. */
export function renderAsync<R>(task: Task<readonly unknown[], R>, options: AsyncViewOptions<R>): unknown {
  if (task.value !== undefined) return options.complete(task.value);
  switch (task.status) {
    case TaskStatus.ERROR:
      return renderError(task.error, options.retry);
    case TaskStatus.PENDING:
      return renderLoading(options.loading);
    default:
      return renderNotConnected();
  }
}

/** True while the task is fetching: for `aria-busy`. */
export const isBusy = (task: Task<readonly unknown[], unknown>): boolean => task.status === TaskStatus.PENDING;

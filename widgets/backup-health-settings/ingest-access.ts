import { TaskStatus, type Task } from '@lit/task';
import { html, type TemplateResult } from 'lit';
import { msg } from '@lit/localize';
import { ProblemError } from '../shared/api-errors.ts';
import { renderAsync, renderError, type AsyncViewOptions } from '../shared/async-view.ts';

/**
 * The failure of an Ingest section: a 403 means the credential is not an admin key
 * (ping keys and mail are the tenant's, never an embed token's), said in words; any
 * other failure is the usual error with Retry.
 */
export function renderIngestError(error: unknown, retry: () => void): TemplateResult {
  if (error instanceof ProblemError && error.status === 403) {
    return html`<div class="state" part="admin-only" role="status">
      <p class="state-title">${msg('Only an admin can see this')}</p>
      <p class="muted">${msg('Ping keys, report mail and the discovery inbox belong to the whole tenant. Open these settings with an admin API key; embed tokens (read, operate or client-scoped) cannot.')}</p>
    </div>`;
  }
  return renderError(error, retry);
}

/** `renderAsync` with the admin-only explanation for a 403. */
export function renderIngestAsync<R>(task: Task<readonly unknown[], R>, options: AsyncViewOptions<R>): unknown {
  if (task.value === undefined && task.status === TaskStatus.ERROR) return renderIngestError(task.error, options.retry);
  return renderAsync(task, options);
}

/** Copies text, answering what to tell the person: `copied`, or `refused` when the browser said no. */
export async function copyText(value: string, copied: string, refused: string): Promise<string> {
  try {
    await navigator.clipboard.writeText(value);
    return copied;
  } catch {
    return refused;
  }
}

import type { Problem } from '../../core/api.ts';
import type { ApiClient } from './api-client.ts';
import { ProblemError } from './api-errors.ts';
import type { Answer, BodyOf, Concrete } from './api-types.ts';

// Maintenance windows and silences (docs/alert-workflow.md). Typed from the route declarations like the
// ApiClient's methods, but free functions in their own module: only the lazily loaded
// settings and silence dialog call them, so they stay out of the entry bundle.
export type MaintenanceWindow = Answer<'/maintenance/:id', '$get'>;
export type MaintenanceWindowBody = BodyOf<'/maintenance/:id', '$put'>;
export type Silence = Answer<'/silences', '$get'>['items'][number];
export type SilenceBody = BodyOf<'/silences', '$post'>;
export type SilenceState = Silence['state'];

/** Every window (`GET /maintenance`, following `nextCursor`). */
export async function listMaintenance(api: ApiClient, signal?: AbortSignal): Promise<MaintenanceWindow[]> {
  const windows: MaintenanceWindow[] = [];
  let cursor: string | null = null;
  do {
    const page: Answer<'/maintenance', '$get'> = await api.getJson('/maintenance', { query: { limit: 100, cursor }, signal });
    windows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return windows;
}

/** `PUT /maintenance/{id}`: plans or replaces a window. */
export async function putMaintenance(api: ApiClient, id: string, body: MaintenanceWindowBody): Promise<MaintenanceWindow> {
  return (await api.sendJson('$put', '/maintenance/:id', { params: { id }, body }))!;
}

/** `DELETE /maintenance/{id}` (204). */
export async function deleteMaintenance(api: ApiClient, id: string): Promise<void> {
  await api.request('DELETE', `/maintenance/${encodeURIComponent(id)}` satisfies Concrete<'/maintenance/:id'>);
}

/** `GET /silences`, newest first; `state` empty for every state. */
export function listSilences(api: ApiClient, state: SilenceState | '', signal?: AbortSignal) {
  return api.getJson('/silences', { query: { state: state || undefined, limit: 100 }, signal });
}

/** `POST /silences`. */
export async function createSilence(api: ApiClient, body: SilenceBody): Promise<Silence> {
  return (await api.sendJson('$post', '/silences', { body }))!;
}

/** `DELETE /silences/{id}`: expires it now and answers it. */
export async function expireSilence(api: ApiClient, id: string): Promise<Silence> {
  const response = await api.request('DELETE', `/silences/${encodeURIComponent(id)}` satisfies Concrete<'/silences/:id'>);
  return (await response.json()) as Silence;
}

/**
 * A 422's findings by field path (`weekly.start`, `scope`, …), so a form can show each
 * beside its field; other failures under `''`.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ProblemError)) return { '': error instanceof Error ? error.message : String(error) };
  const problem: Problem = error.problem;
  const found: Record<string, string> = {};
  for (const item of problem.errors ?? []) {
    const path = item.path ?? '';
    found[path] = found[path] ? `${found[path]}; ${item.message}` : item.message;
  }
  if (Object.keys(found).length === 0) found[''] = `${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`;
  return found;
}

/** A slug of `name` with a random tail: the id of a new window (`PUT` names its own id). */
export function newWindowId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'window';
  return `${slug}-${Math.random().toString(36).slice(2, 8)}`;
}

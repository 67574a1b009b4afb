import type { ApiClient } from '../shared/api-client.ts';
import type { Answer, BodyOf } from '../shared/api-types.ts';

// Settings → Backup policies (docs/schedules.md): list, preview and save. Free functions typed from the
// route declarations, in the lazily loaded settings chunk only.
export type Policy = Answer<'/policies', '$get'>['items'][number];
export type PolicyBody = BodyOf<'/policies/:id', '$put'>;
export type Schedule = Policy['schedule'];
export type SchedulePreview = Answer<'/policies/schedule-preview', '$post'>;

/** `GET /policies`, by name. */
export async function listPolicies(api: ApiClient, signal?: AbortSignal): Promise<Policy[]> {
  return (await api.getJson('/policies', { signal })).items;
}

/** `PUT /policies/{id}`: creates or changes it; its devices are evaluated again. */
export async function putPolicy(api: ApiClient, id: string, body: PolicyBody): Promise<Policy> {
  return (await api.sendJson('$put', '/policies/:id', { params: { id }, body }))!;
}

/** `POST /policies/schedule-preview`: the next 5 slots of `schedule` in `timezone` (stores nothing). */
export async function previewSchedule(api: ApiClient, body: BodyOf<'/policies/schedule-preview', '$post'>, signal?: AbortSignal): Promise<SchedulePreview> {
  return (await api.sendJson('$post', '/policies/schedule-preview', { body, signal }))!;
}

/** A slug of `name`, made unique among `taken` ids: the id of a new policy. */
export function newPolicyId(name: string, taken: ReadonlySet<string>): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'policy';
  let id = slug;
  for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;
  return id;
}

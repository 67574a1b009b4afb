import type { ApiClient } from '../shared/api-client.ts';
import type { Answer, BodyOf } from '../shared/api-types.ts';

// Settings → Ingest (docs/ingest.md): the ping key and mail address, keyword rules, received mail
// and the discovery inbox. Free functions typed from the route declarations, in the
// lazily loaded settings chunk only (nothing of this enters the entry bundle).
export type IngestSettings = Answer<'/settings/ingest', '$get'>;
export type KeywordRules = BodyOf<'/settings/ingest/keyword-rules', '$put'>;
export type KeywordRule = KeywordRules[number];
export type MailItem = Answer<'/mail', '$get'>['items'][number];
export type MailPreview = Answer<'/mail/:id/preview', '$post'>;
export type DiscoveredDevice = Answer<'/discovery', '$get'>['items'][number];
export type ApproveBody = BodyOf<'/discovery/:slug/approve', '$post'>;

/** `GET /settings/ingest`. */
export function ingestSettings(api: ApiClient, signal?: AbortSignal): Promise<IngestSettings> {
  return api.getJson('/settings/ingest', { signal });
}

/** `POST /settings/ingest/rotate-ping-key`: the old ping URLs and mail address stop at once. */
export async function rotatePingKey(api: ApiClient): Promise<IngestSettings> {
  return (await api.sendJson('$post', '/settings/ingest/rotate-ping-key'))!;
}

/** `PUT /settings/ingest/keyword-rules`. */
export async function saveKeywordRules(api: ApiClient, rules: KeywordRules): Promise<KeywordRules> {
  return (await api.sendJson('$put', '/settings/ingest/keyword-rules', { body: rules }))!;
}

/** `GET /mail`, newest first; `state` empty for every message. */
export function listMail(api: ApiClient, state: MailItem['state'] | '', signal?: AbortSignal) {
  return api.getJson('/mail', { query: { state: state || undefined, limit: 50 }, signal });
}

/** `POST /mail/{id}/reparse`: read again with the current rules and devices. */
export async function reparseMail(api: ApiClient, id: string): Promise<MailItem> {
  return (await api.sendJson('$post', '/mail/:id/reparse', { params: { id } }))!;
}

/** `POST /mail/{id}/preview`: what `rules` would make of a stored message (nothing recorded). */
export async function previewMail(api: ApiClient, id: string, rules: KeywordRules): Promise<MailPreview> {
  return (await api.sendJson('$post', '/mail/:id/preview', { params: { id }, body: { rules } }))!;
}

/** `GET /discovery` (pending). */
export function listDiscovered(api: ApiClient, signal?: AbortSignal) {
  return api.getJson('/discovery', { signal });
}

/** `POST /discovery/{slug}/approve`: enrol it and replay its held pings. */
export async function approveDiscovered(api: ApiClient, slug: string, body: ApproveBody) {
  return (await api.sendJson('$post', '/discovery/:slug/approve', { params: { slug }, body }))!;
}

/** `POST /discovery/{slug}/ignore`. */
export async function ignoreDiscovered(api: ApiClient, slug: string) {
  return (await api.sendJson('$post', '/discovery/:slug/ignore', { params: { slug } }))!;
}

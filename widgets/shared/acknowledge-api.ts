import { msg, str } from '@lit/localize';
import type { AlertItem } from '../../core/api.ts';
import type { ApiClient } from './api-client.ts';
import type { Answer, Concrete } from './api-types.ts';

// The acknowledgement workflow (docs/alert-workflow.md). Typed from the route declarations like the
// ApiClient's methods, but free functions in their own module: only the feed's lazily
// loaded note form, bulk bar and timeline call them, so they stay out of the entry bundle.
export type BulkAcknowledgeResult = Answer<'/alerts/acknowledge', '$post'>['results'][number];
export type AlertHistoryEntry = NonNullable<AlertItem['history']>[number];

/** `POST /alerts/{id}/acknowledge {note?}`: answers the acknowledged alert. */
export function acknowledgeAlert(api: ApiClient, id: string, note?: string): Promise<AlertItem> {
  return step(api, `/alerts/${encodeURIComponent(id)}/acknowledge` satisfies Concrete<'/alerts/:id/acknowledge'>, note);
}

/** `POST /alerts/{id}/unacknowledge {note?}`: the alert is open again. */
export function unacknowledgeAlert(api: ApiClient, id: string, note?: string): Promise<AlertItem> {
  return step(api, `/alerts/${encodeURIComponent(id)}/unacknowledge` satisfies Concrete<'/alerts/:id/unacknowledge'>, note);
}

// The optional `{note}` body is declared for the OpenAPI document only (the route reads
// it itself), so the typed `sendJson` knows no body here: sent through `request`.
async function step(api: ApiClient, path: string, note: string | undefined): Promise<AlertItem> {
  const response = await api.request('POST', path, { body: note ? { note } : {} });
  return (await response.json()) as AlertItem;
}

/** `POST /alerts/acknowledge {ids, note?}`: one outcome per id, in the order asked (an id given twice is answered once). */
export async function acknowledgeAlerts(api: ApiClient, ids: string[], note?: string): Promise<BulkAcknowledgeResult[]> {
  return (await api.sendJson('$post', '/alerts/acknowledge', { body: note ? { ids, note } : { ids } }))!.results;
}

/** `GET /alerts/{id}`: the alert with its `history`, oldest step first. */
export function getAlert(api: ApiClient, id: string, signal?: AbortSignal): Promise<AlertItem> {
  return api.getJson('/alerts/:id', { params: { id }, signal });
}

const OUTCOME_WORDS: Record<BulkAcknowledgeResult['outcome'], (count: number) => string> = {
  acknowledged: (count) => msg(str`${count} acknowledged`),
  unchanged: (count) => msg(str`${count} already acknowledged`),
  resolved: (count) => msg(str`${count} already resolved`),
  'not-found': (count) => msg(str`${count} not found`),
};

/** "3 acknowledged, 1 already acknowledged": the outcomes counted, in a fixed order. */
export function summarizeOutcomes(results: readonly BulkAcknowledgeResult[]): string {
  const counts = new Map<string, number>();
  for (const result of results) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  const parts = (Object.keys(OUTCOME_WORDS) as BulkAcknowledgeResult['outcome'][]).filter((outcome) => counts.has(outcome)).map((outcome) => OUTCOME_WORDS[outcome](counts.get(outcome)!));
  return parts.join(', ') || msg('Nothing acknowledged');
}

/**
 * A stand-in for the On-Call service on loopback: `POST /pages` with a trigger or
 * resolve (a repeated Idempotency-Key is answered from memory, not processed again),
 * `GET /pages` to list what arrived and the incidents they opened. As in common
 * paging services, a trigger with the dedupKey of a triggered incident is a
 * re-trigger: it joins that incident (counted, and paging again) rather than opening
 * a second one; after the incident resolved, the same dedupKey opens a new one.
 * Used by the tests and the demo.
 */
import { startHttpStandIn, type Fault, type HttpStandIn, type JsonAnswer, type RecordedRequest } from './http-stand-in.ts';

export type { Fault, RecordedRequest };

export interface StandInPage {
  action: 'trigger' | 'resolve';
  dedupKey: string;
  escalationPolicy: string;
  severity: string;
  summary: string;
  client: { id: string; name: string };
  device: { id: string; name: string };
  breachHours: number;
  link: string;
  receivedAt: string;
  /** A trigger that joined an incident already triggered under its dedupKey. */
  retrigger: boolean;
}

export interface StandInIncident {
  dedupKey: string;
  status: 'triggered' | 'resolved';
  escalationPolicy: string;
  summary: string;
  triggeredAt: string;
  /** The newest trigger (the first, or a re-trigger). */
  lastTriggeredAt: string;
  /** Triggers received for this incident: 1, plus one per re-trigger. */
  triggerCount: number;
  resolvedAt: string | null;
}

export interface OnCallStandIn extends HttpStandIn {
  /** Accepted pages in arrival order. */
  pages: StandInPage[];
  /** Incidents in opening order; at most one triggered per dedupKey. */
  incidents: StandInIncident[];
}

export async function startOnCallStandIn(options: { key: string; port?: number; host?: string }): Promise<OnCallStandIn> {
  const pages: StandInPage[] = [];
  const incidents: StandInIncident[] = [];

  const accept = (body: unknown): JsonAnswer => {
    const input = (body ?? {}) as Partial<StandInPage>;
    if (input.action !== 'trigger' && input.action !== 'resolve') return { status: 400, body: { error: 'action must be "trigger" or "resolve".' } };
    if (typeof input.dedupKey !== 'string' || input.dedupKey === '') return { status: 400, body: { error: 'dedupKey is required.' } };
    const now = new Date().toISOString();
    // The newest incident of the key: an older one is resolved.
    let incident = incidents.findLast((candidate) => candidate.dedupKey === input.dedupKey);
    const retrigger = input.action === 'trigger' && incident?.status === 'triggered';
    pages.push({ ...(input as StandInPage), receivedAt: now, retrigger });
    if (retrigger) {
      incident!.triggerCount += 1;
      incident!.lastTriggeredAt = now;
    } else if (input.action === 'trigger') {
      incident = {
        dedupKey: input.dedupKey,
        status: 'triggered',
        escalationPolicy: String(input.escalationPolicy ?? ''),
        summary: String(input.summary ?? ''),
        triggeredAt: now,
        lastTriggeredAt: now,
        triggerCount: 1,
        resolvedAt: null,
      };
      incidents.push(incident);
    } else if (incident && incident.status === 'triggered') {
      incident.status = 'resolved';
      incident.resolvedAt = now;
    }
    return { status: 202, body: { status: 'accepted', dedupKey: input.dedupKey, incident: incident?.status ?? null, retrigger } };
  };

  const standIn = await startHttpStandIn({
    ...options,
    routes: [
      { method: 'POST', pattern: /^\/pages\/?$/, handler: ({ body }) => accept(body) },
      { method: 'GET', pattern: /^\/pages\/?$/, handler: () => ({ status: 200, body: { items: pages, incidents } }), public: true },
    ],
  });
  return Object.assign(standIn, { pages, incidents });
}

/**
 * A stand-in for "The One PSA" on loopback: `POST /tickets` → `201 {id}`
 * (the same Idempotency-Key returns the same ticket, never a second one),
 * `PATCH /tickets/:id` `{status, note}`, and `GET /tickets` to list what arrived.
 * Used by the tests and the demo.
 */
import { startHttpStandIn, type Fault, type HttpStandIn, type JsonAnswer, type RecordedRequest } from './http-stand-in.ts';

export type { Fault, RecordedRequest };

export interface StandInTicket {
  id: string;
  status: 'open' | 'resolved';
  externalRef: string;
  type: string;
  priority: string;
  summary: string;
  description: string;
  client: { id: string; name: string };
  device: { id: string; name: string };
  alertType: string;
  triggeredAt: string;
  lastSuccessfulBackupAt: string | null;
  jobLogUrl: string;
  createdAt: string;
  resolvedAt: string | null;
  note: string | null;
}

export interface PsaStandIn extends HttpStandIn {
  /** Tickets in creation order. */
  tickets: StandInTicket[];
}

const REQUIRED = ['externalRef', 'type', 'priority', 'summary', 'description', 'client', 'device', 'alertType', 'triggeredAt', 'jobLogUrl'] as const;

export async function startPsaStandIn(options: { key: string; port?: number; host?: string }): Promise<PsaStandIn> {
  const tickets: StandInTicket[] = [];
  let nextNumber = 1001;

  const create = (body: unknown): JsonAnswer => {
    const input = (body ?? {}) as Record<string, unknown>;
    const missing = REQUIRED.filter((field) => input[field] === undefined || input[field] === null || input[field] === '');
    if (missing.length > 0) return { status: 400, body: { error: `Missing fields: ${missing.join(', ')}` } };
    const ticket = {
      ...(input as unknown as StandInTicket),
      id: `T-${nextNumber++}`,
      status: 'open',
      createdAt: new Date().toISOString(),
      resolvedAt: null,
      note: null,
    } satisfies StandInTicket;
    tickets.push(ticket);
    return { status: 201, body: { id: ticket.id } };
  };

  const update = (id: string, body: unknown): JsonAnswer => {
    const ticket = tickets.find((candidate) => candidate.id === id);
    if (!ticket) return { status: 404, body: { error: `No ticket ${id}.` } };
    const input = (body ?? {}) as { status?: unknown; note?: unknown };
    if (input.status !== 'resolved' && input.status !== 'open') return { status: 400, body: { error: 'status must be "resolved" or "open".' } };
    ticket.status = input.status;
    ticket.note = typeof input.note === 'string' ? input.note : ticket.note;
    ticket.resolvedAt = input.status === 'resolved' ? new Date().toISOString() : null;
    return { status: 200, body: ticket };
  };

  const standIn = await startHttpStandIn({
    ...options,
    routes: [
      { method: 'POST', pattern: /^\/tickets\/?$/, handler: ({ body }) => create(body) },
      { method: 'PATCH', pattern: /^\/tickets\/([^/]+)$/, handler: ({ params, body }) => update(params[0]!, body) },
      { method: 'GET', pattern: /^\/tickets\/?$/, handler: () => ({ status: 200, body: { items: tickets } }), public: true },
    ],
  });
  return Object.assign(standIn, { tickets });
}

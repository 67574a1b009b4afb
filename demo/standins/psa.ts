/**
 * A stand-in for "The One PSA" on loopback: `POST /tickets` → `201 {id}` (the same
 * Idempotency-Key returns the same ticket, never a second one), `PATCH /tickets/:id`
 * `{status:"resolved"|"open", note}` (resolve, or reopen a resolved ticket),
 * `POST /tickets/:id/notes {note}` → `201 {id}`, and `GET /tickets` to list what
 * arrived. Every note, resolution and reopening stays in the ticket's `notes`, oldest
 * first, as a PSA's ticket history would. Used by the tests and the demo.
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
  /** The note of the newest status change (resolve or reopen). */
  note: string | null;
  /** When it was last reopened, null if never. */
  reopenedAt: string | null;
  /** The ticket's history: notes added, resolutions and reopenings, oldest first. */
  notes: StandInNote[];
}

export interface StandInNote {
  id: string;
  at: string;
  kind: 'note' | 'resolved' | 'reopened';
  /** The text sent; null for a status change without a note. */
  text: string | null;
}

export interface PsaStandIn extends HttpStandIn {
  /** Tickets in creation order. */
  tickets: StandInTicket[];
}

/** Longest note the stand-in takes, like a PSA's field limit. */
const NOTE_MAX = 10_000;

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
      reopenedAt: null,
      notes: [],
    } satisfies StandInTicket;
    tickets.push(ticket);
    return { status: 201, body: { id: ticket.id } };
  };

  const record = (ticket: StandInTicket, kind: StandInNote['kind'], text: string | null, at: string): StandInNote => {
    const note = { id: `${ticket.id}-N${ticket.notes.length + 1}`, at, kind, text };
    ticket.notes.push(note);
    return note;
  };

  const update = (id: string, body: unknown): JsonAnswer => {
    const ticket = tickets.find((candidate) => candidate.id === id);
    if (!ticket) return { status: 404, body: { error: `No ticket ${id}.` } };
    const input = (body ?? {}) as { status?: unknown; note?: unknown };
    if (input.status !== 'resolved' && input.status !== 'open') return { status: 400, body: { error: 'status must be "resolved" or "open".' } };
    if (input.note !== undefined && input.note !== null && (typeof input.note !== 'string' || input.note.length > NOTE_MAX)) {
      return { status: 400, body: { error: `note must be text of at most ${NOTE_MAX} characters.` } };
    }
    const note = typeof input.note === 'string' && input.note !== '' ? input.note : null;
    const now = new Date().toISOString();
    if (input.status !== ticket.status) record(ticket, input.status === 'open' ? 'reopened' : 'resolved', note, now);
    else if (note !== null) record(ticket, 'note', note, now);
    if (input.status === 'open' && ticket.status === 'resolved') ticket.reopenedAt = now;
    ticket.status = input.status;
    ticket.note = note ?? ticket.note;
    ticket.resolvedAt = input.status === 'resolved' ? (ticket.resolvedAt ?? now) : null;
    return { status: 200, body: ticket };
  };

  const addNote = (id: string, body: unknown): JsonAnswer => {
    const ticket = tickets.find((candidate) => candidate.id === id);
    if (!ticket) return { status: 404, body: { error: `No ticket ${id}.` } };
    const text = (body as { note?: unknown } | null)?.note;
    if (typeof text !== 'string' || text.trim() === '' || text.length > NOTE_MAX) return { status: 400, body: { error: `note is required: text of at most ${NOTE_MAX} characters.` } };
    const note = record(ticket, 'note', text, new Date().toISOString());
    return { status: 201, body: { id: note.id } };
  };

  const standIn = await startHttpStandIn({
    ...options,
    routes: [
      { method: 'POST', pattern: /^\/tickets\/?$/, handler: ({ body }) => create(body) },
      { method: 'PATCH', pattern: /^\/tickets\/([^/]+)$/, handler: ({ params, body }) => update(params[0]!, body) },
      { method: 'POST', pattern: /^\/tickets\/([^/]+)\/notes\/?$/, handler: ({ params, body }) => addNote(params[0]!, body) },
      { method: 'GET', pattern: /^\/tickets\/?$/, handler: () => ({ status: 200, body: { items: tickets } }), public: true },
    ],
  });
  return Object.assign(standIn, { tickets });
}

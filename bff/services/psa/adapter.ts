/**
 * PSA adapters: how a ticket is created and resolved at a PSA. The One PSA is the
 * first implementation (docs/architecture.md); another PSA is another class behind the same
 * interface.
 */
import type { AlertType, TicketPriority } from '../../../core/types.ts';
import { DeliveryError } from '../outbox/delivery.ts';
import { displayUrl, requestJson } from '../outbox/http.ts';
import type { IntegrationConnection } from '../outbox/connection.ts';

/** The ticket a PSA receives (docs/api.md, "Outbound contracts"). Times are ISO-8601 UTC. */
export interface TicketRequest {
  /** The alert id: the PSA can find the ticket by it. */
  externalRef: string;
  type: string;
  priority: TicketPriority;
  summary: string;
  description: string;
  client: { id: string; name: string };
  device: { id: string; name: string };
  alertType: AlertType;
  triggeredAt: string;
  lastSuccessfulBackupAt: string | null;
  jobLogUrl: string;
}

export interface PsaCallOptions {
  /** Stable across retries of the same outbox item, so a retry never opens a second ticket. */
  idempotencyKey: string;
  now: number;
}

/** Failures are thrown as DeliveryError (retry or permanent), as the outbox expects. */
export interface PsaAdapter {
  createTicket(request: TicketRequest, options: PsaCallOptions): Promise<{ id: string }>;
  resolveTicket(id: string, note: string, options: PsaCallOptions): Promise<void>;
  /** A note on a ticket (a reminder, a new failure, an escalation, the problem back). */
  addNote(id: string, note: string, options: PsaCallOptions): Promise<void>;
  /** Reopens a resolved ticket with a note saying why. */
  reopenTicket(id: string, note: string, options: PsaCallOptions): Promise<void>;
}

export type PsaConnection = IntegrationConnection;

/**
 * The One PSA: `POST {baseUrl}/tickets` → `201 {id}`, `PATCH {baseUrl}/tickets/{id}`
 * `{status: "resolved" | "open", note}` (resolve, reopen), `POST {baseUrl}/tickets/{id}/notes
 * {note}`, all with `X-Integration-Key` and `Idempotency-Key`.
 */
export class TheOnePsaAdapter implements PsaAdapter {
  constructor(private readonly connection: PsaConnection) {}

  async createTicket(request: TicketRequest, options: PsaCallOptions): Promise<{ id: string }> {
    const { json, status } = await requestJson({
      method: 'POST',
      url: `${this.base()}/tickets`,
      headers: this.headers(options),
      body: request,
      timeoutMs: this.connection.timeoutMs,
      networks: this.connection.networks,
      now: options.now,
    });
    const id = (json as { id?: unknown } | null)?.id;
    if ((typeof id !== 'string' || id === '') && typeof id !== 'number') {
      throw new DeliveryError({ kind: 'failed', error: `POST ${displayUrl(this.base())}/tickets answered ${status} without a ticket id.` });
    }
    return { id: String(id) };
  }

  async resolveTicket(id: string, note: string, options: PsaCallOptions): Promise<void> {
    await this.send('PATCH', `/tickets/${encodeURIComponent(id)}`, { status: 'resolved', note }, options);
  }

  async reopenTicket(id: string, note: string, options: PsaCallOptions): Promise<void> {
    await this.send('PATCH', `/tickets/${encodeURIComponent(id)}`, { status: 'open', note }, options);
  }

  async addNote(id: string, note: string, options: PsaCallOptions): Promise<void> {
    await this.send('POST', `/tickets/${encodeURIComponent(id)}/notes`, { note }, options);
  }

  private async send(method: 'PATCH' | 'POST', path: string, body: unknown, options: PsaCallOptions): Promise<void> {
    await requestJson({
      method,
      url: `${this.base()}${path}`,
      headers: this.headers(options),
      body,
      timeoutMs: this.connection.timeoutMs,
      networks: this.connection.networks,
      now: options.now,
    });
  }

  private base(): string {
    return this.connection.baseUrl.replace(/\/+$/, '');
  }

  private headers(options: PsaCallOptions): Record<string, string> {
    return { 'X-Integration-Key': this.connection.integrationKey, 'Idempotency-Key': options.idempotencyKey };
  }
}

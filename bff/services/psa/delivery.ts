/**
 * Delivers the PSA outbox items: `create` opens the ticket and stores the PSA's id;
 * `resolve`, `note` and `reopen` wait until that id is known (the create may still
 * be retrying), then act on the ticket. An alert that continues an earlier alert's
 * ticket (`tickets.ticket_ref`) acts on that ticket. Changes to one ticket go out in
 * the order they were decided: an item waits while an earlier one for the same ticket
 * is still queued (a resolve retrying must not land after the reopen that followed it).
 */
import type { Database } from '../../db/client.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { ChannelHandler, DeliveryContext, DeliveryOutcome } from '../outbox/delivery.ts';
import { outboxStateOf, type OutboxItem } from '../outbox/outbox.ts';
import { integrationConnection } from '../outbox/connection.ts';
import type { IntegrationNetworks } from '../outbox/receiver-address.ts';
import { TheOnePsaAdapter, type PsaAdapter, type PsaCallOptions } from './adapter.ts';
import { createDedupKey, type CreateTicketPayload, type ResolveTicketPayload, type TicketNotePayload } from './tickets.ts';

/** How long a resolve waits before looking for its ticket id again. */
const RESOLVE_WAIT_MS = 5_000;

const SET_EXTERNAL_ID_SQL = 'UPDATE tickets SET external_id = ? WHERE tenant_id = ? AND alert_id = ?';
// The ticket an alert's row stands for: its own, or the one it continues.
const TICKET_OF_SQL = `SELECT r.alert_id AS ref, r.external_id FROM tickets t
  JOIN tickets r ON r.tenant_id = t.tenant_id AND r.alert_id = COALESCE(t.ticket_ref, t.alert_id) WHERE t.tenant_id = ? AND t.alert_id = ?`;

/** What each kind does to an existing ticket. */
const ACTIONS: Record<string, { past: string; call(adapter: PsaAdapter, id: string, note: string, options: PsaCallOptions): Promise<void> } | undefined> = {
  resolve: { past: 'resolved', call: (adapter, id, note, options) => adapter.resolveTicket(id, note, options) },
  note: { past: 'noted', call: (adapter, id, note, options) => adapter.addNote(id, note, options) },
  reopen: { past: 'reopened', call: (adapter, id, note, options) => adapter.reopenTicket(id, note, options) },
};

// An earlier resolve, note or reopen of the same ticket still queued (ids sort by creation time).
const EARLIER_SQL = `SELECT o.next_attempt_at FROM outbox o WHERE o.tenant_id = ?1 AND o.channel = 'psa' AND o.status IN ('pending', 'sending')
  AND o.id < ?2 AND o.kind <> 'create' AND COALESCE(o.payload->>'ticketRef',
    (SELECT COALESCE(t.ticket_ref, t.alert_id) FROM tickets t WHERE t.tenant_id = ?1 AND t.alert_id = o.payload->>'alertId')) = ?3
  ORDER BY o.next_attempt_at DESC LIMIT 1`;

export class PsaDelivery implements ChannelHandler {
  constructor(
    private readonly db: Database,
    private readonly settings: SettingsStore,
    private readonly networks: IntegrationNetworks,
  ) {}

  async deliver(item: OutboxItem, context: DeliveryContext): Promise<DeliveryOutcome> {
    const adapter = await this.adapterFor(item.tenantId, context);
    if ('kind' in adapter) return adapter;
    const options = { idempotencyKey: item.id, now: context.now };
    if (item.kind === 'create') {
      const { alertId, ticket } = item.payload as CreateTicketPayload;
      const { id } = await adapter.createTicket(ticket, options);
      return {
        kind: 'delivered',
        response: { id },
        record: async (tx) => void (await tx.run(SET_EXTERNAL_ID_SQL, [id, item.tenantId, alertId])),
      };
    }
    const act = ACTIONS[item.kind];
    if (!act) return { kind: 'failed', error: `Unknown PSA outbox item kind "${item.kind}".` };
    const { alertId, note } = item.kind === 'resolve' ? (item.payload as ResolveTicketPayload) : { alertId: (item.payload as TicketNotePayload).ticketRef, note: (item.payload as TicketNotePayload).note };
    const row = await this.db.get<{ ref: string; external_id: string | null }>(TICKET_OF_SQL, [item.tenantId, alertId]);
    if (!row?.external_id) {
      const create = await outboxStateOf(this.db, item.tenantId, 'psa', createDedupKey(row?.ref ?? alertId));
      if (!create || create.status === 'failed') {
        return { kind: 'failed', error: `The ticket for alert ${alertId} was never created at the PSA, so it cannot be ${act.past}.` };
      }
      return { kind: 'wait', reason: 'the ticket is not created yet', delayMs: RESOLVE_WAIT_MS };
    }
    const earlier = await this.db.get<{ next_attempt_at: number }>(EARLIER_SQL, [item.tenantId, item.id, row.ref]);
    if (earlier) {
      // Try again once the earlier one has had its next attempt.
      return { kind: 'wait', reason: 'an earlier change of the same ticket is still queued', delayMs: Math.max(RESOLVE_WAIT_MS, earlier.next_attempt_at - context.now + 1) };
    }
    await act.call(adapter, row.external_id, note, options);
    return { kind: 'delivered', response: { id: row.external_id } };
  }

  private async adapterFor(tenantId: string, context: DeliveryContext): Promise<PsaAdapter | DeliveryOutcome> {
    const psa = await this.settings.get(tenantId, 'psa');
    const connection = await integrationConnection(psa, this.networks, context, { integration: 'PSA', pending: 'this could be delivered' });
    return 'kind' in connection ? connection : new TheOnePsaAdapter(connection);
  }
}

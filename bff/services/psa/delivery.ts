/**
 * Delivers the PSA outbox items: `create` opens the ticket and stores the PSA's id;
 * `resolve` waits until that id is known (the create may still be retrying), then
 * marks the ticket resolved.
 */
import type { Database } from '../../db/client.ts';
import type { SettingsStore } from '../settings-store.ts';
import type { ChannelHandler, DeliveryContext, DeliveryOutcome } from '../outbox/delivery.ts';
import { outboxStateOf, type OutboxItem } from '../outbox/outbox.ts';
import { receiverRefusal, type IntegrationNetworks } from '../outbox/receiver-address.ts';
import { TheOnePsaAdapter, type PsaAdapter } from './adapter.ts';
import { createDedupKey, type CreateTicketPayload, type ResolveTicketPayload } from './tickets.ts';

/** How long a resolve waits before looking for its ticket id again. */
const RESOLVE_WAIT_MS = 5_000;

const SET_EXTERNAL_ID_SQL = 'UPDATE tickets SET external_id = ? WHERE tenant_id = ? AND alert_id = ?';
const EXTERNAL_ID_SQL = 'SELECT external_id FROM tickets WHERE tenant_id = ? AND alert_id = ?';

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
    if (item.kind === 'resolve') {
      const { alertId, note } = item.payload as ResolveTicketPayload;
      const row = await this.db.get<{ external_id: string | null }>(EXTERNAL_ID_SQL, [item.tenantId, alertId]);
      if (!row?.external_id) {
        const create = await outboxStateOf(this.db, item.tenantId, 'psa', createDedupKey(alertId));
        if (!create || create.status === 'failed') {
          return { kind: 'failed', error: `The ticket for alert ${alertId} was never created at the PSA, so it cannot be resolved.` };
        }
        return { kind: 'wait', reason: 'the ticket is not created yet', delayMs: RESOLVE_WAIT_MS };
      }
      await adapter.resolveTicket(row.external_id, note, options);
      return { kind: 'delivered', response: { id: row.external_id } };
    }
    return { kind: 'failed', error: `Unknown PSA outbox item kind "${item.kind}".` };
  }

  private async adapterFor(tenantId: string, context: DeliveryContext): Promise<PsaAdapter | DeliveryOutcome> {
    const psa = await this.settings.get(tenantId, 'psa');
    if (!psa.enabled) {
      return { kind: 'failed', error: 'The PSA integration was disabled before this could be delivered; enable it again to send.' };
    }
    if (!psa.baseUrl || !psa.integrationKey) {
      return { kind: 'failed', error: 'The PSA integration has no base URL or integration key; set both in the PSA settings.' };
    }
    const refusal = await receiverRefusal(psa.baseUrl, this.networks);
    if (refusal) return { kind: 'failed', error: refusal };
    return new TheOnePsaAdapter({ baseUrl: psa.baseUrl, integrationKey: psa.integrationKey, timeoutMs: context.timeoutMs, networks: this.networks });
  }
}

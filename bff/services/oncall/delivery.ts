/** Delivers the On-Call outbox items (trigger and resolve pages) with the tenant's current connection settings. */
import type { ChannelHandler, DeliveryContext, DeliveryOutcome } from '../outbox/delivery.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import { integrationConnection } from '../outbox/connection.ts';
import type { IntegrationNetworks } from '../outbox/receiver-address.ts';
import type { SettingsStore } from '../settings-store.ts';
import { sendPage, type PageRequest } from './client.ts';

export class OnCallDelivery implements ChannelHandler {
  constructor(
    private readonly settings: SettingsStore,
    private readonly networks: IntegrationNetworks,
  ) {}

  async deliver(item: OutboxItem, context: DeliveryContext): Promise<DeliveryOutcome> {
    const oncall = await this.settings.get(item.tenantId, 'oncall');
    const connection = await integrationConnection(oncall, this.networks, context, { integration: 'On-Call', pending: 'this page could be sent' });
    if ('kind' in connection) return connection;
    const response = await sendPage(connection, item.payload as PageRequest, { idempotencyKey: item.id, now: context.now });
    return { kind: 'delivered', response };
  }
}

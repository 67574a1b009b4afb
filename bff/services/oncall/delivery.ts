/** Delivers the On-Call outbox items (trigger and resolve pages) with the tenant's current connection settings. */
import type { ChannelHandler, DeliveryContext, DeliveryOutcome } from '../outbox/delivery.ts';
import type { OutboxItem } from '../outbox/outbox.ts';
import { receiverRefusal, type IntegrationNetworks } from '../outbox/receiver-address.ts';
import type { SettingsStore } from '../settings-store.ts';
import { sendPage, type PageRequest } from './client.ts';

export class OnCallDelivery implements ChannelHandler {
  constructor(
    private readonly settings: SettingsStore,
    private readonly networks: IntegrationNetworks,
  ) {}

  async deliver(item: OutboxItem, context: DeliveryContext): Promise<DeliveryOutcome> {
    const oncall = await this.settings.get(item.tenantId, 'oncall');
    if (!oncall.enabled) {
      return { kind: 'failed', error: 'The On-Call integration was disabled before this page could be sent; enable it again to send.' };
    }
    if (!oncall.baseUrl || !oncall.integrationKey) {
      return { kind: 'failed', error: 'The On-Call integration has no base URL or integration key; set both in the On-Call settings.' };
    }
    const refusal = await receiverRefusal(oncall.baseUrl, this.networks);
    if (refusal) return { kind: 'failed', error: refusal };
    const connection = { baseUrl: oncall.baseUrl, integrationKey: oncall.integrationKey, timeoutMs: context.timeoutMs, networks: this.networks };
    const response = await sendPage(connection, item.payload as PageRequest, { idempotencyKey: item.id, now: context.now });
    return { kind: 'delivered', response };
  }
}

/**
 * The connection a PSA or On-Call delivery makes, from the tenant's settings as they
 * are when the item is delivered (not when it was queued): none, with the reason kept
 * on the item, while the integration is off, lacks its address or key, or its address
 * is not allowed (BHM_INTEGRATION_NETWORKS).
 */
import type { DeliveryContext, DeliveryOutcome } from './delivery.ts';
import { receiverRefusal, type IntegrationNetworks } from './receiver-address.ts';

export interface IntegrationConnection {
  baseUrl: string;
  integrationKey: string;
  timeoutMs: number;
  /** Which receiver addresses may be connected to (BHM_INTEGRATION_NETWORKS). */
  networks: IntegrationNetworks;
}

/** How the refusals name the integration and what the item was about to do. */
export interface ConnectionWords {
  integration: 'PSA' | 'On-Call';
  /** Completes "… was disabled before ___", e.g. "this page could be sent". */
  pending: string;
}

export async function integrationConnection(
  settings: { enabled: boolean; baseUrl: string; integrationKey: string },
  networks: IntegrationNetworks,
  context: DeliveryContext,
  words: ConnectionWords,
): Promise<IntegrationConnection | Extract<DeliveryOutcome, { kind: 'failed' }>> {
  if (!settings.enabled) {
    return { kind: 'failed', error: `The ${words.integration} integration was disabled before ${words.pending}; enable it again to send.` };
  }
  if (!settings.baseUrl || !settings.integrationKey) {
    return { kind: 'failed', error: `The ${words.integration} integration has no base URL or integration key; set both in the ${words.integration} settings.` };
  }
  const refusal = await receiverRefusal(settings.baseUrl, networks);
  if (refusal) return { kind: 'failed', error: refusal };
  return { baseUrl: settings.baseUrl, integrationKey: settings.integrationKey, timeoutMs: context.timeoutMs, networks };
}

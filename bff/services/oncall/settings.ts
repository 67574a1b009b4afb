/** The On-Call integration settings (docs/api.md): read without the secret, updated with checks. */
import type { OnCallSettings } from '../../../core/api.ts';
import type { Database } from '../../db/client.ts';
import { applyIntegrationUpdate, type IntegrationSettings } from '../outbox/integration-settings.ts';
import type { IntegrationNetworks } from '../outbox/receiver-address.ts';
import { integrationStatus } from '../outbox/status.ts';
import type { OnCallSettingsDoc, SettingsStore } from '../settings-store.ts';

/** What PUT accepts (already validated by the route); `businessHours` may be partial. */
export type OnCallSettingsPatch = Partial<Omit<OnCallSettingsDoc, 'businessHours'>> & { businessHours?: Partial<OnCallSettingsDoc['businessHours']> };

export class OnCallSettingsService {
  constructor(
    private readonly db: Database,
    private readonly store: SettingsStore,
    private readonly cache: IntegrationSettings,
    private readonly networks: IntegrationNetworks,
  ) {}

  /** The settings as the API shows them: `integrationKeySet` instead of the key, plus delivery status. */
  async view(tenantId: string): Promise<OnCallSettings> {
    const doc = await this.store.get(tenantId, 'oncall');
    return {
      enabled: doc.enabled,
      baseUrl: doc.baseUrl,
      integrationKeySet: doc.integrationKey !== '',
      escalationPolicy: doc.escalationPolicy,
      breachHoursThreshold: doc.breachHoursThreshold,
      deviceKinds: doc.deviceKinds,
      businessHours: doc.businessHours,
      status: await integrationStatus(this.db, tenantId, 'oncall'),
    };
  }

  /** Applies a partial update; 422 when enabling without a base URL, key or escalation policy. */
  async update(tenantId: string, patch: OnCallSettingsPatch, now: number): Promise<OnCallSettings> {
    await applyIntegrationUpdate({ db: this.db, store: this.store, cache: this.cache, networks: this.networks }, tenantId, 'oncall', patch as Partial<OnCallSettingsDoc>, now, {
      baseUrl: 'Set "baseUrl" (the On-Call API address) before enabling the integration.',
      integrationKey: 'Set "integrationKey" (the key shared with On-Call) before enabling the integration.',
      escalationPolicy: 'Set "escalationPolicy" (the On-Call escalation policy to page) before enabling the integration.',
    });
    return this.view(tenantId);
  }
}

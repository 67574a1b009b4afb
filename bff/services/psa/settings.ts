/**
 * The PSA integration settings (docs/api.md): read without the secret, updated with
 * the checks an admin needs. Setting the integration key also records its hash on
 * the tenant, so the PSA's own calls with that key are recognised (read access).
 */
import type { PsaSettings } from '../../../core/api.ts';
import type { Database } from '../../db/client.ts';
import { conflict } from '../../http/problem.ts';
import type { CredentialResolver } from '../credentials.ts';
import { sha256 } from '../credentials.ts';
import { applyIntegrationUpdate, type IntegrationSettings } from '../outbox/integration-settings.ts';
import type { IntegrationNetworks } from '../outbox/receiver-address.ts';
import { integrationStatus } from '../outbox/status.ts';
import type { PsaSettingsDoc, SettingsStore } from '../settings-store.ts';

/** What PUT accepts (already validated by the route). */
export type PsaSettingsPatch = Partial<Pick<PsaSettingsDoc, 'enabled' | 'baseUrl' | 'integrationKey' | 'failureThreshold' | 'mapping'>>;

const KEY_IN_USE_SQL = 'SELECT id FROM tenants WHERE psa_key_hash = ? AND id <> ?';
const SET_KEY_HASH_SQL = 'UPDATE tenants SET psa_key_hash = ? WHERE id = ?';

export class PsaSettingsService {
  constructor(
    private readonly db: Database,
    private readonly store: SettingsStore,
    private readonly cache: IntegrationSettings,
    private readonly credentials: CredentialResolver,
    private readonly networks: IntegrationNetworks,
  ) {}

  /** The settings as the API shows them: `integrationKeySet` instead of the key, plus delivery status. */
  async view(tenantId: string): Promise<PsaSettings> {
    const doc = await this.store.get(tenantId, 'psa');
    return {
      enabled: doc.enabled,
      baseUrl: doc.baseUrl,
      integrationKeySet: doc.integrationKey !== '',
      failureThreshold: doc.failureThreshold,
      mapping: doc.mapping,
      status: await integrationStatus(this.db, tenantId, 'psa'),
    };
  }

  /**
   * Applies a partial update. 409 when another tenant already uses the integration
   * key (inbound PSA calls must identify one tenant); 422 when enabling without a
   * base URL or key.
   */
  async update(tenantId: string, patch: PsaSettingsPatch, now: number): Promise<PsaSettings> {
    const keyHash = patch.integrationKey === undefined ? null : sha256(patch.integrationKey);
    if (keyHash && (await this.db.get(KEY_IN_USE_SQL, [keyHash, tenantId]))) {
      throw conflict('Another tenant already uses this integration key; every tenant needs its own PSA integration key.');
    }
    await applyIntegrationUpdate({ db: this.db, store: this.store, cache: this.cache, networks: this.networks }, tenantId, 'psa', patch, now, {
      baseUrl: 'Set "baseUrl" (the PSA API address) before enabling the integration.',
      integrationKey: 'Set "integrationKey" (the key shared with the PSA) before enabling the integration.',
    });
    if (keyHash) {
      await this.db.run(SET_KEY_HASH_SQL, [keyHash, tenantId]);
      await this.credentials.changed(tenantId);
    }
    return this.view(tenantId);
  }
}

/**
 * The PSA and On-Call settings as the evaluation listeners read them: inside the
 * evaluator's transaction (so never through the database's other statements, which
 * wait for that transaction) and cached for a few seconds per tenant (by the injected
 * clock), because a sweep calls the listeners for thousands of devices.
 */
import { receiverRefusal, type IntegrationNetworks } from './receiver-address.ts';
import type { Database, SqlExecutor } from '../../db/client.ts';
import { unprocessable } from '../../http/problem.ts';
import type { Clock } from '../../context.ts';
import { mergeSettings, settingsCacheKey, type SettingsDocs, type SettingsStore } from '../settings-store.ts';
import { TtlCache } from '../ttl-cache.ts';
import { requeueFailed } from './outbox.ts';

type IntegrationKey = 'psa' | 'oncall' | 'alerts';

export class IntegrationSettings {
  private readonly cache: TtlCache<unknown>;

  constructor(
    private readonly store: SettingsStore,
    clock: Clock,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(clock, ttlMs);
  }

  /** The document, read through `tx` when not cached. */
  async get<K extends IntegrationKey>(tenantId: string, key: K, tx: SqlExecutor): Promise<SettingsDocs[K]> {
    const cacheKey = settingsCacheKey(tenantId, key);
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached as SettingsDocs[K];
    const value = await this.store.get(tenantId, key, tx);
    this.cache.set(cacheKey, value);
    return value;
  }

  /** Drops the tenant's cached documents (after a settings change on this instance). */
  forget(tenantId: string): void {
    this.cache.delete(settingsCacheKey(tenantId, 'psa'));
    this.cache.delete(settingsCacheKey(tenantId, 'oncall'));
    this.cache.delete(settingsCacheKey(tenantId, 'alerts'));
  }
}

/**
 * Shared PUT logic of the PSA and On-Call settings: merge the patch, refuse to leave
 * the integration enabled while a required field is empty (422 naming each), clear
 * the cached documents, and — when the integration ends up enabled — put its failed
 * deliveries back in the queue, so fixing a key or address sends what was stuck.
 */
export async function applyIntegrationUpdate<K extends IntegrationKey>(
  parts: { db: Database; store: SettingsStore; cache: IntegrationSettings; networks: IntegrationNetworks },
  tenantId: string,
  key: Exclude<K, 'alerts'>,
  patch: Partial<SettingsDocs[K]>,
  now: number,
  required: Partial<Record<keyof SettingsDocs[K] & string, string>>,
): Promise<SettingsDocs[K]> {
  const baseUrl = (patch as { baseUrl?: string }).baseUrl;
  if (baseUrl) {
    const refusal = await receiverRefusal(baseUrl, parts.networks);
    if (refusal) throw unprocessable(`The ${key === 'psa' ? 'PSA' : 'On-Call'} base URL is not allowed.`, [{ path: 'baseUrl', message: refusal }]);
  }
  const current = await parts.store.get(tenantId, key);
  const next = mergeSettings(current, patch);
  if (next.enabled) {
    const missing = (Object.keys(required) as (keyof SettingsDocs[K] & string)[]).filter((field) => !next[field]);
    if (missing.length > 0) {
      throw unprocessable(`The ${key === 'psa' ? 'PSA' : 'On-Call'} integration cannot be enabled yet.`, missing.map((path) => ({ path, message: required[path] ?? '' })));
    }
  }
  const stored = await parts.store.update(tenantId, key, patch, now);
  parts.cache.forget(tenantId);
  if (stored.enabled) await requeueFailed(parts.db, tenantId, key, now);
  return stored;
}

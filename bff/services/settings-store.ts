/**
 * Per-tenant settings documents (SLA, weekly report, PSA, On-Call) with defaults.
 * Stored as JSON in `settings`; secrets are stored (outbound calls need them) but the
 * routes never return them. Reads are cached briefly per process (by the injected
 * clock); a write through this store clears the cache at once, other instances see it
 * within `ttlMs`.
 */
import { DEFAULT_SLA, type OnCallRules, type PsaRules, type SlaHours, type SlaOverride, type Weekday } from '../../core/types.ts';
import { DEFAULT_TICKET_MAPPING } from '../../core/psa.ts';
import { DEFAULT_REMINDER_HOURS } from '../../core/reminders.ts';
import { DEFAULT_REOPEN_DAYS } from '../../core/ticket-lifecycle.ts';
import type { Clock } from '../context.ts';
import type { Database, SqlExecutor } from '../db/client.ts';
import { TtlCache } from './ttl-cache.ts';

export interface SlaSettingsDoc {
  tenant: SlaHours;
  clients: Record<string, SlaOverride>;
}

export interface ReportSettingsDoc {
  weeklyEnabled: boolean;
  recipients: string[];
  deliveryDay: Weekday;
  deliveryTime: string;
  timezone: string;
}

export interface PsaSettingsDoc extends PsaRules {
  baseUrl: string;
  /** Secret: never returned by the API. */
  integrationKey: string;
}

export interface OnCallSettingsDoc extends OnCallRules {
  baseUrl: string;
  integrationKey: string;
}

/** The alert workflow: reminders and ticket reopening (docs/alert-workflow.md). */
export interface AlertSettingsDoc {
  /** Hours between reminders of an open alert; 0 turns reminders off. */
  reminderHours: number;
  /** A ticket resolved less than this many days ago is reopened; 0 never reopens. */
  reopenDays: number;
}

/** How the MSP presents itself in what the product sends. */
export interface BrandingSettingsDoc {
  /** null: the tenant's name. */
  mspName: string | null;
  accentColor: string;
}

/** Monthly client reports: the previous month's period PDF to each client with recipients. */
export interface ClientReportSettingsDoc {
  enabled: boolean;
  /** Day of the month (1–28) and hour (0–23), in the client's timezone. */
  day: number;
  hour: number;
  /** Client id → recipients; a client without any gets no report. */
  recipientsByClient: Record<string, string[] | null>;
}

export interface SettingsDocs {
  sla: SlaSettingsDoc;
  branding: BrandingSettingsDoc;
  alerts: AlertSettingsDoc;
  reports: ReportSettingsDoc;
  clientReports: ClientReportSettingsDoc;
  psa: PsaSettingsDoc;
  oncall: OnCallSettingsDoc;
}
export type SettingsKey = keyof SettingsDocs;

export function defaultSettings(): SettingsDocs {
  return {
    sla: { tenant: { ...DEFAULT_SLA }, clients: {} },
    alerts: { reminderHours: DEFAULT_REMINDER_HOURS, reopenDays: DEFAULT_REOPEN_DAYS },
    branding: { mspName: null, accentColor: '#2563eb' },
    // Off until an admin names recipients and turns it on: e-mail to a customer is opt-in.
    clientReports: { enabled: false, day: 1, hour: 8, recipientsByClient: {} },
    reports: { weeklyEnabled: true, recipients: [], deliveryDay: 'monday', deliveryTime: '08:00', timezone: 'UTC' },
    psa: { enabled: false, baseUrl: '', integrationKey: '', failureThreshold: 3, mapping: { ...DEFAULT_TICKET_MAPPING } },
    oncall: {
      enabled: false,
      baseUrl: '',
      integrationKey: '',
      escalationPolicy: '',
      breachHoursThreshold: 6,
      deviceKinds: ['server'],
      businessHours: { timezone: 'UTC', days: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' },
    },
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges a partial update into a document: plain objects merge recursively, anything
 * else (arrays, scalars, null) replaces. Keys like `__proto__` never reach here
 * (the routes validate with zod, which drops unknown keys).
 */
export function mergeSettings<T>(current: T, patch: unknown): T {
  if (!isPlainObject(current) || !isPlainObject(patch)) return (patch === undefined ? current : patch) as T;
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeSettings(merged[key], value) : value;
  }
  return merged as T;
}

const FOR_TENANTS_SQL = `SELECT tenant_id, key, value FROM settings
  WHERE tenant_id IN (SELECT value FROM json_each(?)) AND key IN (SELECT value FROM json_each(?))`;

/** The cache key of one tenant's document. */
export const settingsCacheKey = (tenantId: string, key: SettingsKey): string => `${tenantId}\u0000${key}`;

export class SettingsStore {
  private readonly cache: TtlCache<unknown>;

  constructor(
    private readonly db: Database,
    clock: Clock,
    ttlMs = 5_000,
  ) {
    this.cache = new TtlCache(clock, ttlMs);
  }

  /** The document with defaults filled in. Pass `tx` to read inside a transaction (never served from the cache). */
  async get<K extends SettingsKey>(tenantId: string, key: K, tx?: SqlExecutor): Promise<SettingsDocs[K]> {
    const cacheKey = settingsCacheKey(tenantId, key);
    const cached = tx ? undefined : this.cache.get(cacheKey);
    if (cached !== undefined) return cached as SettingsDocs[K];
    const row = await (tx ?? this.db).get<{ value: string }>('SELECT value FROM settings WHERE tenant_id = ? AND key = ?', [tenantId, key]);
    const value = mergeSettings(defaultSettings()[key], row ? JSON.parse(row.value) : undefined);
    this.cache.set(cacheKey, value);
    return value;
  }

  /**
   * Some documents of several tenants in one statement, read inside `tx` (never from
   * the cache): a sweep chunk spans a few tenants and needs their rules as of its
   * transaction.
   */
  async getForTenants<K extends SettingsKey>(tenantIds: readonly string[], keys: readonly K[], tx: SqlExecutor): Promise<Map<string, Pick<SettingsDocs, K>>> {
    const rows = await tx.all<{ tenant_id: string; key: K; value: string }>(FOR_TENANTS_SQL, [JSON.stringify(tenantIds), JSON.stringify(keys)]);
    const stored = new Map(rows.map((row) => [settingsCacheKey(row.tenant_id, row.key), row.value]));
    const docs = new Map<string, Pick<SettingsDocs, K>>();
    for (const tenantId of tenantIds) {
      const defaults = defaultSettings();
      const doc = {} as Pick<SettingsDocs, K>;
      for (const key of keys) {
        const value = stored.get(settingsCacheKey(tenantId, key));
        doc[key] = mergeSettings(defaults[key], value === undefined ? undefined : JSON.parse(value));
      }
      docs.set(tenantId, doc);
    }
    return docs;
  }

  /** Applies a partial update and returns the stored document. */
  async update<K extends SettingsKey>(tenantId: string, key: K, patch: unknown, now: number): Promise<SettingsDocs[K]> {
    const value = await this.db.transaction(async (tx) => {
      const current = await this.get(tenantId, key, tx);
      const next = mergeSettings(current, patch);
      await tx.run(
        'INSERT INTO settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
        [tenantId, key, JSON.stringify(next), now],
      );
      return next;
    });
    this.cache.delete(settingsCacheKey(tenantId, key));
    return value;
  }

  /** Replaces one whole nested entry (e.g. removing a client's SLA override). */
  async replace<K extends SettingsKey>(tenantId: string, key: K, value: SettingsDocs[K], now: number): Promise<void> {
    await this.db.run(
      'INSERT INTO settings (tenant_id, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      [tenantId, key, JSON.stringify(value), now],
    );
    this.cache.delete(settingsCacheKey(tenantId, key));
  }
}

/**
 * What the app is built from (dependencies are passed in, never imported as
 * singletons) and what each request carries.
 */
import type { IntegrationNetworks } from './services/outbox/receiver-address.ts';
import type { Database, DatabaseOptions } from './db/client.ts';

/** Epoch milliseconds now. Tests pass a fixed or steppable clock. */
export type Clock = () => number;

export type Scope = 'admin' | 'ingest' | 'read' | 'operate';

export interface AuthContext {
  kind: 'api-key' | 'embed-token' | 'integration' | 'platform';
  /** null only for the platform key. */
  tenantId: string | null;
  scopes: Scope[];
  /** Set for a client-scoped embed token: the bearer sees this client only. */
  clientId: string | null;
  /** Expiry of an embed token (epoch ms). */
  expiresAt: number | null;
  /** Who acts, for records such as an acknowledgement or a silence's `createdBy`: `key:<name>` for an API key, the embed token's subject (see `actorOf`). */
  actor?: string;
}

export interface AppConfig {
  /** BHM_PLATFORM_KEY: creates tenants. Absent: POST /tenants is disabled. */
  platformKey: string | null;
  /** BHM_CORS_ORIGINS: origins allowed to call the API cross-origin ('*' allowed). */
  corsOrigins: string[];
  /** PUBLIC_URL: base of links in tickets, pages and mail. */
  publicUrl: string;
  /** Largest request body accepted (bytes). */
  bodyLimitBytes: number;
  /** Accepted clock skew for event timestamps (ms). */
  clockSkewMs: number;
  /** Where the built widget module lives (dist/widgets). */
  widgetsDir: string;
  /** MAIL_FROM */
  mailFrom: string;
  /** SMTP_URL (e.g. smtp://user:pass@host:587): weekly e-mail transport; null = mail is not configured. */
  smtpUrl: string | null;
  /** BHM_INTEGRATION_NETWORKS: `public` (default) refuses PSA/On-Call receivers on loopback, private or link-local addresses; `any` allows them. */
  integrationNetworks: IntegrationNetworks;
  /**
   * BHM_DRAIN_EVALUATIONS (on|off): whether this instance drains the evaluation queue
   * (right after each ingest, at most one drain start per 100 ms under load, and every 250 ms). `off` makes an ingest-only instance;
   * tests that step a clock drain it themselves.
   */
  drainEvaluations: boolean;
  /** BHM_SWEEP_INTERVAL_S × 1000: pause between periodic sweeps (default 60 000). */
  sweepIntervalMs?: number;
  /** BHM_AUTH_FAILURES_PER_MINUTE: failed authentications one client address may have (half that per credential prefix) before 429. */
  authFailuresPerMinute: number;
  /** BHM_TRUSTED_PROXIES: reverse proxies in front of the BFF whose X-Forwarded-For entries are believed (0: none, use the socket's address). */
  trustedProxies: number;
  /** BHM_STREAMS_PER_TOKEN / _PER_TENANT / _PER_PROCESS: open `/stream` connections allowed (429 beyond). */
  streamLimits: StreamLimits;
  /** BHM_HEAVY_WORKERS / BHM_HEAVY_PER_TENANT / BHM_HEAVY_PER_PROCESS: render threads, and renders a tenant / the process may have running or waiting (429 beyond). */
  heavyWork: HeavyWorkLimits;
}

export interface StreamLimits {
  perToken: number;
  perTenant: number;
  perProcess: number;
}

export interface HeavyWorkLimits {
  /** Worker threads rendering PDF and CSV exports. */
  workers: number;
  /** Renders one tenant may have running or waiting. */
  perTenant: number;
  /** Renders the process may have running or waiting. */
  perProcess: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perToken: 20, perTenant: 200, perProcess: 1_000 };
export const DEFAULT_HEAVY_WORK: HeavyWorkLimits = { workers: 2, perTenant: 2, perProcess: 16 };

export const DEFAULT_CONFIG: AppConfig = {
  platformKey: null,
  corsOrigins: [],
  publicUrl: 'http://127.0.0.1:8787',
  bodyLimitBytes: 10 * 1024 * 1024,
  clockSkewMs: 5 * 60_000,
  widgetsDir: 'dist/widgets',
  mailFrom: 'Backup Health <backup-health@localhost>',
  smtpUrl: null,
  integrationNetworks: 'public',
  drainEvaluations: true,
  sweepIntervalMs: 60_000,
  authFailuresPerMinute: 20,
  trustedProxies: 0,
  streamLimits: DEFAULT_STREAM_LIMITS,
  heavyWork: DEFAULT_HEAVY_WORK,
};

export interface AppDeps {
  db: Database;
  /** Where `db` is, for worker threads that open their own connection (heavy renders); absent: they are handed the data. */
  databaseOptions?: DatabaseOptions;
  clock: Clock;
  config: AppConfig;
  /** Identifies this BFF instance in leases and claims. */
  instanceId: string;
}

/** Hono environment: variables set by middleware. */
export interface AppEnv {
  Variables: {
    auth: AuthContext;
  };
}

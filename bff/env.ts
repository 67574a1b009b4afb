/** Configuration from the environment (README "Configuration"), validated once at start. */
import { z } from 'zod';
import { DEFAULT_CONFIG, DEFAULT_HEAVY_WORK, DEFAULT_STREAM_LIMITS, type AppConfig } from './context.ts';
import type { ServerLimits } from './http/server-limits.ts';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('file:data/backup-health.db'),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  DATABASE_TIMEOUT_S: z.coerce.number().positive().default(30),
  DATABASE_REPLICA_PATH: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
  BHM_CORS_ORIGINS: z.string().default(''),
  BHM_PLATFORM_KEY: z.string().min(16, 'BHM_PLATFORM_KEY must be at least 16 characters').optional(),
  BHM_BOOTSTRAP_KEY: z.string().min(16, 'BHM_BOOTSTRAP_KEY must be at least 16 characters').optional(),
  BHM_SWEEP_INTERVAL_S: z.coerce.number().positive().default(60),
  BHM_DRAIN_EVALUATIONS: z.enum(['on', 'off'], { error: 'BHM_DRAIN_EVALUATIONS must be "on" or "off"' }).default('on'),
  BHM_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(DEFAULT_CONFIG.bodyLimitBytes),
  BHM_WIDGETS_DIR: z.string().default(DEFAULT_CONFIG.widgetsDir),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default(DEFAULT_CONFIG.mailFrom),
  BHM_MAIL_INGEST_PORT: z.preprocess((v) => (v === '' ? undefined : v), z.coerce.number().int().min(0).max(65535).optional()),
  BHM_STREAMS_PER_TOKEN: z.coerce.number().int().positive().default(DEFAULT_STREAM_LIMITS.perToken),
  BHM_STREAMS_PER_TENANT: z.coerce.number().int().positive().default(DEFAULT_STREAM_LIMITS.perTenant),
  BHM_STREAMS_PER_PROCESS: z.coerce.number().int().positive().default(DEFAULT_STREAM_LIMITS.perProcess),
  BHM_HEAVY_WORKERS: z.coerce.number().int().positive().max(64).default(DEFAULT_HEAVY_WORK.workers),
  BHM_HEAVY_PER_TENANT: z.coerce.number().int().positive().default(DEFAULT_HEAVY_WORK.perTenant),
  BHM_HEAVY_PER_PROCESS: z.coerce.number().int().positive().default(DEFAULT_HEAVY_WORK.perProcess),
  BHM_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().positive().default(DEFAULT_CONFIG.authFailuresPerMinute),
  BHM_TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  BHM_HEADERS_TIMEOUT_S: z.coerce.number().positive().default(10),
  BHM_REQUEST_TIMEOUT_S: z.coerce.number().positive().default(30),
  BHM_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1000),
  BHM_INTEGRATION_NETWORKS: z.enum(['public', 'any'], { error: 'BHM_INTEGRATION_NETWORKS must be "public" or "any"' }).default('public'),
});

export interface Environment {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  /** DATABASE_TIMEOUT_S × 1000: limit of one request to a libSQL server. */
  databaseTimeoutMs: number;
  /** DATABASE_REPLICA_PATH: embedded replica file of a libSQL server for reads (replicated.ts); absent = off. */
  databaseReplicaPath: string | undefined;
  bootstrapKey: string | undefined;
  sweepIntervalSeconds: number;
  smtpUrl: string | undefined;
  /** BHM_MAIL_INGEST_PORT: the SMTP listener for e-mail reports; absent = off. */
  mailIngestPort: number | undefined;
  /** Limits of the HTTP server itself (bff/http/server-limits.ts). */
  server?: ServerLimits;
  config: AppConfig;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.DATABASE_REPLICA_PATH && (e.DATABASE_URL === ':memory:' || e.DATABASE_URL.startsWith('file:'))) {
    throw new Error('Invalid configuration:\n  DATABASE_REPLICA_PATH: needs DATABASE_URL to be a libSQL server (a local file is its own replica)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    databaseTimeoutMs: e.DATABASE_TIMEOUT_S * 1000,
    databaseReplicaPath: e.DATABASE_REPLICA_PATH,
    bootstrapKey: e.BHM_BOOTSTRAP_KEY,
    sweepIntervalSeconds: e.BHM_SWEEP_INTERVAL_S,
    smtpUrl: e.SMTP_URL,
    mailIngestPort: e.BHM_MAIL_INGEST_PORT,
    server: {
      headersTimeoutMs: e.BHM_HEADERS_TIMEOUT_S * 1000,
      // Node requires the whole request's limit to be at least the headers' one.
      requestTimeoutMs: Math.max(e.BHM_REQUEST_TIMEOUT_S, e.BHM_HEADERS_TIMEOUT_S) * 1000,
      maxConnections: e.BHM_MAX_CONNECTIONS,
    },
    config: {
      ...DEFAULT_CONFIG,
      platformKey: e.BHM_PLATFORM_KEY ?? null,
      corsOrigins: e.BHM_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
      publicUrl: (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ''),
      bodyLimitBytes: e.BHM_BODY_LIMIT_BYTES,
      widgetsDir: e.BHM_WIDGETS_DIR,
      mailFrom: e.MAIL_FROM,
      smtpUrl: e.SMTP_URL || null,
      integrationNetworks: e.BHM_INTEGRATION_NETWORKS,
      sweepIntervalMs: e.BHM_SWEEP_INTERVAL_S * 1000,
      drainEvaluations: e.BHM_DRAIN_EVALUATIONS === 'on',
      authFailuresPerMinute: e.BHM_AUTH_FAILURES_PER_MINUTE,
      trustedProxies: e.BHM_TRUSTED_PROXIES,
      streamLimits: { perToken: e.BHM_STREAMS_PER_TOKEN, perTenant: e.BHM_STREAMS_PER_TENANT, perProcess: e.BHM_STREAMS_PER_PROCESS },
      heavyWork: { workers: e.BHM_HEAVY_WORKERS, perTenant: e.BHM_HEAVY_PER_TENANT, perProcess: e.BHM_HEAVY_PER_PROCESS },
    },
  };
}

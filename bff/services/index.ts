/**
 * Wires the services of one app instance together. Routes are mounted under
 * /api/v1 after authentication, in the order listed.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../context.ts';
import { CredentialResolver } from './credentials.ts';

export interface Services {
  credentials: CredentialResolver;
  /** Resource sub-apps mounted under /api/v1 (after auth). */
  routes: Hono<AppEnv>[];
  openapi(): object;
  /** Readiness details for /readyz (lags in ms). */
  readiness(): Promise<Record<string, unknown>>;
  /** Periodic work started by `startBackground` (sweeps, outbox dispatch, weekly mail, stream tail). */
  background: BackgroundTask[];
  /** Called on shutdown before the database closes (end streams, flush). */
  onShutdown: (() => Promise<void> | void)[];
}

export interface BackgroundTask {
  name: string;
  /** Pause between the end of one run and the start of the next. */
  intervalMs: number;
  run(): Promise<void>;
}

export function createServices(deps: AppDeps): Services {
  const credentials = new CredentialResolver(deps.db);
  return {
    credentials,
    routes: [],
    openapi: () => ({ openapi: '3.1.0', info: { title: 'Backup Health API', version: '1' }, paths: {} }),
    readiness: async () => ({}),
    background: [],
    onShutdown: [],
  };
}
